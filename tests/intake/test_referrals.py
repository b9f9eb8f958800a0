"""The Coordinator's referral queue: read (ledgered), move along, open a youth record from it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import ClientFor, Persona
from threadline.audit.models import AccessEvent
from threadline.intake.models import Program, ReferOutTask, Referral
from threadline.intake.services.referrals import ReferralInput, referral_set_status, referral_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral(program: Program) -> Referral:
    return referral_submit(
        program=program,
        channel=Referral.Channel.WEB_FORM,
        data=ReferralInput(
            what_is_known="Seen at the bus station at night, says she has nowhere to go.",
            youth_name="Dulce",
            county="Harris",
            age=15,
        ),
    )


def test_queue_lists_without_names_and_detail_is_ledgered(
    referral: Referral, coordinator: Persona, client_for: ClientFor
) -> None:
    client = client_for(coordinator)
    html = client.get("/intake/referrals/").content.decode()
    assert referral.reference in html
    assert "Dulce" not in html
    before = AccessEvent.objects.filter(object_type="referral", action="read").count()
    detail = client.get(f"/intake/referrals/{referral.pk}/").content.decode()
    assert "Dulce" in detail and "bus station" in detail
    assert "Harris County is outside" in detail  # the eligibility reason, with its version
    assert AccessEvent.objects.filter(object_type="referral", action="read").count() == before + 1


def test_redirect_opens_a_refer_out_task_and_decline_needs_a_reason(
    referral: Referral, coordinator: Persona
) -> None:
    with pytest.raises(ValidationError):
        referral_set_status(membership=coordinator.membership, referral_id=referral.pk, status="declined")
    referral_set_status(membership=coordinator.membership, referral_id=referral.pk, status="redirected")
    referral.refresh_from_db()
    assert referral.status == "redirected"
    assert ReferOutTask.objects.get().county == "Harris"


def test_open_a_youth_record_from_the_referral(
    referral: Referral, coordinator: Persona, client_for: ClientFor
) -> None:
    client = client_for(coordinator)
    response = client.post(f"/intake/referrals/{referral.pk}/", {"action": "create_youth"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.youth is not None
    assert referral.youth.preferred_name == "Dulce"
    assert referral.status == "under_review"
    # Twice does not make a second record.
    client.post(f"/intake/referrals/{referral.pk}/", {"action": "create_youth"})
    referral.refresh_from_db()
    from threadline.youth.models import Youth

    assert Youth.objects.count() == 1


def test_other_agencies_see_nothing_and_change_nothing(
    referral: Referral, dfps_caseworker: Persona, program_admin: Persona, client_for: ClientFor
) -> None:
    before = AccessEvent.objects.count()
    for persona in (dfps_caseworker, program_admin):
        client = client_for(persona)
        assert client.get("/intake/referrals/").status_code == 403
        response = client.get(f"/intake/referrals/{referral.pk}/")
        assert response.status_code == 403
        assert "Dulce" not in response.content.decode()
        assert client.post(f"/intake/referrals/{referral.pk}/", {"status": "withdrawn"}).status_code == 403
        with pytest.raises(PermissionDenied):
            referral_set_status(membership=persona.membership, referral_id=referral.pk, status="withdrawn")
    referral.refresh_from_db()
    assert referral.status == "received"
    assert AccessEvent.objects.count() == before


def test_unknown_and_malformed_ids_are_404(coordinator: Persona, client_for: ClientFor) -> None:
    client = client_for(coordinator)
    assert client.get("/intake/referrals/not-a-uuid/").status_code == 404
    assert client.get("/intake/referrals/00000000-0000-0000-0000-000000000000/").status_code == 404

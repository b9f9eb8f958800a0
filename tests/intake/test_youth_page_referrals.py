"""Issue 13 left-over: the youth's record lists its referrals (the intake referrals about this youth
and the service referrals made for it), each for those who may open it; nobody else sees the section."""

from __future__ import annotations

import pytest

from tests.conftest import ClientFor, Persona
from tests.factories.access import consent_share
from threadline.access.categories import Category
from threadline.access.models import TeamRole
from threadline.audit.models import AccessEvent
from threadline.intake.models import Program, Referral
from threadline.intake.services.referrals import ReferralInput, referral_create_youth, referral_submit
from threadline.youth.sharing import care_team_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral(program: Program, coordinator: Persona) -> Referral:
    made = referral_submit(
        program=program,
        channel=Referral.Channel.HOTLINE,
        data=ReferralInput(
            what_is_known="Sleeping in a car (fictional).", youth_name="Ana", county="Harris", age=16
        ),
    )
    return referral_create_youth(membership=coordinator.membership, referral_id=made.pk)


def test_the_coordinator_sees_the_referrals_section_with_links_that_open(
    coordinator: Persona, client_for: ClientFor, referral: Referral
) -> None:
    client = client_for(coordinator)
    html = client.get(f"/youth/{referral.youth_id}/").content.decode()
    assert '<h2 id="h-referrals">Referrals</h2>' in html
    assert "<h3>Referrals received about this youth</h3>" in html
    link = f'<a href="/intake/referrals/{referral.pk}/">{referral.reference}</a>'
    assert link in html and "Hotline call" in html
    assert "Sleeping in a car" not in html  # the words are read on the referral's own page
    assert "<h3>Service referrals made for this youth</h3>" in html and "No service referral yet." in html
    assert f'<a href="/referrals/youth/{referral.youth_id}/">Refer to a service</a>' in html
    assert client.get(f"/intake/referrals/{referral.pk}/").status_code == 200


def test_a_partner_with_consent_sees_no_referrals_section(
    coordinator: Persona, dfps_caseworker: Persona, client_for: ClientFor, referral: Referral
) -> None:
    assert referral.youth_id is not None
    care_team_add(
        membership=coordinator.membership,
        youth_id=referral.youth_id,
        organization_id=dfps_caseworker.organization.pk,
        role=TeamRole.OTHER,
    )
    youth = referral.youth
    assert youth is not None
    consent_share(coordinator.membership, youth, dfps_caseworker.organization, [Category.CARE_PLAN])
    before = AccessEvent.objects.filter(object_type="referral").count()
    html = client_for(dfps_caseworker).get(f"/youth/{referral.youth_id}/").content.decode()
    assert "Referrals received about this youth" not in html and referral.reference not in html
    assert f"/intake/referrals/{referral.pk}/" not in html
    assert AccessEvent.objects.filter(object_type="referral").count() == before
    assert Referral.objects.get(pk=referral.pk).status == referral.status

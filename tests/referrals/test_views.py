"""Pages: from a directory listing to a draft, the next suggestion in one click after a decline,
bad input answered in the user's language without losing what was typed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.conftest import Persona
from tests.referrals.conftest import Case, Draft, Release, make_listing
from threadline.directory import models as dm
from threadline.referrals import sending_services
from threadline.referrals.models import ServiceReferral
from threadline.referrals.states import ReferralState as S

pytestmark = pytest.mark.django_db


def test_from_a_listing_to_a_draft(
    coordinator: Persona, shelter: dm.Service, case: Case, client_for: Callable[[Persona], Client]
) -> None:
    client = client_for(coordinator)
    listing = client.get(f"/directory/staff/services/{shelter.id}/")
    assert f"/referrals/from-listing/{shelter.id}" in listing.content.decode()
    pick = client.post(f"/referrals/from-listing/{shelter.id}", {"youth": str(case.youth.pk)})
    assert (
        pick.status_code == 302
        and pick["Location"] == f"/referrals/youth/{case.youth.pk}/?service={shelter.id}"
    )
    page = client.get(pick["Location"])
    assert "Refer for this need" in page.content.decode()
    made = client.post(
        f"/referrals/youth/{case.youth.pk}/suggest",
        {"action": "refer", "need": str(case.need.pk), "service_id": shelter.id},
    )
    referral = ServiceReferral.objects.get(youth=case.youth)
    assert made.status_code == 302 and made["Location"] == f"/referrals/{referral.pk}/"
    assert referral.state == S.DRAFT and referral.need_id == case.need.pk


def test_a_decline_offers_the_next_suggestion_in_one_click(
    coordinator: Persona,
    shelter_staff: Persona,
    shelter: dm.Service,
    draft: Draft,
    release: Release,
    client_for: Callable[[Persona], Client],
) -> None:
    second = make_listing("Wrenfield Youth Shelter", languages=("en", "es"))
    referral = draft(shelter)
    release(shelter_staff.organization)
    sending_services.referral_send(membership=coordinator.membership, referral_id=referral.pk)
    sending_services.referral_transition(
        membership=shelter_staff.membership,
        referral_id=referral.pk,
        to_state=S.DECLINED_BY_PROVIDER,
        reason="Full this week",
    )
    client = client_for(coordinator)
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Next suggestion" in page and "Wrenfield Youth Shelter" in page and "Full this week" in page
    one_click = client.post(f"/referrals/{referral.pk}/", {"action": "next", "service_id": second.id})
    new = ServiceReferral.objects.exclude(pk=referral.pk).get()
    assert one_click.status_code == 302 and one_click["Location"] == f"/referrals/{new.pk}/"
    assert (new.state, new.replaces_id, new.categories, new.need_id) == (
        S.DRAFT,
        referral.pk,
        referral.categories,
        referral.need_id,
    )


def test_bad_input_is_answered_in_spanish_and_keeps_what_was_typed(
    coordinator: Persona, shelter: dm.Service, case: Case, client_for: Callable[[Persona], Client]
) -> None:
    coordinator.user.preferred_language = "es"
    coordinator.user.save(update_fields=["preferred_language"])
    client = client_for(coordinator)
    response = client.post(
        f"/referrals/youth/{case.youth.pk}/suggest",
        {"action": "suggest", "need": str(case.need.pk), "zip_code": "78a0", "age": "15"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Escriba un código postal de cinco dígitos." in body
    assert 'value="78a0"' in body and "Servicios sugeridos" in body

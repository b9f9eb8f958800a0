"""Referral → existing youth: likely matches (phonetic names, other names, date of birth, phone) among
the youths the coordinator may identify, and linking the referral to one of them."""

from __future__ import annotations

import re
from datetime import date
from typing import TypedDict, Unpack

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import ClientFor, Persona, make_persona
from tests.factories.accounts import OrganizationFactory
from threadline.audit.models import AccessEvent
from threadline.core.roles import OrganizationType, Role
from threadline.intake import selectors
from threadline.intake.models import Program, Referral
from threadline.intake.services.referrals import (
    ReferralInput,
    referral_create_youth,
    referral_link_youth,
    referral_submit,
)
from threadline.youth.models import TimelineEntry, Youth
from threadline.youth.policy import YouthNotFound
from threadline.youth.services import youth_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def yesenia(coordinator: Persona) -> Youth:
    """Yesenia, already served by the Cedar Hollow team: goes by Lupita on the street."""
    return youth_create(
        membership=coordinator.membership,
        preferred_name="Yesenia",
        date_of_birth=date(2010, 4, 30),
        aliases=[("street", "Lupita")],
        contact_ways=[{"kind": "phone", "value": "(210) 555-0144"}],
    )


@pytest.fixture
def marisol(coordinator: Persona) -> Youth:
    return youth_create(
        membership=coordinator.membership,
        preferred_name="Marisol",
        contact_ways=[{"kind": "phone", "value": "(210) 555-0177"}],
    )


class ReferralFields(TypedDict, total=False):
    """What a referral form may carry (the fields of services.ReferralInput)."""

    what_is_known: str
    youth_name: str
    youth_aliases: str
    youth_date_of_birth: date | None
    youth_phone: str
    referrer_contact: str
    source: str
    concern: str
    urgent: bool
    county: str
    connection: str
    age: int | None
    language: str


def submit(program: Program, **fields: Unpack[ReferralFields]) -> Referral:
    data: ReferralFields = {
        "what_is_known": "Staying with an older boyfriend, missed school all week."
    } | fields
    return referral_submit(
        program=program,
        channel=Referral.Channel.WEB_FORM,
        data=ReferralInput(**data),
    )


def matched_ids(persona: Persona, referral: Referral, query: str = "") -> list[object]:
    found = selectors.referral_youth_matches(membership=persona.membership, referral=referral, query=query)
    return [match.youth_id for match in found]


def test_a_phonetic_spelling_of_the_name_finds_the_record(
    program: Program, coordinator: Persona, yesenia: Youth, marisol: Youth
) -> None:
    referral = submit(program, youth_name="Llesenia")
    assert matched_ids(coordinator, referral) == [yesenia.pk]


def test_the_phone_finds_the_record_without_any_name(
    program: Program, coordinator: Persona, yesenia: Youth, marisol: Youth
) -> None:
    referral = submit(program, youth_phone="210.555.0144")
    assert matched_ids(coordinator, referral) == [yesenia.pk]
    # A young person who refers themself leaves their own number as the way to reach them.
    self_referral = submit(program, source="self", referrer_contact="text me 210 555 0177")
    assert matched_ids(coordinator, self_referral) == [marisol.pk]
    # Someone else's number is the referrer's, not the youth's: no match on it.
    aunt = submit(program, source="family", referrer_contact="210 555 0177")
    assert matched_ids(coordinator, aunt) == []


def test_other_name_and_date_of_birth_find_the_record_and_rank_it_first(
    program: Program, coordinator: Persona, yesenia: Youth, marisol: Youth
) -> None:
    referral = submit(program, youth_aliases="Loopita", youth_date_of_birth=date(2010, 4, 30))
    [match] = selectors.referral_youth_matches(membership=coordinator.membership, referral=referral)
    assert match.youth_id == yesenia.pk
    assert match.reference == yesenia.reference
    assert match.display_name == "Yesenia"
    assert match.age is not None and 14 <= match.age <= 18
    assert match.matched_on == ("same birth date +12.5", "other name alike +5.6")
    assert match.band == "same" and match.probability > 0.99
    assert match.may_link


def test_only_youths_the_coordinator_may_identify(
    program: Program, coordinator: Persona, advocate: Persona, yesenia: Youth
) -> None:
    # Another Care Coordinator agency serves a second Yesenia: Cedar Hollow must not see her.
    other = OrganizationFactory(
        name="Bluebonnet Advocacy Center", org_type=OrganizationType.CAC, is_care_coordinator=True
    )
    elsewhere = make_persona(email="rosa@bluebonnet.test", role=Role.CARE_COORDINATOR, organization=other)
    hidden = youth_create(membership=elsewhere.membership, preferred_name="Yesenia Campos")
    referral = submit(program, youth_name="Yesenia")
    assert matched_ids(coordinator, referral) == [yesenia.pk]
    assert hidden.pk not in matched_ids(coordinator, referral)
    # Tomas, an advocate, sees only the youths he is personally on the team of: none yet.
    assert matched_ids(advocate, referral) == []


def test_referral_page_offers_matches_and_links_one(
    program: Program, coordinator: Persona, client_for: ClientFor, yesenia: Youth, marisol: Youth
) -> None:
    referral = submit(program, youth_name="Llesenia")
    client = client_for(coordinator)
    html = client.get(f"/intake/referrals/{referral.pk}/").content.decode()
    assert yesenia.reference in html and "Yesenia" in html
    assert marisol.reference not in html
    assert "open a new youth record" in html
    before = AccessEvent.objects.filter(action="link").count()
    response = client.post(
        f"/intake/referrals/{referral.pk}/", {"action": "link_youth", "youth": str(yesenia.pk)}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.youth_id == yesenia.pk
    assert referral.status == Referral.Status.UNDER_REVIEW
    entry = TimelineEntry.objects.get(youth=yesenia, kind="referral_linked")
    assert entry.object_id == str(referral.pk)
    assert "older boyfriend" not in entry.summary  # the referrer's words stay on the referral
    assert AccessEvent.objects.filter(action="link").count() == before + 1
    # Linked: the page says so and offers no more matches.
    html = client.get(f"/intake/referrals/{referral.pk}/").content.decode()
    assert f"Linked to youth record {yesenia.reference}" in html
    assert "Link: this is the same young person" not in html
    # A second click on the same record changes nothing.
    referral_link_youth(membership=coordinator.membership, referral_id=referral.pk, youth_id=yesenia.pk)
    assert TimelineEntry.objects.filter(youth=yesenia, kind="referral_linked").count() == 1


def test_search_by_another_name_is_a_post_so_no_name_goes_into_a_url(
    program: Program, coordinator: Persona, client_for: ClientFor, marisol: Youth
) -> None:
    referral = submit(program, youth_name="Dulce")
    client = client_for(coordinator)
    assert marisol.reference not in client.get(f"/intake/referrals/{referral.pk}/").content.decode()
    response = client.post(f"/intake/referrals/{referral.pk}/", {"action": "search_youth", "q": "Marisoll"})
    assert response.status_code == 200
    assert marisol.reference in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RECEIVED and referral.youth_id is None


def _snapshot(referral: Referral, youth: Youth) -> tuple[object, ...]:
    referral.refresh_from_db()
    return (
        referral.youth_id,
        referral.status,
        referral.updated_at,
        TimelineEntry.objects.filter(youth=youth).count(),
        AccessEvent.objects.count(),
    )


def test_a_partner_cannot_link_and_learns_nothing(
    program: Program, dfps_caseworker: Persona, client_for: ClientFor, yesenia: Youth
) -> None:
    referral = submit(program, youth_name="Yesenia")
    before = _snapshot(referral, yesenia)
    with pytest.raises(PermissionDenied):
        referral_link_youth(
            membership=dfps_caseworker.membership, referral_id=referral.pk, youth_id=yesenia.pk
        )
    response = client_for(dfps_caseworker).post(
        f"/intake/referrals/{referral.pk}/", {"action": "link_youth", "youth": str(yesenia.pk)}
    )
    assert response.status_code == 403
    assert "Yesenia" not in response.content.decode() and yesenia.reference not in response.content.decode()
    assert _snapshot(referral, yesenia) == before


def test_a_record_the_coordinator_may_not_see_answers_like_a_missing_one(
    program: Program, advocate: Persona, client_for: ClientFor, yesenia: Youth
) -> None:
    """Tomas takes referrals but is not on Yesenia's team: linking her is refused exactly like linking
    a record that does not exist, and nothing is written."""
    referral = submit(program, youth_name="Yesenia")
    before = _snapshot(referral, yesenia)
    for youth_id in (yesenia.pk, "00000000-0000-0000-0000-000000000000"):
        with pytest.raises(YouthNotFound):
            referral_link_youth(membership=advocate.membership, referral_id=referral.pk, youth_id=youth_id)
    client = client_for(advocate)
    hidden = client.post(
        f"/intake/referrals/{referral.pk}/", {"action": "link_youth", "youth": str(yesenia.pk)}
    )
    missing = client.post(
        f"/intake/referrals/{referral.pk}/",
        {"action": "link_youth", "youth": "00000000-0000-0000-0000-000000000000"},
    )
    assert hidden.status_code == missing.status_code == 404
    strip = re.compile(r'nonce="[^"]+"|name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"')
    assert strip.sub("", hidden.content.decode()) == strip.sub("", missing.content.decode())
    assert "Yesenia" not in hidden.content.decode()
    assert _snapshot(referral, yesenia) == before


def test_a_referral_linked_to_one_record_is_not_moved_to_another(
    program: Program, coordinator: Persona, yesenia: Youth, marisol: Youth
) -> None:
    referral = submit(program, youth_name="Yesenia")
    referral_link_youth(membership=coordinator.membership, referral_id=referral.pk, youth_id=yesenia.pk)
    with pytest.raises(ValidationError):
        referral_link_youth(membership=coordinator.membership, referral_id=referral.pk, youth_id=marisol.pk)
    referral.refresh_from_db()
    assert referral.youth_id == yesenia.pk
    assert not TimelineEntry.objects.filter(youth=marisol, kind="referral_linked").exists()


def test_a_new_record_keeps_the_other_names_and_phone_so_the_next_referral_finds_it(
    program: Program, coordinator: Persona
) -> None:
    first = submit(program, youth_name="Itzel", youth_aliases="Izzy", youth_phone="(830) 555-0112")
    referral_create_youth(membership=coordinator.membership, referral_id=first.pk)
    first.refresh_from_db()
    assert first.youth is not None
    second = submit(program, youth_aliases="Izzy")
    third = submit(program, youth_phone="830-555-0112")
    assert matched_ids(coordinator, second) == [first.youth_id]
    assert matched_ids(coordinator, third) == [first.youth_id]

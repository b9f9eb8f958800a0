"""Likely matches for a referral through the database: blind-index blocking, encrypted profiles,
the access policy, and a ledger that lists exactly the candidates shown."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.conftest import Persona, make_persona
from tests.factories.accounts import OrganizationFactory
from threadline.audit.models import AccessEvent
from threadline.core.roles import OrganizationType, Role
from threadline.intake.models import Program, Referral
from threadline.intake.services.referrals import ReferralInput, referral_submit
from threadline.matching.models import BlockKey, MatchProfile
from threadline.matching.selectors import referral_candidates
from threadline.youth.models import Youth
from threadline.youth.services import youth_create
from threadline.youth.sharing import care_team_add, consent_record

pytestmark = pytest.mark.django_db


def submit(program: Program, **fields: object) -> Referral:
    data = {"what_is_known": "Missed school all week."} | fields
    return referral_submit(
        program=program,
        channel=Referral.Channel.WEB_FORM,
        data=ReferralInput(**data),  # type: ignore[arg-type]
    )


@pytest.fixture
def alejandra(coordinator: Persona) -> Youth:
    """Alejandra Ruiz Torres, served by the Cedar Hollow team; goes by Smokey."""
    return youth_create(
        membership=coordinator.membership,
        preferred_name="Alejandra Ruiz Torres",
        date_of_birth=date(2010, 3, 4),
        aliases=[("street", "Smokey")],
        counties=[("Bexar", "resides")],
    )


@pytest.fixture
def beatriz(coordinator: Persona) -> Youth:
    return youth_create(
        membership=coordinator.membership,
        preferred_name="Beatriz Ruiz",
        date_of_birth=date(2011, 9, 20),
        counties=[("Bexar", "resides")],
    )


def shown_ids(persona: Persona, referral: Referral) -> list[object]:
    return [c.youth_id for c in referral_candidates(membership=persona.membership, referral=referral)]


def test_the_index_holds_digests_and_an_encrypted_profile_only(alejandra: Youth) -> None:
    profile = MatchProfile.objects.get(youth=alejandra)
    assert profile.data["names"] == ["Alejandra Ruiz Torres"]
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT data FROM {MatchProfile._meta.db_table}")
        raw = bytes(cursor.fetchone()[0])
    assert b"Ruiz" not in raw and b"Smokey" not in raw and b"2010" not in raw
    digests = list(BlockKey.objects.filter(youth=alejandra).values_list("digest", flat=True))
    # 64 bits of a keyed HMAC each: nothing of the name, date or phone is readable or guessable.
    assert len(digests) > 10 and all(isinstance(d, int) and -(2**63) <= d < 2**63 for d in digests)


@pytest.mark.parametrize(
    "fields",
    [
        {"youth_name": "Ale Ruiz", "youth_date_of_birth": date(2010, 3, 4)},  # diminutive
        {
            "youth_name": "Alejandra Torres",
            "youth_date_of_birth": date(2010, 4, 3),
        },  # 2nd surname, swapped d/m
        {"youth_name": "Torres Alejandra", "age": 16},  # swapped names, no birth date
        {"youth_name": "Smokey", "youth_date_of_birth": date(2010, 3, 5)},  # street name, a day off
        {
            "youth_name": "Alejandra Ruiz",
            "youth_date_of_birth": date(2010, 3, 4),
            "county": "Travis",
        },  # moved
    ],
)
def test_a_known_youth_comes_first_despite_the_usual_errors(
    program: Program, coordinator: Persona, alejandra: Youth, beatriz: Youth, fields: dict[str, object]
) -> None:
    found = referral_candidates(membership=coordinator.membership, referral=submit(program, **fields))
    assert found[0].youth_id == alejandra.pk
    assert found[0].reasons and all(isinstance(r, str) for r in found[0].reasons)
    assert beatriz.pk not in [c.youth_id for c in found if c.band == "same"]


def test_a_brand_new_youth_gets_no_candidate(
    program: Program, coordinator: Persona, alejandra: Youth, beatriz: Youth
) -> None:
    referral = submit(program, youth_name="Destiny Whitfield", youth_date_of_birth=date(2012, 5, 9))
    assert shown_ids(coordinator, referral) == []


def test_the_ledger_lists_exactly_the_candidates_shown(
    program: Program, coordinator: Persona, alejandra: Youth, beatriz: Youth
) -> None:
    referral = submit(program, youth_name="Alejandra Ruiz", youth_date_of_birth=date(2010, 3, 4))
    before = AccessEvent.objects.count()
    found = referral_candidates(membership=coordinator.membership, referral=referral)
    rows = AccessEvent.objects.filter(seq__gt=before).order_by("seq")
    assert [r.youth_id for r in rows] == [c.youth_id for c in found]
    assert {(r.action, r.category, r.purpose) for r in rows} == {
        ("search", "identity", "likely matches for a referral")
    }
    assert rows.count() == len(found) >= 1


def test_a_lookup_leaves_no_candidate_for_the_garbage_collector(
    program: Program, coordinator: Persona, alejandra: Youth, beatriz: Youth
) -> None:
    """The candidates' rows (profile, youth, data key, read together) are freed when the lookup is done,
    not left in reference cycles for the collector, whose pauses fell in the slowest lookups."""
    import gc

    referral = submit(program, youth_name="Alejandra Ruiz", youth_date_of_birth=date(2010, 3, 4))
    referral_candidates(membership=coordinator.membership, referral=referral)  # caches warm
    gc.collect()
    gc.disable()
    try:
        gc.set_debug(gc.DEBUG_SAVEALL)
        assert referral_candidates(membership=coordinator.membership, referral=referral)
        gc.collect()
        left = {type(o).__name__ for o in gc.garbage}
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert not left & {"MatchProfile", "Youth", "DataKey"}


def test_only_youths_the_person_may_identify_are_candidates(
    program: Program, coordinator: Persona, dfps_caseworker: Persona, alejandra: Youth, beatriz: Youth
) -> None:
    """A partner on Beatriz's team with an identity consent sees Beatriz; never Alejandra (no team, no
    consent), nor a youth another Care Coordinator serves; the ledger names only Beatriz."""
    care_team_add(
        membership=coordinator.membership,
        youth_id=beatriz.pk,
        organization_id=dfps_caseworker.organization.pk,
        role="dfps_caseworker",
    )
    consent_record(
        membership=coordinator.membership,
        youth_id=beatriz.pk,
        organization_id=dfps_caseworker.organization.pk,
        categories=["identity"],
        purpose="coordinate services",
        given_by="youth",
        minor_may_consent_alone=True,
        starts_at=timezone.now() - timedelta(minutes=1),
    )
    elsewhere = OrganizationFactory(
        name="Bluebonnet Advocacy Center", org_type=OrganizationType.CAC, is_care_coordinator=True
    )
    rosa = make_persona(email="rosa@bluebonnet.test", role=Role.CARE_COORDINATOR, organization=elsewhere)
    hidden = youth_create(
        membership=rosa.membership, preferred_name="Beatriz Ruiz Campos", date_of_birth=date(2011, 9, 20)
    )
    referral = submit(program, youth_name="Beatriz Ruiz", youth_date_of_birth=date(2011, 9, 20))
    before = AccessEvent.objects.count()
    partner_sees = shown_ids(dfps_caseworker, referral)
    assert partner_sees == [beatriz.pk]
    assert list(AccessEvent.objects.filter(seq__gt=before).values_list("youth_id", flat=True)) == [beatriz.pk]
    coordinator_sees = shown_ids(coordinator, referral)
    assert coordinator_sees[0] == beatriz.pk and hidden.pk not in coordinator_sees
    referral_alejandra = submit(
        program, youth_name="Alejandra Ruiz Torres", youth_date_of_birth=date(2010, 3, 4)
    )
    before = AccessEvent.objects.count()
    assert shown_ids(dfps_caseworker, referral_alejandra) == []
    assert AccessEvent.objects.filter(seq__gt=before).count() == 0


def test_a_name_change_reindexes_the_youth(program: Program, coordinator: Persona, alejandra: Youth) -> None:
    from threadline.youth.search_index import reindex

    alejandra.preferred_name = "Paloma Reyes"
    alejandra.save(update_fields=["preferred_name"])
    reindex(alejandra)
    assert shown_ids(
        coordinator, submit(program, youth_name="Paloma Reyes", youth_date_of_birth=date(2010, 3, 4))
    ) == [alejandra.pk]

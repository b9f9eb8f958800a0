"""The coordinators' review queue of possible duplicate records, through real HTTP: pairs listed only
when both records may be opened (ledgered), merge / not the same youth / undo behind a confirm step,
one service call each, a stale decision refused, and a merged record's id leading to the one kept."""

from __future__ import annotations

import re
import uuid
from datetime import date

import pytest

from tests.conftest import ClientFor, Persona, make_persona
from tests.factories.accounts import OrganizationFactory
from threadline.audit.models import AccessEvent
from threadline.core.roles import OrganizationType, Role
from threadline.matching.duplicates import duplicates_scan
from threadline.matching.models import DuplicatePair, MergeRecord
from threadline.matching.review_services import PairDecided, duplicate_pair_dismiss
from threadline.youth.models import Youth
from threadline.youth.services import youth_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def first(coordinator: Persona) -> Youth:
    return youth_create(
        membership=coordinator.membership, preferred_name="Itzel Morales", date_of_birth=date(2011, 6, 2)
    )


@pytest.fixture
def second(coordinator: Persona) -> Youth:
    """The same young person, opened again under a nickname and a second surname."""
    return youth_create(
        membership=coordinator.membership, preferred_name="Izzy Morales Vega", date_of_birth=date(2011, 6, 2)
    )


@pytest.fixture
def pair(first: Youth, second: Youth) -> DuplicatePair:
    duplicates_scan(youth_id=second.pk)
    return DuplicatePair.objects.get()


def _ledger(*youths: Youth) -> int:
    return AccessEvent.objects.filter(youth_id__in=[y.pk for y in youths]).count()


def _state() -> tuple[object, ...]:
    return (
        MergeRecord.objects.count(),
        list(DuplicatePair.objects.values_list("status", "version")),
    )


def test_the_scan_finds_the_pair_once_and_stays_idempotent(first: Youth, second: Youth) -> None:
    duplicates_scan(youth_id=second.pk)
    duplicates_scan(youth_id=first.pk)
    found = DuplicatePair.objects.get()
    assert {found.first_id, found.second_id} == {first.pk, second.pk}
    assert found.first_id.int < found.second_id.int
    assert found.status == DuplicatePair.Status.OPEN and found.probability >= 0.1
    comparisons = {c[0] for c in found.contributions}
    assert {"dob", "surname"} <= comparisons
    # Nothing readable: only comparison names, levels and weights.
    assert "Morales" not in str(found.contributions) and "2011" not in str(found.contributions)


def test_the_queue_shows_both_records_with_each_fields_weight(
    client_for: ClientFor, coordinator: Persona, first: Youth, second: Youth, pair: DuplicatePair
) -> None:
    before = _ledger(first, second)
    response = client_for(coordinator).get("/matching/review/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Itzel Morales" in html and "Izzy Morales Vega" in html
    assert "same birth date +" in html
    assert f"/matching/review/{pair.pk}" in html
    assert _ledger(first, second) == before + 2
    assert set(
        AccessEvent.objects.filter(youth_id__in=[first.pk, second.pk])
        .order_by("-seq")[:2]
        .values_list("purpose", flat=True)
    ) == {"review possible duplicate records"}


def test_the_queue_in_spanish(client_for: ClientFor, coordinator: Persona, pair: DuplicatePair) -> None:
    client = client_for(coordinator)
    response = client.get("/matching/review/", headers={"accept-language": "es"})
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["advocate", "dfps_caseworker", "program_admin", "auditor"])
def test_roles_that_may_not_merge_get_403_and_learn_nothing(
    request: pytest.FixtureRequest,
    client_for: ClientFor,
    first: Youth,
    second: Youth,
    pair: DuplicatePair,
    who: str,
) -> None:
    persona: Persona = request.getfixturevalue(who)
    client = client_for(persona)
    before, ledger_before = _state(), _ledger(first, second)
    assert client.get("/matching/review/").status_code == 403
    for decision in ("merge", "different"):
        response = client.post(
            f"/matching/review/{pair.pk}",
            {"decision": decision, "survivor": first.pk, "version": 1, "confirmed": "yes"},
        )
        assert response.status_code == 403
        assert "Morales" not in response.content.decode()
    assert _state() == before and _ledger(first, second) == ledger_before


def test_a_coordinator_of_another_program_sees_no_pair_and_cannot_decide(
    client_for: ClientFor, first: Youth, second: Youth, pair: DuplicatePair
) -> None:
    elsewhere = OrganizationFactory(
        name="Bluebonnet Advocacy Center", org_type=OrganizationType.CAC, is_care_coordinator=True
    )
    rosa = make_persona(email="rosa@bluebonnet.test", role=Role.CARE_COORDINATOR, organization=elsewhere)
    client = client_for(rosa)
    before, ledger_before = _state(), _ledger(first, second)
    page = client.get("/matching/review/")
    assert page.status_code == 200
    assert "Morales" not in page.content.decode() and str(pair.pk) not in page.content.decode()
    ghost = uuid.uuid4()
    for pair_id in (pair.pk, ghost, "not-an-id"):
        response = client.post(
            f"/matching/review/{pair_id}",
            {"decision": "merge", "survivor": first.pk, "version": 1, "confirmed": "yes"},
        )
        assert response.status_code == 404
    real = client.post(f"/matching/review/{pair.pk}", {"decision": "different"})
    fake = client.post(f"/matching/review/{ghost}", {"decision": "different"})
    assert real.status_code == fake.status_code == 404
    assert scrub(real.content, pair.pk) == scrub(fake.content, ghost)
    assert _state() == before and _ledger(first, second) == ledger_before


def test_a_pair_with_one_record_hidden_is_not_listed(
    client_for: ClientFor, coordinator: Persona, first: Youth
) -> None:
    """Rosa's program holds a youth like Cedar Hollow's: the pair exists, but neither coordinator
    may open both records, so neither queue lists it."""
    elsewhere = OrganizationFactory(
        name="Bluebonnet Advocacy Center", org_type=OrganizationType.CAC, is_care_coordinator=True
    )
    rosa = make_persona(email="rosa@bluebonnet.test", role=Role.CARE_COORDINATOR, organization=elsewhere)
    hers = youth_create(
        membership=rosa.membership, preferred_name="Itzel Morales", date_of_birth=date(2011, 6, 2)
    )
    duplicates_scan(youth_id=hers.pk)
    assert DuplicatePair.objects.count() == 1
    for persona in (coordinator, rosa):
        html = client_for(persona).get("/matching/review/").content.decode()
        assert "No possible duplicates waiting" in html
        assert "Itzel" not in html


def test_merge_asks_first_then_merges_once(
    client_for: ClientFor, coordinator: Persona, first: Youth, second: Youth, pair: DuplicatePair
) -> None:
    client = client_for(coordinator)
    before = _state()
    ask = client.post(f"/matching/review/{pair.pk}", {"decision": "merge", "survivor": first.pk})
    assert ask.status_code == 200
    assert "Merge these two records into one?" in ask.content.decode()
    assert _state() == before  # the confirm step changes nothing
    done = client.post(
        f"/matching/review/{pair.pk}",
        {"decision": "merge", "survivor": first.pk, "version": pair.version, "confirmed": "yes"},
    )
    assert done.status_code == 302 and done["Location"] == "/matching/review/"
    record = MergeRecord.objects.get()
    assert (record.merged_id, record.survivor_id) == (second.pk, first.pk)
    pair.refresh_from_db()
    assert pair.status == DuplicatePair.Status.MERGED and pair.merge_id == record.pk
    # The same confirmed form sent again (a double click, a second coordinator): refused, nothing new.
    again = client.post(
        f"/matching/review/{pair.pk}",
        {"decision": "merge", "survivor": first.pk, "version": 1, "confirmed": "yes"},
    )
    assert again.status_code == 404
    assert MergeRecord.objects.count() == 1


def test_a_stale_decision_is_refused_and_changes_nothing(
    client_for: ClientFor,
    coordinator: Persona,
    supervisor: Persona,
    first: Youth,
    second: Youth,
    pair: DuplicatePair,
) -> None:
    # Ines opened the confirm step for "merge" at version 1; meanwhile Nadia said "not the same"
    # and then the scan re-opened nothing. Ines's merge must not go through.
    duplicate_pair_dismiss(membership=coordinator.membership, pair_id=pair.pk, version=pair.version)
    with pytest.raises(PairDecided):
        duplicate_pair_dismiss(membership=supervisor.membership, pair_id=pair.pk, version=pair.version)
    DuplicatePair.objects.filter(pk=pair.pk).update(
        status=DuplicatePair.Status.OPEN
    )  # re-opened, newer version
    before = _state()
    response = client_for(supervisor).post(
        f"/matching/review/{pair.pk}",
        {"decision": "merge", "survivor": first.pk, "version": 1, "confirmed": "yes"},
    )
    assert response.status_code == 409
    assert "Someone else decided about these records already" in response.content.decode()
    assert _state() == before


def test_not_the_same_youth_leaves_the_queue_for_good(
    client_for: ClientFor, coordinator: Persona, first: Youth, second: Youth, pair: DuplicatePair
) -> None:
    client = client_for(coordinator)
    ledger_before = _ledger(first, second)
    response = client.post(
        f"/matching/review/{pair.pk}",
        {"decision": "different", "version": pair.version, "confirmed": "yes"},
        headers={"hx-request": "true"},
    )
    assert response.status_code == 200
    assert "two different youths" in response.content.decode()
    pair.refresh_from_db()
    assert pair.status == DuplicatePair.Status.DIFFERENT and pair.decided_by == coordinator.user
    rows = AccessEvent.objects.filter(youth_id__in=[first.pk, second.pk], action="not_a_match")
    assert rows.count() == 2
    assert _ledger(first, second) >= ledger_before + 2
    duplicates_scan(youth_id=second.pk)
    assert DuplicatePair.objects.get().status == DuplicatePair.Status.DIFFERENT
    assert "Izzy" not in client.get("/matching/review/").content.decode()


def test_htmx_confirm_step_is_a_partial(
    client_for: ClientFor, coordinator: Persona, first: Youth, pair: DuplicatePair
) -> None:
    response = client_for(coordinator).post(
        f"/matching/review/{pair.pk}",
        {"decision": "merge", "survivor": first.pk},
        headers={"hx-request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Which record stays?" in html and "<html" not in html


def test_undo_a_merge_from_the_queue(
    client_for: ClientFor, coordinator: Persona, first: Youth, second: Youth, pair: DuplicatePair
) -> None:
    client = client_for(coordinator)
    client.post(
        f"/matching/review/{pair.pk}",
        {"decision": "merge", "survivor": first.pk, "version": pair.version, "confirmed": "yes"},
    )
    record = MergeRecord.objects.get()
    page = client.get("/matching/review/").content.decode()
    assert f"/matching/merges/{record.pk}/undo" in page
    ask = client.post(f"/matching/merges/{record.pk}/undo")
    assert ask.status_code == 200 and "Undo this merge?" in ask.content.decode()
    assert MergeRecord.objects.get().undone_at is None
    done = client.post(f"/matching/merges/{record.pk}/undo", {"confirmed": "yes", "reason": "two cousins"})
    assert done.status_code == 302
    record.refresh_from_db()
    assert record.undone_at is not None and record.undo_reason == "two cousins"
    assert DuplicatePair.objects.get().status == DuplicatePair.Status.DIFFERENT
    assert client.post(f"/matching/merges/{record.pk}/undo", {"confirmed": "yes"}).status_code == 404
    assert client.get(f"/youth/{second.pk}/").status_code == 200


def test_a_merged_record_leads_to_the_one_kept(
    client_for: ClientFor,
    coordinator: Persona,
    dfps_caseworker: Persona,
    first: Youth,
    second: Youth,
    pair: DuplicatePair,
) -> None:
    client = client_for(coordinator)
    client.post(
        f"/matching/review/{pair.pk}",
        {"decision": "merge", "survivor": first.pk, "version": pair.version, "confirmed": "yes"},
    )
    before = AccessEvent.objects.filter(youth_id=second.pk).count()
    response = client.get(f"/youth/{second.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/youth/{first.pk}/"
    assert AccessEvent.objects.filter(youth_id=second.pk).count() == before + 1
    assert client.get(response["Location"]).status_code == 200
    # Someone who may not open both records: the 404 of a youth that does not exist, nothing ledgered.
    partner = client_for(dfps_caseworker)
    before = AccessEvent.objects.filter(youth_id__in=[first.pk, second.pk]).count()
    real = partner.get(f"/youth/{second.pk}/")
    ghost = uuid.uuid4()
    fake = partner.get(f"/youth/{ghost}/")
    assert real.status_code == fake.status_code == 404
    assert scrub(real.content, second.pk) == scrub(fake.content, ghost)
    assert AccessEvent.objects.filter(youth_id__in=[first.pk, second.pk]).count() == before


def scrub(body: bytes, some_id: object) -> str:
    text = re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', "", body.decode())
    return text.replace(str(some_id), "ID")

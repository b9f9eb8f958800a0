"""Training the matcher on the program's own records: EM recovers known weights, a new program keeps
the priors, the scorer takes a trained model, term frequency, nothing identifying stored, the command
and the nightly job."""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterator
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from pytest_django import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks

from tests.conftest import Persona
from threadline.audit.models import AccessEvent
from threadline.matching import training_services
from threadline.matching.compare import COMPARISONS, Person, Vector, compare
from threadline.matching.engine import MemoryIndex
from threadline.matching.index import person_of
from threadline.matching.model import DEFAULT, Model, estimate_m, estimate_u
from threadline.matching.models import BlockKey, MatcherModel, MatchProfile
from threadline.matching.selectors import Found, current_model, score_person
from threadline.matching.tasks import matcher_train_nightly
from threadline.matching.training import PRIOR_PAIRS, fit
from threadline.matching.training_services import forget_trained_model, matcher_model_train
from threadline.youth.models import Youth
from threadline.youth.policy import youth_for_maintenance
from threadline.youth.services import youth_create

TODAY = date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _fresh_model_cache() -> Iterator[None]:
    forget_trained_model()
    yield
    forget_trained_model()


# --- the estimation, on hand-made data -------------------------------------------------------------------

TRUE_M = {
    "given": {"exact": 0.70, "nickname": 0.10, "fuzzy": 0.10, "else": 0.10},
    "dob": {"exact": 0.60, "transposed": 0.10, "one_digit": 0.20, "else": 0.10},
}
TRUE_U = {
    "given": {"exact": 0.02, "nickname": 0.005, "fuzzy": 0.01, "else": 0.965},
    "dob": {"exact": 0.001, "transposed": 0.0005, "one_digit": 0.0015, "else": 0.997},
}


def _draw(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def test_em_recovers_known_m_and_u_within_tolerance() -> None:
    """Pairs drawn from known m (one pair in ten a match) and u: the estimates come back within 0.03
    of m, within 20 % of u, and the share of matches within 0.01."""
    rng = random.Random(5)
    pairs = []
    for n in range(20000):
        source = TRUE_M if n % 10 == 0 else TRUE_U
        pairs.append(Vector({c: _draw(rng, source[c]) for c in source}, {}))
    randoms = [Vector({c: _draw(rng, TRUE_U[c]) for c in TRUE_U}, {}) for _ in range(200000)]
    start = Model()
    for comparison in TRUE_M:
        # Only the levels drawn here: the others would keep their prior pseudo-counts.
        start.levels[comparison] = {lv: DEFAULT[comparison][lv] for lv in TRUE_M[comparison]}
    with_u = estimate_u(randoms, start, prior_strength=1.0)
    for comparison, by_level in TRUE_U.items():
        for level, u in by_level.items():
            assert with_u.levels[comparison][level][1] == pytest.approx(u, rel=0.2)
    trained, share = estimate_m(pairs, with_u, iterations=200, prior_strength=1.0, start_lambda=0.3)
    assert share == pytest.approx(0.1, abs=0.01)
    for comparison, by_level in TRUE_M.items():
        for level, m in by_level.items():
            assert trained.levels[comparison][level][0] == pytest.approx(m, abs=0.03)


GIVEN = ["Ana", "Lucia", "Sofia", "Valeria", "Camila", "Daniela", "Mariana", "Paula", "Elena", "Julia"]
SURNAMES = ["Ortiz", "Vega", "Rios", "Campos", "Navarro", "Soto", "Pena", "Mora", "Ibarra", "Fuentes"]


def _person(rng: random.Random, dob_days: int, guardian: bool) -> Person:
    first, second = rng.choice(SURNAMES), rng.choice(SURNAMES)
    return Person.make(
        names=[f"{rng.choice(GIVEN)} {first} {second}"],
        dob=date(2008, 1, 1) + timedelta(days=rng.randrange(dob_days)),
        counties=[rng.choice(["Bexar", "Travis", "Webb"])],
        guardians=[f"{rng.choice(GIVEN)} {first}"] if guardian else [],
    )


def _people(
    n: int, rng: random.Random, *, dob_days: int = 3650, guardians: bool = False
) -> dict[int, Person]:
    return {i: _person(rng, dob_days, guardians) for i in range(n)}


def _index(people: dict[int, Person]) -> MemoryIndex[int]:
    index: MemoryIndex[int] = MemoryIndex()
    for key, person in people.items():
        index.add(key, person)
    return index


def test_a_new_program_keeps_the_priors() -> None:
    fitted = fit(_index(_people(50, random.Random(1))), today=TODAY)
    assert not fitted.trained and fitted.records == 50
    assert fitted.model.levels == Model().levels and fitted.model.known_rate == Model().known_rate


def test_exact_u_is_counted_from_the_records_and_smoothed_towards_the_prior() -> None:
    """Birth dates over 30 days among 400 records: about one random pair in 30 shares one (the prior
    says one in 6,700); the counted u is exact, weighed against the prior as ``PRIOR_PAIRS`` pairs."""
    people = _people(400, random.Random(2), dob_days=30)
    fitted = fit(_index(people), today=TODAY)
    counts: dict[date, int] = {}
    for person in people.values():
        assert person.dob is not None
        counts[person.dob] = counts.get(person.dob, 0) + 1
    pairs = 400 * 399
    collisions = sum(c * (c - 1) for c in counts.values())
    expected = (collisions + PRIOR_PAIRS * DEFAULT["dob"]["exact"][1]) / (pairs + PRIOR_PAIRS)
    assert fitted.trained
    assert fitted.model.levels["dob"]["exact"][1] == pytest.approx(expected)
    assert fitted.model.levels["dob"]["exact"][1] > 0.02  # a shared birth date says little here
    # The first names come from ten: about one random pair in ten shares one.
    assert fitted.model.levels["given"]["exact"][1] == pytest.approx(0.1, abs=0.03)


def test_records_without_duplicates_keep_the_priors_m() -> None:
    """EM over pairs of different youths only learns coincidences: too few likely matches, the m of
    the priors stay (u is still learnt)."""
    fitted = fit(_index(_people(400, random.Random(3), dob_days=3650)), today=TODAY)
    assert fitted.trained
    for comparison, by_level in DEFAULT.items():
        for level, (m, _u) in by_level.items():
            assert fitted.model.levels[comparison][level][0] == m
    assert fitted.model.levels["dob"]["exact"][1] != DEFAULT["dob"]["exact"][1]


def test_guardians_sharing_the_youths_surname_do_not_turn_namesakes_into_matches() -> None:
    """Pairs found by a shared name also share their guardians' surname (a guardian often carries the
    youth's): that agreement comes with the rule, it is no sign of one youth, and EM must not learn
    the namesakes as matches."""
    fitted = fit(_index(_people(600, random.Random(6), guardians=True)), today=TODAY)
    assert fitted.summary["np"]["pairs"] > 100
    assert not fitted.summary["np"]["used"] and not fitted.summary["dob"]["used"]
    assert fitted.model.levels["dob"]["else"][0] == DEFAULT["dob"]["else"][0]


def test_records_with_duplicates_learn_m_from_them() -> None:
    """A third of the records are second copies of others with the birth date's day and month
    transposed: EM over the pairs that share a name learns that matches often transpose them."""
    rng = random.Random(4)
    people = _people(600, rng)
    for i in range(300):
        original = people[i]
        assert original.dob is not None
        day = original.dob
        twin = date(day.year, day.day, day.month) if day.day <= 12 and day.day != day.month else day
        people[1000 + i] = Person.make(names=list(original.names), dob=twin, counties=list(original.counties))
    fitted = fit(_index(people), today=TODAY)
    assert fitted.summary["np"]["used"]
    assert fitted.model.levels["dob"]["transposed"][0] > 3 * DEFAULT["dob"]["transposed"][0]


# --- through the database ------------------------------------------------------------------------------

pytestdb = pytest.mark.django_db

NAMES = [
    ("Maria Ortega", date(2010, 5, 1)),
    ("Maria Salinas", date(2010, 5, 1)),
    ("Maria Cardenas", date(2010, 5, 1)),
    ("Maria Villalobos", date(2010, 5, 1)),
    ("Maria Bustamante", date(2011, 2, 3)),
    ("Maria Escobedo", date(2011, 7, 9)),
    ("Maria Zamudio", date(2012, 1, 14)),
    ("Xiomara Quintanilla", date(2010, 5, 1)),
    ("Renata Olvera", date(2009, 11, 30)),
    ("Itzel Barragan", date(2013, 8, 22)),
]


@pytest.fixture
def program_youths(coordinator: Persona) -> list[Youth]:
    return [
        youth_create(membership=coordinator.membership, preferred_name=name, date_of_birth=dob)
        for name, dob in NAMES
    ]


@pytestdb
def test_a_new_program_stores_no_model_and_the_scorer_keeps_the_priors(program_youths: list[Youth]) -> None:
    assert matcher_model_train() is None  # ten youths: fewer than the minimum
    assert not MatcherModel.objects.exists()
    assert current_model().levels == Model().levels
    event = AccessEvent.objects.filter(action="matcher_train").get()
    assert event.actor_id is None and "kept the priors: 10 youths" in event.purpose


@pytestdb
def test_the_scorer_uses_the_trained_model_once_present(
    program_youths: list[Youth], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    """Half the program's youths share one birth date: once trained, agreeing on it weighs less, and a
    youth who fits a referral on that birth date alone is less likely to be the one referred."""
    referral = Person.make(names=["Xiomara Quintanilla"], dob=date(2010, 5, 1))
    by_name = {y.preferred_name: y.pk for y in program_youths}

    def scored() -> dict[object, Found]:
        found = score_person(person=referral, visible=youth_for_maintenance(), today=TODAY)
        return {f.youth_id: f for f in found}

    def dob_weight(found: Found) -> float:
        return next(c.weight for c in found.contributions if c.comparison == "dob")

    before = scored()
    with django_capture_on_commit_callbacks(execute=True):  # the cached priors are forgotten on commit
        row = matcher_model_train(min_records=5, today=TODAY)
    assert row is not None and row.version == 1 and row.records == 10 and row.sampled == 10
    model = current_model()
    assert model.levels == Model.from_json(json.dumps(row.weights)).levels
    after = scored()
    xiomara, ortega = by_name["Xiomara Quintanilla"], by_name["Maria Ortega"]
    assert dob_weight(before[xiomara]) == Model().level_weight("dob", "exact")
    assert dob_weight(after[xiomara]) == model.level_weight("dob", "exact")
    assert dob_weight(after[xiomara]) < dob_weight(before[xiomara]) - 3
    # Maria Ortega fits only on the shared birth date.
    assert after[ortega].probability < before[ortega].probability
    event = AccessEvent.objects.filter(action="matcher_train").get()
    assert event.object_type == "matcher_model" and event.object_id == "1"


@pytestdb
def test_a_newer_model_is_taken_at_the_next_check_and_no_query_before(
    program_youths: list[Youth],
    django_assert_num_queries: DjangoAssertNumQueries,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert current_model().levels == Model().levels  # one look: no model yet
    matcher_model_train(min_records=5, today=TODAY)
    # The training forgot the cached model after its commit; in a test the commit never comes.
    with django_assert_num_queries(0):
        assert current_model().levels == Model().levels  # within the minute: no query, the cache
    monkeypatch.setattr(training_services, "CHECK_EVERY", 0.0)
    trained = current_model()
    assert trained.levels != Model().levels
    assert trained.levels == Model.from_json(json.dumps(MatcherModel.objects.get().weights)).levels


@pytestdb
def test_a_common_first_name_weighs_less_than_a_rare_one(program_youths: list[Youth]) -> None:
    matcher_model_train(min_records=5, today=TODAY)
    visible = youth_for_maintenance()

    def given_weight(name: str, dob: date) -> float:
        found = score_person(person=Person.make(names=[name], dob=dob), visible=visible, today=TODAY)
        best = found[0]
        assert best.profile["names"] == [name]
        return next(c.weight for c in best.contributions if c.comparison == "given")

    common = given_weight("Maria Zamudio", date(2012, 1, 14))  # seven of ten youths are Maria
    rare = given_weight("Renata Olvera", date(2009, 11, 30))
    # In ten youths one "Renata" is still one in ten: rarer than "Maria", not rare for a program.
    assert common < rare
    assert common < current_model().level_weight("given", "exact")


@pytestdb
def test_the_model_table_holds_nothing_identifying(program_youths: list[Youth]) -> None:
    row = matcher_model_train(min_records=5, today=TODAY)
    assert row is not None
    stored = json.dumps(
        {
            "weights": row.weights,
            "summary": row.summary,
            "fields": [str(getattr(row, f.attname)) for f in MatcherModel._meta.concrete_fields],
        }
    ).lower()
    words = {w.lower() for name, _dob in NAMES for w in name.split()}
    dates = {dob.isoformat() for _name, dob in NAMES} | {dob.strftime("%m/%d/%Y") for _n, dob in NAMES}
    digests = {str(d) for d in BlockKey.objects.values_list("digest", flat=True)}
    assert not [w for w in words | dates | digests if w in stored]
    assert set(row.weights) == {"known_rate", "levels"}
    for comparison, by_level in row.weights["levels"].items():
        assert set(by_level) <= set(COMPARISONS[comparison])
        assert all(len(mu) == 2 and all(isinstance(x, float) for x in mu) for mu in by_level.values())
    assert set(row.summary) == {"records", "queries", "dob", "np"}


@pytestdb
def test_the_command_trains_once_and_is_idempotent(program_youths: list[Youth]) -> None:
    out = StringIO()
    call_command("matching_train", stdout=out)
    assert out.getvalue().strip() == "too few indexed youths: the matcher keeps its priors"
    for _ in range(2):
        out = StringIO()
        call_command("matching_train", "--min-records", "5", stdout=out)
        assert out.getvalue().strip() == "matcher model version 1: 10 of 10 youths"
    assert MatcherModel.objects.count() == 1
    assert list(AccessEvent.objects.filter(action="matcher_train").values_list("purpose", flat=True)) == [
        "kept the priors: 10 youths, fewer than 200",
        "trained on 10 of 10 youths",
        "unchanged: 10 youths",
    ]


@pytestdb
def test_a_changed_program_makes_a_new_version(coordinator: Persona, program_youths: list[Youth]) -> None:
    first = matcher_model_train(min_records=5, today=TODAY)
    youth_create(
        membership=coordinator.membership, preferred_name="Noelia Sandoval", date_of_birth=date(2010, 5, 1)
    )
    second = matcher_model_train(min_records=5, today=TODAY)
    assert first is not None and second is not None
    assert (first.version, second.version, second.records) == (1, 2, 11)


@pytestdb
def test_the_training_reads_at_most_its_limit_of_profiles(program_youths: list[Youth]) -> None:
    row = matcher_model_train(min_records=5, limit=6, today=TODAY)
    assert row is not None and (row.sampled, row.records) == (6, 10)


@pytestdb
def test_the_nightly_job_and_the_reindex_train(
    program_youths: list[Youth], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert matcher_train_nightly.call_local() == 0  # ten youths: the priors stay
    monkeypatch.setattr(training_services, "MIN_RECORDS", 5)
    assert matcher_train_nightly.call_local() == 1
    MatchProfile.objects.all().delete()
    BlockKey.objects.all().delete()
    call_command("matching_reindex", stdout=StringIO())
    assert list(AccessEvent.objects.filter(action="matcher_train").values_list("purpose", flat=True)) == [
        "kept the priors: 10 youths, fewer than 200",
        "trained on 10 of 10 youths",
        "unchanged: 10 youths",  # after the reindex, the same records: the same model
    ]


def test_a_profile_read_back_compares_like_the_person_it_came_from() -> None:
    """The training compares profiles as the request path does (``index.person_of``)."""
    person = person_of({"names": ["Ana Ortiz"], "dob": "2010-05-01", "counties": ["Bexar"]}, TODAY)
    vector = compare(person, person, TODAY)
    assert vector.levels["given"] == "exact" and vector.levels["dob"] == "exact"
    assert not math.isnan(Model().score(vector, population=10).weight)


def test_rare_levels_u_is_counted_from_the_records_not_sampled() -> None:
    """A name one letter off and the birth-date levels short of exact: u counted over every pair of
    records from how many carry each value (what comparing every pair would find), smoothed towards
    the prior; sampled, a random pair would rarely meet them and the floor would weigh "a day apart"
    almost as much as the same birth date."""
    rng = random.Random(9)
    firsts = ["Mia", "Mai", "Emily", "Emiily", "Jared", "Jarred", "Rosa", "Ximena"]
    lasts = ["Hingston", "Hingstone", "Reid", "Reed", "Soto", "Garcia", "Whitfield", "Ochoa"]
    people = {
        i: Person.make(
            names=[f"{rng.choice(firsts)} {rng.choice(lasts)}"],
            dob=date(2010, 1, 1) + timedelta(days=rng.randrange(400)),
        )
        for i in range(300)
    }
    fitted = fit(_index(people), today=TODAY)
    found: dict[tuple[str, str], int] = {}
    for i, a in people.items():
        for j, b in people.items():
            if i != j:
                levels = compare(a, b, TODAY).levels
                for comparison in ("given", "surname", "dob"):
                    key = (comparison, levels[comparison])
                    found[key] = found.get(key, 0) + 1
    pairs = 300 * 299
    for comparison, level in [
        ("given", "typo"),
        ("surname", "typo"),
        ("dob", "transposed"),
        ("dob", "swapped"),
        ("dob", "one_digit"),
        ("dob", "off_by_one"),
    ]:
        prior = DEFAULT[comparison][level][1]
        expected = (found.get((comparison, level), 0) + PRIOR_PAIRS * prior) / (pairs + PRIOR_PAIRS)
        assert fitted.model.levels[comparison][level][1] == pytest.approx(expected), (comparison, level)
    assert found[("given", "typo")] > 1000 and found[("surname", "typo")] > 1000
    assert all(found[("dob", level)] > 10 for level in ("transposed", "swapped", "one_digit", "off_by_one"))

"""The Fellegi–Sunter model: weights, term frequency, probability, EM, and the in-memory engine on
hand-made referrals (the same blocking and scoring as the database path)."""

from __future__ import annotations

import math
import random
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from threadline.matching.blocking import dob_variants, referral_keys, youth_keys
from threadline.matching.compare import Person, Vector, compare
from threadline.matching.engine import LOWER, UPPER, Band, MemoryIndex, band_of
from threadline.matching.explain import phrase, reasons
from threadline.matching.model import (
    DEFAULT,
    Contribution,
    Model,
    Score,
    at_most_one,
    estimate_m,
    estimate_m_by_rules,
    estimate_u,
    exact_u,
    probability_of,
)

TODAY = date(2026, 12, 1)


def test_a_level_weighs_log2_m_over_u() -> None:
    model = Model()
    m, u = DEFAULT["dob"]["exact"]
    assert model.level_weight("dob", "exact") == math.log2(m / u)
    assert model.level_weight("dob", "null") == 0.0


def test_a_common_name_weighs_less_than_a_rare_one() -> None:
    model = Model()
    common = model.tf_weight("given", "exact", 900, 10000)  # "Maria": 9 % of the youths
    rare = model.tf_weight("given", "exact", 1, 10000)
    assert common < model.level_weight("given", "exact") < rare
    assert rare <= model.level_weight("given", "exact") + 4.0  # the bonus is bounded


def test_probability_from_bits() -> None:
    assert probability_of(0.0) == 0.5
    assert round(probability_of(math.log2(99)), 6) == 0.99
    assert probability_of(100) == 1.0 and probability_of(-100) == 0.0


@given(st.floats(min_value=-50, max_value=50))
def test_probability_grows_with_the_weight(bits: float) -> None:
    assert probability_of(bits) <= probability_of(bits + 0.5)


def test_bands() -> None:
    assert band_of(UPPER) == Band.SAME
    assert band_of(LOWER) == Band.REVIEW
    assert band_of(LOWER / 2) == Band.NEW


def test_a_model_survives_saving_and_loading() -> None:
    model = Model(known_rate=0.3)
    model.levels["dob"]["exact"] = (0.9, 0.0002)
    loaded = Model.from_json(model.to_json())
    assert loaded.levels["dob"]["exact"] == (0.9, 0.0002)
    assert loaded.known_rate == 0.3
    assert loaded.levels["phone"] == DEFAULT["phone"]


def test_explanations_name_the_evidence_with_its_sign() -> None:
    assert phrase(Contribution("dob", "exact", 6.14)) == "same birth date +6.1"
    assert phrase(Contribution("county", "else", -0.44)) == "other county \u22120.4"
    listed = reasons([Contribution("county", "else", -0.4), Contribution("dob", "exact", 12.5)])
    assert listed == ["same birth date +12.5", "other county \u22120.4"]


def test_em_learns_that_matches_agree() -> None:
    """Pairs from two populations: the matches agree on the birth date, the others do not."""
    rng = random.Random(3)
    vectors = []
    for n in range(2000):
        match = n % 10 == 0
        dob = "exact" if (match and rng.random() < 0.9) else ("else" if not match else "one_digit")
        given_level = "exact" if (match and rng.random() < 0.8) else "else"
        vectors.append(Vector({"dob": dob, "given": given_level}, {}))
    prior = Model()
    prior.levels["dob"]["exact"] = (0.5, 0.01)  # a poor start
    randoms = [Vector({"dob": "else", "given": "else"}, {}) for _ in range(500)]
    with_u = estimate_u(randoms, prior)
    trained, share = estimate_m(vectors, with_u, iterations=20)
    assert trained.levels["dob"]["exact"][0] > 0.8
    assert 0.07 < share < 0.13


def test_birth_date_variants_cover_the_usual_mistakes() -> None:
    variants = dob_variants(date(2010, 3, 4))
    assert date(2010, 4, 3) in variants  # day and month swapped
    assert date(2010, 3, 5) in variants and date(2010, 3, 3) in variants  # a day off
    assert date(2011, 3, 4) in variants and date(2010, 3, 24) in variants  # one digit
    assert date(2010, 3, 4) not in variants


def test_keys_hold_no_readable_value_once_digested() -> None:
    from threadline.matching.index import digests_of

    person = Person.make(names=["Alejandro Ruiz"], dob=date(2010, 3, 14), phones=["210 555 0144"])
    from django.test import override_settings

    digests = digests_of(person)
    assert all(isinstance(d, int) and -(2**63) <= d < 2**63 for d in digests)
    assert len(digests) == len(youth_keys(person))
    # Keyed: the same name under another blind-index key gives other digests.
    with override_settings(BLIND_INDEX_KEY="another-key-for-this-test-only-0123456789"):
        assert not digests & digests_of(person)


def test_each_tolerated_error_still_shares_a_blocking_key() -> None:
    youth = Person.make(names=["Alejandro Ruiz Torres"], dob=date(2010, 3, 4), aliases=["Smokey"])
    stored = youth_keys(youth)
    for referral in (
        Person.make(names=["Alex Ruiz"]),  # nickname, one surname, no birth date
        Person.make(names=["Torres Alejandro"]),  # swapped, second surname
        Person.make(names=["Alehandro Ruis"], dob=date(2010, 4, 3)),  # misspelled, day/month swapped
        Person.make(names=["Smokey"]),  # street name only
        Person.make(names=["Alejandro Rios"], dob=date(2010, 3, 14)),  # one digit off
    ):
        found = {(k.kind, k.value) for k in referral_keys(referral, today=TODAY)}
        assert found & stored, referral.names


def test_a_typo_in_each_name_word_or_in_a_common_name_still_shares_a_blocking_key() -> None:
    """No birth date and no word of the name spelled or sounding right, or one too common to find
    anybody alone: the first two letters of first name and surname, or their last two, still meet."""
    youth = Person.make(names=["Emily Hingston"], dob=date(2010, 3, 4))
    stored = youth_keys(youth)
    assert {k for k in stored if k[0] == "ps"} == {("ps", "em|hi"), ("ps", "ly/on")}  # two keys a youth
    for referral in (
        Person.make(names=["Emiily Hingstxon"]),  # a letter added to each word
        Person.make(names=["Emilt Hingstom"]),  # the last letter of each wrong
        Person.make(names=["Hingstxon Emiily"]),  # and swapped
    ):
        found = {(k.kind, k.value) for k in referral_keys(referral, today=TODAY) if k.kind == "ps"}
        assert found & stored, referral.names
    index: MemoryIndex[str] = MemoryIndex()
    index.add("emily", youth)
    ranked = index.match(Person.make(names=["Emiily Hingstxon"]), model=Model(), today=TODAY)
    assert [r.key for r in ranked] == ["emily"]
    assert {(c.comparison, c.level) for c in ranked[0].score.contributions} >= {
        ("given", "typo"),
        ("surname", "typo"),
    }


def test_only_the_first_name_with_a_surname_gets_the_letter_keys() -> None:
    youth = Person.make(names=["Jess", "Jessica Morgan", "Jessica Moreno"], aliases=["Smokey Bear"])
    assert {k for k in youth_keys(youth) if k[0] == "ps"} == {("ps", "je|mo"), ("ps", "ca/an")}


def _index() -> MemoryIndex[str]:
    index: MemoryIndex[str] = MemoryIndex()
    index.add(
        "alejandro",
        Person.make(
            names=["Alejandro Ruiz Torres"],
            dob=date(2010, 3, 14),
            counties=["Bexar"],
            phones=["2105550144"],
            aliases=["Smokey"],
        ),
    )
    index.add(
        "elizabeth", Person.make(names=["Elizabeth Ann Carter"], dob=date(2009, 11, 2), counties=["Travis"])
    )
    index.add(
        "maria", Person.make(names=["Maria de la Cruz Garcia"], dob=date(2011, 7, 4), counties=["Bexar"])
    )
    index.add("maria2", Person.make(names=["Maria Garcia"], dob=date(2011, 8, 5), counties=["Bexar"]))
    return index


def test_hand_made_referrals_find_their_youth_first() -> None:
    index = _index()
    model = Model()
    cases = {
        "alejandro": [
            Person.make(names=["Alex Ruiz"], dob=date(2010, 3, 14)),
            Person.make(names=["Torres Alejandro"], dob=date(2010, 3, 15)),
            Person.make(names=["Smokey"], dob=date(2010, 3, 14)),
            Person.make(phones=["(210) 555-0144"]),
        ],
        "elizabeth": [Person.make(names=["Liz Carter"], dob=date(2009, 2, 11))],
        "maria": [Person.make(names=["Maria Cruz"], age=15)],
    }
    for youth, referrals in cases.items():
        for referral in referrals:
            ranked = index.match(referral, model=model, today=TODAY)
            assert ranked[0].key == youth, referral
            assert ranked[0].probability >= LOWER, referral


def test_a_new_youth_is_not_offered_as_someone_else() -> None:
    ranked = _index().match(
        Person.make(names=["Destiny Whitfield"], dob=date(2012, 5, 9)), model=Model(), today=TODAY
    )
    assert [r for r in ranked if r.probability >= LOWER] == []


def test_removing_a_record_takes_it_out_of_every_key() -> None:
    index = _index()
    index.remove("alejandro")
    assert (
        index.match(Person.make(names=["Alejandro Ruiz"], dob=date(2010, 3, 14)), model=Model(), today=TODAY)
        == []
    )


def test_scores_do_not_depend_on_argument_order_of_equal_people() -> None:
    a = Person.make(names=["Ana Soto"], dob=date(2010, 1, 2))
    assert compare(a, a, TODAY).levels["given"] == "exact"


def test_two_youths_fitting_equally_well_are_each_only_for_review() -> None:
    index: MemoryIndex[str] = MemoryIndex()
    for key in ("one", "two"):  # namesakes, neither with a birth date
        index.add(key, Person.make(names=["Aidan Finlay"], counties=["Bexar"]))
    referral = Person.make(names=["Aidan Finlay"], counties=["Bexar"])
    pair = index.match(referral, model=Model(), today=TODAY)
    assert pair[0].score.weight == pair[1].score.weight
    assert pair[0].probability < probability_of(pair[0].score.weight)
    assert pair[0].probability < 0.5
    assert pair[1].probability <= pair[0].probability


def test_one_candidate_keeps_its_probability_and_a_second_never_rises_above_the_first() -> None:
    strong = Score(10.0, probability_of(10.0), ())
    weak = Score(-2.0, probability_of(-2.0), ())
    assert at_most_one([strong]) == [strong]
    first, second = at_most_one([strong, weak])
    assert first.probability == 2.0**10 / (1 + 2.0**10 + 2.0**-2)
    assert second.probability == weak.probability and second.weight == weak.weight
    tied = at_most_one([strong, Score(10.0, probability_of(10.0), ())])
    assert tied[0].probability < 0.5 and tied[1].probability == tied[0].probability


def test_exact_u_is_the_chance_that_two_random_records_share_the_value() -> None:
    assert exact_u([1, 1, 1, 1], 4) == 0.0
    assert exact_u([2, 2], 4) == 4 / 12
    assert exact_u([], 1) == 0.0


def test_em_per_blocking_rule_does_not_learn_namesakes_as_the_same_youth() -> None:
    """Among pairs sharing a first name, most are namesakes; among pairs sharing a birth date, most are
    strangers. EM over one rule's pairs, holding the comparison the rule fixed, learns how a same youth's
    birth date (resp. name) differs: not that a shared first name makes the same youth."""
    rng = random.Random(5)

    def level(match: bool, agree: str, differ: str, m: float, u: float) -> str:
        return agree if rng.random() < (m if match else u) else differ

    by_dob, by_name = [], []
    for n in range(3000):
        match = n % 3 == 0
        names = {
            "given": level(match, "exact", "else", 0.8, 0.01),
            "surname": level(match, "exact", "else", 0.8, 0.01),
        }
        by_dob.append(Vector({"dob": "exact", **names}, {}))
        others = {
            "dob": level(match, "exact", "else", 0.85, 0.001),
            "county": level(match, "same", "else", 0.9, 0.3),
            "gender": level(match, "same", "else", 0.97, 0.5),
        }
        by_name.append(Vector({"given": "exact", "surname": "exact", **others}, {}))
    start = estimate_u([Vector({"dob": "else", "given": "else"}, {}) for _ in range(2000)], Model())
    trained, shares = estimate_m_by_rules(
        [(by_dob, frozenset({"dob"})), (by_name, frozenset({"given", "surname"}))], start
    )
    assert 0.7 < trained.levels["given"]["exact"][0] < 0.9
    assert 0.75 < trained.levels["dob"]["exact"][0] < 0.95
    assert all(0.25 < share < 0.42 for share in shares)

"""A name one letter off the youth's (issue 17): a misspelling no youth carries keeps the level's weight;
a name youths carry, one letter from a common one ("Gracia" for "Garcia"), weighs as the more common
word would. The same weights from the in-memory engine and from the database (blind index, encrypted
profiles)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from datetime import date

import pytest

from tests.conftest import Persona
from threadline.matching import selectors
from threadline.matching.compare import Person
from threadline.matching.engine import UPPER, MemoryIndex
from threadline.matching.index import person_of
from threadline.matching.model import Contribution, Model
from threadline.matching.models import MatchProfile
from threadline.matching.selectors import count_words, score_person
from threadline.matching.training_services import forget_trained_model
from threadline.youth.policy import youth_for_maintenance
from threadline.youth.services import youth_create

TODAY = date(2026, 12, 1)

# Elaine Garcia; one youth named Gracia (so "Gracia" is a name youths carry); eight more Garcias.
YOUTHS = [
    ("Elaine Garcia", date(2010, 6, 13)),
    ("Rosa Gracia", date(2012, 1, 20)),
    *(
        (f"{first} Garcia", date(2009, 1 + i, 3))
        for i, first in enumerate(["Ana", "Luz", "Marta", "Sofia", "Paula", "Irene", "Carmen", "Rocio"])
    ),
]
GRACIA = Person.make(names=["Elaine Gracia"], age=16)  # a name of its own, one letter from Garcia
GARCAI = Person.make(names=["Elaine Garcai"], age=16)  # a misspelling: no youth carries it


def surname_weight(contributions: Iterable[Contribution]) -> float:
    return next(c.weight for c in contributions if c.comparison == "surname")


def test_a_name_one_letter_off_weighs_by_whether_the_referrals_word_is_a_name_youths_carry() -> None:
    model = Model()
    base = model.level_weight("surname", "typo")
    # "Gonzalz": no youth carries it (the database leaves such a word out): a misspelling.
    assert model.typo_weight("surname", "typo", [0, 271], 10000) == base
    assert model.typo_weight("surname", "typo", [None, 271], 10000) == base
    # "Gracia" (9 youths) given for "Garcia" (251): as likely another of the Garcias.
    assert model.typo_weight("surname", "typo", [9, 251], 10000) < base - 4
    assert model.typo_weight("surname", "typo", [251, 9], 10000) < base - 4  # either way round
    # Two rare names one letter apart never weigh more than the level's average.
    assert model.typo_weight("surname", "typo", [1, 1], 10000) == base


def test_in_memory_a_new_gracia_is_not_offered_as_elaine_garcia_and_a_misspelling_still_is() -> None:
    index: MemoryIndex[str] = MemoryIndex()
    for name, dob in YOUTHS:
        index.add(name, Person.make(names=[name], dob=dob))
    syllables = ["ka", "lo", "mi", "ze", "ru", "vo", "ti"]
    for i, (a, b) in enumerate(itertools.islice(itertools.permutations(syllables, 2), 40)):
        index.add(f"other {i}", Person.make(names=[f"Jo {a}{b}tor"], dob=date(2008, 1 + i % 12, 1 + i % 28)))
    gracia = index.match(GRACIA, model=Model(), today=TODAY)
    garcai = index.match(GARCAI, model=Model(), today=TODAY)
    assert gracia[0].key == garcai[0].key == "Elaine Garcia"
    assert gracia[0].probability < UPPER <= garcai[0].probability
    assert surname_weight(garcai[0].score.contributions) == Model().level_weight("surname", "typo")


@pytest.fixture
def youths(coordinator: Persona, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    forget_trained_model()  # the priors, as the in-memory engine below
    monkeypatch.setattr(selectors, "_POPULATION", {})  # counted afresh: these youths only
    for name, dob in YOUTHS:
        youth_create(membership=coordinator.membership, preferred_name=name, date_of_birth=dob)
    yield
    forget_trained_model()


@pytest.mark.django_db
@pytest.mark.usefixtures("youths")
def test_the_database_weighs_a_name_one_letter_off_as_the_in_memory_engine() -> None:
    index: MemoryIndex[object] = MemoryIndex()
    for row in MatchProfile.objects.all():
        index.add(row.youth_id, person_of(row.data, TODAY))
    assert len(index.people) == len(YOUTHS)
    weights = {}
    for referral in (GRACIA, GARCAI):
        found = score_person(person=referral, visible=youth_for_maintenance(), today=TODAY)
        ranked = index.match(referral, model=Model(), today=TODAY)
        assert found[0].youth_id == ranked[0].key
        assert found[0].contributions == ranked[0].score.contributions
        assert found[0].probability == pytest.approx(ranked[0].probability)
        weights[referral] = surname_weight(found[0].contributions)
    assert weights[GARCAI] == Model().level_weight("surname", "typo")
    assert weights[GRACIA] < weights[GARCAI] - 4


def test_a_record_looked_up_among_the_others_is_not_a_youth_carrying_its_own_misspelling() -> None:
    # The duplicate scan: "Elaine Garcai" is on record; only that record carries "garcai".
    index: MemoryIndex[str] = MemoryIndex()
    for name, dob in [*YOUTHS, ("Elaine Garcai", date(2010, 6, 13))]:
        index.add(name, Person.make(names=[name], dob=dob))
    ranked = index.match(index.people["Elaine Garcai"], model=Model(), today=TODAY, exclude="Elaine Garcai")
    assert ranked[0].key == "Elaine Garcia"
    assert surname_weight(ranked[0].score.contributions) == Model().level_weight("surname", "typo")
    assert index.count_words({"garcai", "garcia"}, exclude="Elaine Garcai") == {"garcai": 0, "garcia": 9}


@pytest.mark.django_db
def test_the_database_leaves_the_youth_scanned_out_of_the_word_counts(
    youths: None, coordinator: Persona
) -> None:
    garcai = youth_create(
        membership=coordinator.membership, preferred_name="Elaine Garcai", date_of_birth=date(2010, 6, 13)
    )
    index: MemoryIndex[object] = MemoryIndex()
    for row in MatchProfile.objects.all():
        index.add(row.youth_id, person_of(row.data, TODAY))
    person = index.people[garcai.pk]
    found = score_person(person=person, visible=youth_for_maintenance(), today=TODAY, exclude=[garcai.pk])
    ranked = index.match(person, model=Model(), today=TODAY, exclude=garcai.pk)
    assert found[0].youth_id == ranked[0].key != garcai.pk
    assert found[0].contributions == ranked[0].score.contributions
    assert surname_weight(found[0].contributions) == Model().level_weight("surname", "typo")
    assert count_words({"garcai", "garcia"}, exclude=[garcai.pk]) == {"garcai": 0, "garcia": 9}


@pytest.mark.django_db
@pytest.mark.usefixtures("youths")
def test_words_are_counted_from_the_blind_index() -> None:
    assert count_words({"garcia", "gracia", "elaine", "garcai"}) == {
        "garcia": 9,
        "gracia": 1,
        "elaine": 1,
        "garcai": 0,
    }

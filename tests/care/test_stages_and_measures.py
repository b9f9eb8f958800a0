"""Stage of change (returning to an earlier stage is recorded without blame) and the seed-004
outcome measures as check-ins."""

from __future__ import annotations

import pytest

from threadline.care.measures import BY_MEASURE, MEASURES, CheckInError, Measure, clean_check_in
from threadline.care.stages import Movement, Stage, movement, progression


def test_the_five_stages_in_order() -> None:
    assert list(Stage.values) == ["precontemplation", "contemplation", "preparation", "action", "maintenance"]


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (None, "contemplation", Movement.FIRST),
        ("contemplation", "preparation", Movement.FORWARD),
        ("action", "action", Movement.SAME),
        ("maintenance", "contemplation", Movement.RETURNED),
    ],
)
def test_movement(before: str | None, after: str, expected: Movement) -> None:
    assert movement(before, after) == expected


def test_returning_is_described_as_normal_not_as_failure() -> None:
    label = str(Movement.RETURNED.label).lower()
    assert "normal" in label
    for word in ("fail", "relapse", "non-compliant", "setback"):
        assert word not in label


def test_progression_counts_net_steps() -> None:
    assert progression(["precontemplation", "action", "contemplation", "maintenance"]) == 4
    assert progression(["action", "contemplation"]) == -2
    assert progression(["action"]) == 0


def test_unknown_stage_is_refused() -> None:
    with pytest.raises(ValueError):
        movement(None, "denial")


def test_every_measure_has_a_question_and_its_seed_outcome() -> None:
    assert set(BY_MEASURE) == set(Measure)
    assert len(MEASURES) == len(Measure)
    for definition in MEASURES:
        assert str(definition.question).endswith("?")
        assert definition.logic_model_outcome
    assert BY_MEASURE[Measure.SAFE_HOUSING].logic_model_outcome == "Victim/survivor is in safe housing"


def test_check_in_keeps_what_was_rated_and_skips_the_rest() -> None:
    cleaned = clean_check_in({"safe_housing": "4", "social_support": 2, "emotional_stability": ""})
    assert cleaned == {"safe_housing": 4, "social_support": 2}


@pytest.mark.parametrize("bad", ["0", "6", "x", "3.5", True, " 7"])
def test_check_in_refuses_ratings_off_the_scale(bad: object) -> None:
    with pytest.raises(CheckInError) as caught:
        clean_check_in({"basic_needs": bad})
    assert caught.value.problems == {"basic_needs": "the rating must be a number from 1 to 5"}


def test_check_in_refuses_unknown_measures() -> None:
    with pytest.raises(CheckInError) as caught:
        clean_check_in({"shoe_size": 3})
    assert caught.value.problems == {"shoe_size": "not an outcome measure"}

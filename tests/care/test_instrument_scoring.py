"""Scoring the demo instrument: section and total scores, bands at their edges, rules, actions,
and answers that are missing, declined or wrong."""

from __future__ import annotations

import pytest

from tests.care.helpers import all_fine, demo_definition
from threadline.care.instruments import AnswerError, score, text


def with_answers(**changes: str) -> dict[str, str]:
    return {**all_fine(), **changes}


def test_all_fine_scores_zero_and_schedules_a_rescreen_in_six_months() -> None:
    result = score(demo_definition(), all_fine())
    assert result.complete
    assert (result.total, result.total_min, result.total_max) == (0, 0, 16)
    assert result.band == result.band_at_least == "no_concern"
    assert [(a.kind, a.in_days) for a in result.actions] == [("schedule_rescreen", 180)]


def test_section_scores_add_up_to_the_total() -> None:
    result = score(
        demo_definition(), with_answers(enough_food="not_sure", worried="often", felt_alone="sometimes")
    )
    by_section = {s.section_id: (s.score, s.min, s.max) for s in result.sections}
    assert by_section == {"basics": (1, 0, 6), "feelings": (3, 0, 6), "support": (0, 0, 4)}
    assert result.total == 4


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        ({"worried": "often", "felt_alone": "sometimes"}, 3, "no_concern"),
        ({"worried": "often", "felt_alone": "often"}, 4, "possible_concern"),
        (
            {"worried": "often", "felt_alone": "often", "sleep_trouble": "often", "clinic_access": "no"},
            8,
            "possible_concern",
        ),
        (
            {
                "worried": "often",
                "felt_alone": "often",
                "sleep_trouble": "often",
                "clinic_access": "no",
                "who_to_call": "not_sure",
            },
            9,
            "clear_concern",
        ),
    ],
)
def test_band_edges(answers: dict[str, str], total: int, band: str) -> None:
    result = score(demo_definition(), with_answers(**answers))
    assert (result.total, result.band) == (total, band)
    assert result.rules_fired == ()


def test_possible_concern_creates_a_task_due_in_a_week_and_a_rescreen() -> None:
    result = score(demo_definition(), with_answers(worried="often", felt_alone="often"))
    assert [(a.kind, a.band, a.due_in_days, a.in_days) for a in result.actions] == [
        ("create_task", "possible_concern", 7, None),
        ("schedule_rescreen", "possible_concern", None, 90),
    ]
    assert text(result.actions[0].title, "es").startswith("Hablar con la persona joven")


def test_no_safe_place_tonight_is_a_clear_concern_whatever_the_total() -> None:
    result = score(demo_definition(), with_answers(safe_tonight="no"))
    assert result.total == 2
    assert result.band == "clear_concern"
    assert result.rules_fired == (0,)
    tasks = [(text(a.title), a.due_in_days) for a in result.actions if a.kind == "create_task"]
    assert tasks == [("Follow up with the youth today", 1), ("Review the safety plan together", 3)]


def test_skipped_questions_are_not_scored_as_zero() -> None:
    answers = with_answers(worried="often", felt_alone="often")
    del answers["sleep_trouble"]
    answers["who_to_call"] = ""  # a blank form field is a skipped question
    result = score(demo_definition(), answers)
    assert not result.complete
    assert result.skipped == ("sleep_trouble", "who_to_call")
    assert (result.total, result.possible_low, result.possible_high) == (4, 4, 8)
    # 4..8 is possible concern whatever the two answers turn out to be: the band is known.
    assert result.band == "possible_concern"


def test_incomplete_screening_whose_band_could_still_change() -> None:
    answers = with_answers(worried="often", felt_alone="often", sleep_trouble="often")
    del answers["enough_food"]
    del answers["clinic_access"]
    result = score(demo_definition(), answers)
    assert (result.possible_low, result.possible_high) == (6, 10)
    assert result.band is None
    assert result.band_at_least == "possible_concern"
    # What the answers already show is acted on.
    assert [a.band for a in result.actions] == ["possible_concern", "possible_concern"]


def test_a_skipped_rule_item_keeps_the_band_open() -> None:
    answers = all_fine()
    del answers["safe_tonight"]
    result = score(demo_definition(), answers)
    assert (result.possible_low, result.possible_high) == (0, 2)
    assert result.band is None  # "no" to safe_tonight would make it a clear concern
    assert result.band_at_least == "no_concern"


def test_prefer_not_to_say_is_recorded_as_declined_not_scored() -> None:
    result = score(demo_definition(), with_answers(felt_alone="prefer_not"))
    assert result.declined == ("felt_alone",)
    assert result.skipped == ()
    assert not result.complete
    assert result.total == 0
    section = next(s for s in result.sections if s.section_id == "feelings")
    assert section.unknown == ("felt_alone",)


def test_empty_screening_has_the_lowest_band_as_its_floor() -> None:
    result = score(demo_definition(), {})
    assert (result.total, result.possible_low, result.possible_high) == (0, 0, 16)
    assert result.band is None and result.band_at_least == "no_concern"
    assert len(result.skipped) == 8


def test_answers_that_do_not_fit_are_refused() -> None:
    with pytest.raises(AnswerError) as caught:
        score(demo_definition(), with_answers(worried="always", shoe_size="9"))
    assert caught.value.problems == [
        "worried: 'always' is not an answer on its scale (answers: never, sometimes, often, prefer_not)",
        "'shoe_size' is not an item of demo-wellbeing 1.0",
    ]


def test_a_number_is_not_an_answer_value() -> None:
    with pytest.raises(AnswerError):
        score(demo_definition(), with_answers(worried=2))  # type: ignore[arg-type]  # a number on purpose: the scorer must refuse it


def test_text_falls_back_to_english() -> None:
    assert text({"en": "Hello"}, "es") == "Hello"
    assert text({"en": "Hello", "es": "Hola"}, "es") == "Hola"
    assert text(None) == ""

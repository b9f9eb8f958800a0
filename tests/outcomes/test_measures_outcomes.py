"""Services (VOCA), activities, outcomes and operations measures on hand-made facts."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.outcomes.helpers import at, d
from threadline.outcomes.measures import activities, operations, outcomes, voca
from threadline.outcomes.measures.facts import (
    CheckInFact,
    ContactFact,
    EpisodeFact,
    MandatoryReportFact,
    MeetingFact,
    Period,
    PlacementFact,
    PlanServiceFact,
    ScreeningFact,
    ServiceSpan,
    StageFact,
    TaskFact,
)

YEAR = Period(d("2026-01-01"), d("2026-12-31"))


def test_voca_categories_count_youths_once_per_category_and_every_service() -> None:
    table = voca.voca_services(
        plan_services=[
            PlanServiceFact(1, "housing", d("2026-02-01")),
            PlanServiceFact(1, "legal", d("2026-02-01")),
            PlanServiceFact(2, "education", d("2026-03-01")),
            PlanServiceFact(3, "housing", d("2025-12-31")),  # before the period
        ],
        contacts=[
            ContactFact(1, "in_person", at("2026-02-02")),
            ContactFact(1, "in_person", at("2026-02-09")),
            ContactFact(2, "phone", at("2026-02-03")),
            ContactFact(2, "attempted", at("2026-02-04")),  # no service
        ],
        meetings=[
            MeetingFact(3, "rapid_response", at("2026-01-05"), at("2026-01-05")),
            MeetingFact(2, "service_status", at("2026-01-06"), None),
        ],
        placements=[
            PlacementFact(2, "shelter", d("2026-04-01"), None, True),
            PlacementFact(3, "family", d("2026-04-01"), None, True),
        ],
        period=YEAR,
    )
    rows = {code: cells for (code, _), cells in zip(table.rows, table.cells, strict=True)}
    assert rows[voca.INFORMATION_REFERRAL] == [1, 1]
    assert rows[voca.PERSONAL_ADVOCACY] == [2, 3]  # youth 1 twice in person, youth 3 one meeting held
    assert rows[voca.EMOTIONAL_SAFETY] == [1, 1]
    assert rows[voca.SHELTER_HOUSING] == [2, 2]
    assert rows[voca.JUSTICE] == [1, 1]


def test_meetings_held_and_not_held_by_type() -> None:
    table = activities.meetings_by_type(
        [
            MeetingFact(1, "rapid_response", at("2026-01-05"), at("2026-01-05")),
            MeetingFact(2, "rapid_response", at("2025-12-30"), at("2026-01-02")),  # held in the period
            MeetingFact(1, "care_coordination", at("2026-03-05"), None),
            MeetingFact(1, "care_coordination", at("2027-03-05"), None),  # after
        ],
        YEAR,
    )
    rows = {code: cells for (code, _), cells in zip(table.rows, table.cells, strict=True)}
    assert rows["rapid_response"] == [2, 0]
    assert rows["care_coordination"] == [0, 1]
    assert "advisory_council" not in rows


def test_screenings_complete_and_incomplete_with_distinct_youths() -> None:
    table = activities.screenings(
        [
            ScreeningFact(1, d("2026-01-02"), True),
            ScreeningFact(1, d("2026-06-02"), True),
            ScreeningFact(2, d("2026-01-03"), False),
        ],
        YEAR,
    )
    assert table.cells == [[2, 1], [1, 1]]


def test_check_ins_met_is_the_latest_rating_of_four_or_five_and_improved_is_latest_above_first() -> None:
    facts = [
        CheckInFact(1, d("2026-01-10"), {"safe_housing": 2}),
        CheckInFact(1, d("2026-03-10"), {"safe_housing": 4, "basic_needs": 5}),
        CheckInFact(2, d("2026-01-10"), {"safe_housing": 5}),
        CheckInFact(2, d("2026-02-10"), {"safe_housing": 3}),
        CheckInFact(3, d("2025-12-10"), {"safe_housing": 1}),  # before the period
    ]
    table = outcomes.check_in_outcomes(facts, YEAR)
    rows = {code: cells for (code, _), cells in zip(table.rows, table.cells, strict=True)}
    assert rows["safe_housing"] == [2, 1, 1]
    assert rows["basic_needs"] == [1, 1, 0]
    assert rows["access_to_services"] == [0, 0, 0]


def test_stage_movement_compares_the_latest_in_the_period_with_the_one_before_it() -> None:
    facts = [
        StageFact(1, d("2025-11-01"), "contemplation"),  # baseline before the period
        StageFact(1, d("2026-05-01"), "action"),
        StageFact(2, d("2026-02-01"), "preparation"),  # first in the period is the baseline
        StageFact(2, d("2026-04-01"), "contemplation"),
        StageFact(3, d("2026-02-01"), "action"),  # only one: nothing to compare
        StageFact(4, d("2026-02-01"), "action"),
        StageFact(4, d("2026-03-01"), "action"),
    ]
    assert outcomes.stage_movement(facts, YEAR).cells == [[1], [1], [1]]


def test_participation_is_a_meeting_held_or_a_real_contact_in_the_period() -> None:
    spans = [
        ServiceSpan(1, d("2025-01-01"), None),
        ServiceSpan(2, d("2026-01-01"), None),
        ServiceSpan(3, d("2026-01-01"), None),
    ]
    table = outcomes.participation(
        spans,
        [MeetingFact(1, "care_coordination", at("2026-02-01"), at("2026-02-01"))],
        [ContactFact(2, "text", at("2026-02-01")), ContactFact(3, "attempted", at("2026-02-01"))],
        YEAR,
    )
    assert table.cells == [[2], [1]]


def test_missing_episodes_before_and_during_services_over_equal_windows() -> None:
    # Youth 1: services from 2026-07-01; the period ends 2026-12-31, so the window is 184 days
    # (2026-07-01..2026-12-31 both included). Before: 2026-12-29 back 184 days = from 2025-12-29.
    # Two episodes before (48 h and 24 h), one during (12 h), one before the window (not counted).
    tz_day = at("2026-07-01", 0)
    spans = [ServiceSpan(1, d("2026-07-01"), None)]
    episodes = [
        EpisodeFact(1, at("2026-03-01", 0), at("2026-03-03", 0)),
        EpisodeFact(1, at("2026-05-01", 0), at("2026-05-02", 0)),
        EpisodeFact(1, at("2026-08-01", 0), at("2026-08-01", 12)),
        EpisodeFact(1, at("2025-06-01", 0), at("2025-06-02", 0)),
    ]
    result = outcomes.missing_episodes(spans, episodes, YEAR)
    assert tz_day.date() == d("2026-07-01")
    assert (result.youths, result.before_episodes, result.during_episodes) == (1, 2, 1)
    assert result.before_days_at_risk == pytest.approx(184 - 3)
    assert result.during_days_at_risk == pytest.approx(184 - 0.5)
    assert result.before_rate == pytest.approx(365 * 2 / 181)
    assert result.during_rate == pytest.approx(365 * 1 / 183.5)
    figures = {f.key: f.value for f in result.figures()}
    assert figures["missing.median_before"] == 36.0
    assert figures["missing.median_during"] == 12.0


def test_missing_window_is_capped_at_365_days_and_only_youths_who_began_in_the_period_count() -> None:
    spans = [ServiceSpan(1, d("2026-01-01"), None), ServiceSpan(2, d("2020-01-01"), None)]
    period = Period(d("2026-01-01"), d("2027-06-30"))
    result = outcomes.missing_episodes(spans, [], period)
    assert result.youths == 1  # youth 2 began long before: continuing, not in the cohort
    assert result.before_days_at_risk == 365
    assert result.during_days_at_risk == 365


def test_mandatory_notifications_on_time_late_overdue_pending() -> None:
    now = at("2026-06-01", 12)
    due = at("2026-06-01", 8)
    facts = [
        MandatoryReportFact(due, due - dt.timedelta(hours=1)),
        MandatoryReportFact(due, due),
        MandatoryReportFact(due, due + dt.timedelta(minutes=1)),
        MandatoryReportFact(due, None),
        MandatoryReportFact(at("2026-06-01", 18), None),
    ]
    assert operations.mandatory_reports(facts, YEAR, now).cells == [[2], [1], [1], [1]]


def test_open_tasks_by_due_date() -> None:
    today = d("2026-06-01")
    facts = [
        TaskFact(d("2026-05-31"), False),
        TaskFact(today, False),
        TaskFact(None, False),
        TaskFact(d("2026-01-01"), True),
    ]
    assert operations.tasks_overdue(facts, today).cells == [[1], [1], [1]]


def test_stays_in_a_safe_place_are_the_placements_that_ended_in_the_period() -> None:
    facts = [
        PlacementFact(1, "kinship", d("2026-01-01"), d("2026-03-02"), True),  # 60 days
        PlacementFact(2, "foster", d("2026-02-01"), d("2026-02-21"), True),  # 20 days
        PlacementFact(3, "shelter", d("2026-02-01"), d("2026-02-11"), False),  # 10 days
        PlacementFact(4, "shelter", d("2026-02-01"), d("2026-02-06"), None),  # 5 days: not asked
        PlacementFact(5, "family", d("2025-01-01"), None, True),  # still going
        PlacementFact(6, "family", d("2025-01-01"), d("2025-12-31"), True),  # ended before
    ]
    figures = {f.key: (f.value, f.counts) for f in outcomes.safe_placement_stays(facts, YEAR)}
    assert figures["placements.safe_median_days"] == (40.0, (2,))
    assert figures["placements.other_median_days"] == (7.5, (2,))

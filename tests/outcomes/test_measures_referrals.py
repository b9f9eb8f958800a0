"""Referral, eligibility and clock measures on hand-made facts with known answers."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.outcomes.helpers import at, d
from threadline.outcomes.measures import referrals
from threadline.outcomes.measures.facts import AlertFact, DecisionFact, Period, ReferralFact, fiscal_year

JANUARY = Period(d("2026-01-01"), d("2026-01-31"))


def referral(
    day: str, *, source: str = "agency", county: str = "Bexar", hours_to_contact: float | None = None,
    status: str = "accepted", hour: int = 12,
) -> ReferralFact:  # fmt: skip
    received = at(day, hour)
    first = received + dt.timedelta(hours=hours_to_contact) if hours_to_contact is not None else None
    return ReferralFact(received, source, "staff", county, "suspected", False, status, first)


def test_referrals_by_source_count_each_referral_received_in_the_period_once() -> None:
    facts = [
        referral("2026-01-01", source="school"),
        referral("2026-01-31", source="school", hour=23),  # 23:00 local on the last day: inside
        referral("2026-01-15", source="self"),
        referral("2025-12-31", source="school", hour=23),  # the day before: outside
        referral("2026-02-01", source="school", hour=0),  # the day after: outside
    ]
    table = referrals.referrals_by(facts, JANUARY, "source")
    counts = table.column("referrals")
    assert counts["school"] == 2
    assert counts["self"] == 1
    assert counts["agency"] == 0
    assert sum(counts.values()) == 3


def test_referrals_by_county_lists_every_service_area_county_then_others_then_not_given() -> None:
    facts = [
        referral("2026-01-05", county="Kerr"),
        referral("2026-01-06", county="Harris"),
        referral("2026-01-07", county=""),
    ]
    table = referrals.referrals_by_county(facts, JANUARY, ["Kerr", "Bexar"])
    assert [code for code, _ in table.rows] == ["Bexar", "Kerr", "Harris", referrals.NOT_GIVEN]
    assert table.column("referrals") == {"Bexar": 0, "Kerr": 1, "Harris": 1, referrals.NOT_GIVEN: 1}


def test_eligibility_decisions_by_outcome() -> None:
    facts = [
        DecisionFact(at("2026-01-02"), "eligible", "eligible"),
        DecisionFact(at("2026-01-03"), "eligible", "eligible_extension"),
        DecisionFact(at("2026-01-04"), "not_eligible", "outside_area"),
        DecisionFact(at("2026-02-04"), "needs_review", "no_county"),
    ]
    assert referrals.eligibility_decisions(facts, JANUARY).column("decisions") == {
        "eligible": 2,
        "not_eligible": 1,
        "needs_review": 0,
    }


def test_first_contact_clock_median_p90_share_within_target_and_running() -> None:
    # Ten reached after 1..10 hours (median 5.5, nearest-rank p90 = 9), two still waiting, one
    # declined without contact (neither reached nor waiting).
    facts = [referral("2026-01-10", hours_to_contact=h) for h in range(1, 11)]
    facts += [referral("2026-01-11"), referral("2026-01-12"), referral("2026-01-13", status="declined")]
    clock = referrals.first_contact_clock(facts, JANUARY, dt.timedelta(hours=4))
    assert clock.median_hours == 5.5
    assert clock.p90_hours == 9.0
    assert clock.stopped == 10
    assert clock.within == 4  # 1, 2, 3 and 4 hours: "at or under" the target
    assert clock.within_target == 40.0
    assert clock.running == 2


def test_acknowledgment_clock_counts_alerts_raised_in_the_period() -> None:
    start = at("2026-01-20", 3)
    facts = [
        AlertFact(start, start + dt.timedelta(minutes=10)),
        AlertFact(start, start + dt.timedelta(minutes=30)),
        AlertFact(start, start + dt.timedelta(minutes=90)),
        AlertFact(start, None),
        AlertFact(at("2026-02-02"), at("2026-02-02", 13)),
    ]
    clock = referrals.acknowledgment_clock(facts, JANUARY, dt.timedelta(minutes=30))
    assert clock.median_hours == pytest.approx(0.5)
    assert (clock.stopped, clock.within, clock.running) == (3, 2, 1)


def test_an_empty_clock_says_nothing_rather_than_zero() -> None:
    clock = referrals.first_contact_clock([], JANUARY, dt.timedelta(hours=24))
    assert (clock.median_hours, clock.p90_hours, clock.within_target) == (None, None, None)


@pytest.mark.parametrize(
    ("day", "start_month", "expected"),
    [
        ("2026-09-30", 10, ("2025-10-01", "2026-09-30")),
        ("2026-10-01", 10, ("2026-10-01", "2027-09-30")),
        ("2026-03-15", 1, ("2026-01-01", "2026-12-31")),
        ("2026-06-30", 7, ("2025-07-01", "2026-06-30")),
    ],
)
def test_fiscal_year_starts_on_the_configured_month(
    day: str, start_month: int, expected: tuple[str, str]
) -> None:
    year = fiscal_year(d(day), start_month)
    assert (year.start.isoformat(), year.end.isoformat()) == expected

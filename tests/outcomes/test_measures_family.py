"""Family services in outcomes (issue 14): new and continuing family clients and what was done."""

from __future__ import annotations

import datetime as dt

from threadline.outcomes.measures.facts import Period
from threadline.outcomes.measures.family import FamilyActivityFact, FamilyClientFact, family_services

PERIOD = Period(dt.date(2026, 1, 1), dt.date(2026, 3, 31))


def test_new_continuing_and_activities() -> None:
    clients = [
        FamilyClientFact(1, dt.date(2026, 2, 1)),  # new
        FamilyClientFact(2, dt.date(2025, 6, 1)),  # continuing: a note in the period
        FamilyClientFact(3, dt.date(2025, 6, 1)),  # nothing in the period: not counted
        FamilyClientFact(4, dt.date(2026, 5, 1)),  # after the period
    ]
    activities = [
        FamilyActivityFact(1, "note", dt.date(2026, 2, 2)),
        FamilyActivityFact(2, "note", dt.date(2026, 3, 1)),
        FamilyActivityFact(2, "meeting", dt.date(2026, 3, 2)),
        FamilyActivityFact(1, "referral", dt.date(2026, 2, 3)),
        FamilyActivityFact(3, "note", dt.date(2025, 12, 31)),
    ]
    table = family_services(clients, activities, PERIOD)
    assert table.column("count") == {
        "clients_new": 1,
        "clients_continuing": 1,
        "note": 2,
        "meeting": 1,
        "referral": 1,
    }

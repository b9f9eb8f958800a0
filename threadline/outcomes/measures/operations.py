"""How the work is going: mandatory notifications on time, tasks overdue."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping

from django.utils.translation import gettext_lazy as _

from threadline.outcomes.measures.facts import MandatoryReportFact, Period, TaskFact
from threadline.outcomes.tables import Table, count_table


def mandatory_reports(facts: Iterable[MandatoryReportFact], period: Period, now: dt.datetime) -> Table:
    """Notifications to child welfare and law enforcement that came due on a day of the period
    (``due_at``, 8 hours after a child's referral): **on time** = recorded at or before the due time;
    **late** = recorded after it; **overdue, not recorded** = still open and past due at ``now``;
    **not yet due** = open, due later than ``now``."""

    def state(f: MandatoryReportFact) -> str:
        if f.reported_at is not None:
            return "on_time" if f.reported_at <= f.due_at else "late"
        return "overdue" if f.due_at < now else "pending"

    return mandatory_reports_table(Counter(state(f) for f in facts if period.holds(f.due_at)))


def mandatory_reports_table(counts: Mapping[str, int]) -> Table:
    """``mandatory_reports`` from its counts (on_time, late, overdue, pending)."""
    return count_table(
        "operations.mandatory_reports",
        _("Mandatory notifications"),
        [
            ("on_time", _("On time")),
            ("late", _("Late")),
            ("overdue", _("Overdue, not recorded")),
            ("pending", _("Not yet due")),
        ],
        [("notifications", _("Notifications"), counts)],
        _("Notifications that came due in the period (8 hours after a child's referral)."),
    )


def tasks_overdue(facts: Iterable[TaskFact], today: dt.date) -> Table:
    """Open tasks of the youths' plans by due date as of ``today``: **overdue** = due before today;
    **due today or later**; **no due date**. Done tasks are not counted."""

    def due(f: TaskFact) -> str:
        if f.due_on is None:
            return "no_date"
        return "overdue" if f.due_on < today else "upcoming"

    return tasks_table(Counter(due(f) for f in facts if not f.done))


def tasks_table(counts: Mapping[str, int]) -> Table:
    """``tasks_overdue`` from its counts (overdue, upcoming, no_date)."""
    return count_table(
        "operations.tasks",
        _("Open tasks"),
        [("overdue", _("Overdue")), ("upcoming", _("Due today or later")), ("no_date", _("No due date"))],
        [("tasks", _("Tasks"), counts)],
        _("Open tasks in the youths' care plans, as of today."),
    )

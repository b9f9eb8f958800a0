"""How the work is going: mandatory notifications on time, tasks overdue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.utils.translation import gettext_lazy as _

from threadline.outcomes.measures.facts import MandatoryReportFact, Period, TaskFact
from threadline.outcomes.tables import Table


def mandatory_reports(facts: Iterable[MandatoryReportFact], period: Period, now: dt.datetime) -> Table:
    """Notifications to child welfare and law enforcement that came due on a day of the period
    (``due_at``, 8 hours after a child's referral): **on time** = recorded at or before the due time;
    **late** = recorded after it; **overdue, not recorded** = still open and past due at ``now``;
    **not yet due** = open, due later than ``now``."""
    counts = {"on_time": 0, "late": 0, "overdue": 0, "pending": 0}
    for f in facts:
        if not period.holds(f.due_at):
            continue
        if f.reported_at is not None:
            counts["on_time" if f.reported_at <= f.due_at else "late"] += 1
        else:
            counts["overdue" if f.due_at < now else "pending"] += 1
    return mandatory_reports_table(counts)


def mandatory_reports_table(counts: Mapping[str, int]) -> Table:
    """``mandatory_reports`` from its counts (on_time, late, overdue, pending)."""
    rows = [
        ("on_time", _("On time")),
        ("late", _("Late")),
        ("overdue", _("Overdue, not recorded")),
        ("pending", _("Not yet due")),
    ]
    return Table(
        key="operations.mandatory_reports",
        title=_("Mandatory notifications"),
        rows=rows,
        columns=[("notifications", _("Notifications"))],
        cells=[[counts[code]] for code, _label in rows],
        how=_("Notifications that came due in the period (8 hours after a child's referral)."),
    )


def tasks_overdue(facts: Iterable[TaskFact], today: dt.date) -> Table:
    """Open tasks of the youths' plans by due date as of ``today``: **overdue** = due before today;
    **due today or later**; **no due date**. Done tasks are not counted."""
    counts = {"overdue": 0, "upcoming": 0, "no_date": 0}
    for f in facts:
        if f.done:
            continue
        if f.due_on is None:
            counts["no_date"] += 1
        else:
            counts["overdue" if f.due_on < today else "upcoming"] += 1
    return tasks_table(counts)


def tasks_table(counts: Mapping[str, int]) -> Table:
    """``tasks_overdue`` from its counts (overdue, upcoming, no_date)."""
    rows = [
        ("overdue", _("Overdue")),
        ("upcoming", _("Due today or later")),
        ("no_date", _("No due date")),
    ]
    return Table(
        key="operations.tasks",
        title=_("Open tasks"),
        rows=rows,
        columns=[("tasks", _("Tasks"))],
        cells=[[counts[code]] for code, _label in rows],
        how=_("Open tasks in the youths' care plans, as of today."),
    )

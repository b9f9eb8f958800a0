"""The partner network's activities (seed 004: advisory council meetings; seed 000: trainings and
action plans for agencies), counted. Pure functions over plain facts, like every measure here; the
facts are loaded by ``outcomes.network_selectors``. Nothing here is about a youth."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from threadline.network.models import ProgramMeetingKind, TrainingKind
from threadline.outcomes.measures.activities import held_columns
from threadline.outcomes.measures.facts import Period
from threadline.outcomes.tables import Table, count_table


@dataclass(frozen=True)
class TrainingFact:
    kind: str
    delivered_on: dt.date
    hours: Decimal
    attendance: tuple[tuple[int, int], ...]  # (organization number, people), one per organization


@dataclass(frozen=True)
class ProgramMeetingFact:
    kind: str
    scheduled_at: dt.datetime
    held_at: dt.datetime | None
    action_items: int


def trainings(facts: Iterable[TrainingFact], period: Period) -> Table:
    """Training and technical-assistance sessions delivered on a day of the period: **sessions**;
    **hours** delivered (the sessions' lengths added, then rounded to whole hours); **organizations**
    reached (each organization once per kind, however many sessions it attended); **people** who
    attended (added over sessions: one person at two sessions counts twice)."""
    sessions: dict[str, int] = {}
    hours: dict[str, Decimal] = {}
    reached: dict[str, set[int]] = {}
    people: dict[str, int] = {}
    for t in facts:
        if not period.contains(t.delivered_on):
            continue
        sessions[t.kind] = sessions.get(t.kind, 0) + 1
        hours[t.kind] = hours.get(t.kind, Decimal(0)) + t.hours
        reached.setdefault(t.kind, set()).update(org for org, _n in t.attendance)
        people[t.kind] = people.get(t.kind, 0) + sum(n for _org, n in t.attendance)
    whole_hours = {k: int(h.quantize(Decimal(1), rounding=ROUND_HALF_UP)) for k, h in hours.items()}
    return count_table(
        "activities.trainings",
        _("Trainings and technical assistance"),
        TrainingKind.choices,
        [
            ("sessions", _("Sessions"), sessions),
            ("hours", _("Hours"), whole_hours),
            ("organizations", _("Organizations reached"), {k: len(orgs) for k, orgs in reached.items()}),
            ("people", _("People attending"), people),
        ],
        _("By the day of the session. Hours rounded to whole hours; people added over sessions."),
        row_totals=False,
        column_totals=False,
    )


def program_meetings(facts: Iterable[ProgramMeetingFact], period: Period) -> Table:
    """Meetings about the program (the advisory council and others) by kind: **held** on a day of the
    period; **scheduled, not held** = scheduled in the period and not marked held; **action items**
    given to organizations at the meetings held in the period."""
    held: dict[str, int] = {}
    not_held: dict[str, int] = {}
    items: dict[str, int] = {}
    for m in facts:
        if m.held_at is not None:
            if period.holds(m.held_at):
                held[m.kind] = held.get(m.kind, 0) + 1
                items[m.kind] = items.get(m.kind, 0) + m.action_items
        elif period.holds(m.scheduled_at):
            not_held[m.kind] = not_held.get(m.kind, 0) + 1
    return count_table(
        "activities.program_meetings",
        _("Advisory council and program meetings"),
        ProgramMeetingKind.choices,
        [*held_columns(held, not_held), ("action_items", _("Action items given"), items)],
        _("Held: the day it was held. Action items: those agreed at the meetings held in the period."),
        row_totals=False,
    )

"""The activities of the logic model (seed 004) counted: meetings by type, screenings. (Trainings
and program meetings: ``measures/network.py``.)"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from django.utils.translation import gettext_lazy as _

from threadline.care.choices import MeetingType
from threadline.outcomes.measures.facts import MeetingFact, Period, ScreeningFact
from threadline.outcomes.tables import Column, Table, count_table


def meetings_by_type(facts: Iterable[MeetingFact], period: Period) -> Table:
    """Meetings about a youth by type: **held** = ``held_at`` on a day of the period; **not held**
    = scheduled on a day of the period (``scheduled_at``) and not marked held (yet)."""
    held: Counter[str] = Counter()
    not_held: Counter[str] = Counter()
    for m in facts:
        if m.held_at is not None:
            if period.holds(m.held_at):
                held[m.meeting_type] += 1
        elif period.holds(m.scheduled_at):
            not_held[m.meeting_type] += 1
    return meetings_table(held, not_held)


def held_columns(held: Mapping[str, int], not_held: Mapping[str, int]) -> list[Column]:
    """The columns of a table of meetings by kind (about a youth, or about the program): **held** in
    the period, and **scheduled, not held**."""
    return [("held", _("Held"), held), ("not_held", _("Scheduled, not held"), not_held)]


def meetings_table(held: Mapping[str, int], not_held: Mapping[str, int]) -> Table:
    """``meetings_by_type`` from its counts ({meeting type: meetings} held, and not held)."""
    return count_table(
        "activities.meetings",
        _("Meetings by type"),
        [(code, label) for code, label in MeetingType.choices if code != MeetingType.ADVISORY_COUNCIL],
        held_columns(held, not_held),
        _("Held: the day it was held. Not held: scheduled in the period and not marked held."),
    )


def screenings(facts: Iterable[ScreeningFact], period: Period) -> Table:
    """Screenings recorded with a screening date in the period: complete (every item answered, a band
    given) and incomplete; and the number of distinct youths screened."""
    done = [s for s in facts if period.contains(s.screened_on)]
    complete = sum(1 for s in done if s.complete)
    youths_complete = len({s.youth for s in done if s.complete})
    youths_incomplete = len({s.youth for s in done if not s.complete})
    return screenings_table(complete, len(done) - complete, youths_complete, youths_incomplete)


def screenings_table(complete: int, incomplete: int, youths_complete: int, youths_incomplete: int) -> Table:
    """``screenings`` from its counts."""
    return Table(
        key="activities.screenings",
        title=_("Screenings"),
        rows=[("complete", _("Complete")), ("incomplete", _("Incomplete"))],
        columns=[("screenings", _("Screenings")), ("youths", _("Youths screened"))],
        cells=[[complete, youths_complete], [incomplete, youths_incomplete]],
        how=_("By screening date. A youth screened twice counts twice as a screening, once as a youth."),
        row_totals=False,
        column_totals=False,
    )

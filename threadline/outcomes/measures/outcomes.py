"""The outcomes of the logic model (seed 004) counted from records and check-ins."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from threadline.care.measures import Measure, Rating
from threadline.care.stages import ORDER, Stage
from threadline.outcomes.measures.facts import (
    CheckInFact,
    ContactFact,
    EpisodeFact,
    MeetingFact,
    Period,
    PlacementFact,
    ServiceSpan,
    StageFact,
)
from threadline.outcomes.measures.stats import median, share
from threadline.outcomes.measures.youths import first_starts, served_in
from threadline.outcomes.tables import Figure, Label, Table, count_table

# The check-in measures a funder report shows (seed 004's youth-level outcomes).
REPORTED_MEASURES = (Measure.SAFE_HOUSING, Measure.BASIC_NEEDS, Measure.ACCESS_TO_SERVICES)
MET_AT = Rating.MOSTLY  # "mostly" or "fully"


def check_in_outcomes(facts: Iterable[CheckInFact], period: Period) -> Table:
    """For safe housing, basic needs met and access to needed services: **rated** = youths with at
    least one rating of that measure on a check-in dated in the period; **met** = of those, youths
    whose latest rating in the period is 4 ("mostly") or 5 ("fully"); **improved** = youths rated at
    least twice in the period whose latest rating is higher than their first."""
    ratings: dict[str, dict[int, list[tuple[dt.date, int]]]] = defaultdict(lambda: defaultdict(list))
    for f in facts:
        if not period.contains(f.measured_on):
            continue
        for measure, rating in f.ratings.items():
            ratings[measure][f.youth].append((f.measured_on, int(rating)))
    cells = []
    for measure in REPORTED_MEASURES:
        per_youth = ratings.get(measure, {})
        met = improved = 0
        for values in per_youth.values():
            values.sort(key=lambda v: v[0])
            if values[-1][1] >= MET_AT:
                met += 1
            if len(values) >= 2 and values[-1][1] > values[0][1]:
                improved += 1
        cells.append([len(per_youth), met, improved])
    return check_in_table(cells)


def check_in_table(cells: list[list[int]]) -> Table:
    """``check_in_outcomes`` from its cells: per ``REPORTED_MEASURES``, [rated, met, improved]."""
    return Table(
        key="outcomes.check_ins",
        title=_("Outcomes from check-ins"),
        rows=[(m.value, m.label) for m in REPORTED_MEASURES],
        columns=[("rated", _("Youths rated")), ("met", _("Mostly or fully")), ("improved", _("Improved"))],
        cells=cells,
        how=_(
            "Latest rating in the period of 4 (mostly) or 5 (fully); improved: latest rating higher "
            "than the first in the period."
        ),
        row_totals=False,
        column_totals=False,
    )


FORWARD, SAME, RETURNED = "forward", "same", "returned"


def stage_movement(facts: Iterable[StageFact], period: Period) -> Table:
    """Stage of change over the period, per youth with an assessment in the period and at least two
    assessments to compare: the baseline is the latest assessment on or before the period's first
    day, else the first one in the period; the comparison is the latest one in the period. Moved
    forward / same stage / returned to an earlier stage (a normal part of change, not a failure)."""
    by_youth: dict[int, list[StageFact]] = defaultdict(list)
    for f in facts:
        if f.assessed_on <= period.end:
            by_youth[f.youth].append(f)
    counts = {FORWARD: 0, SAME: 0, RETURNED: 0}
    for items in by_youth.values():
        items.sort(key=lambda f: f.assessed_on)
        inside = [f for f in items if f.assessed_on >= period.start]
        before = [f for f in items if f.assessed_on < period.start]
        if not inside:
            continue
        baseline = before[-1] if before else inside[0]
        latest = inside[-1]
        if latest is baseline:
            continue
        counts[movement(baseline.stage, latest.stage)] += 1
    return stage_table(counts)


def movement(baseline: str, latest: str) -> str:
    """Forward, same or returned, from the baseline stage to the latest."""
    change = ORDER[Stage(latest)] - ORDER[Stage(baseline)]
    return FORWARD if change > 0 else RETURNED if change < 0 else SAME


def stage_table(counts: Mapping[str, int]) -> Table:
    """``stage_movement`` from its counts ({forward | same | returned: youths})."""
    return count_table(
        "outcomes.stage",
        _("Stage of change"),
        [
            (FORWARD, pgettext_lazy("count of youths", "Moved forward")),
            (SAME, _("Same stage")),
            (RETURNED, _("Returned to an earlier stage")),
        ],
        [("youths", _("Youths"), counts)],
        _("Latest stage in the period compared with the one before it began (or the first in it)."),
    )


def participation(
    spans: Iterable[ServiceSpan],
    meetings: Iterable[MeetingFact],
    contacts: Iterable[ContactFact],
    period: Period,
) -> Table:
    """Participation in care coordination: of the youths served in the period, those with at least
    one meeting about them held in the period or one saved case note of a real contact (in person,
    phone, text or video; not "attempted") in the period."""
    served = set(served_in(spans, period))
    active: set[int] = set()
    for m in meetings:
        if m.held_at is not None and period.holds(m.held_at):
            active.add(m.youth)
    for c in contacts:
        if c.contact_type != "attempted" and period.holds(c.contact_at):
            active.add(c.youth)
    return participation_table(len(served & active), len(served))


def participation_table(took_part: int, served: int) -> Table:
    """``participation`` from its counts (youths who took part, youths served)."""
    return Table(
        key="outcomes.participation",
        title=_("Participation in care coordination"),
        rows=[("took_part", _("Took part")), ("not_yet", _("No meeting or contact in the period"))],
        columns=[("youths", _("Youths served"))],
        cells=[[took_part], [served - took_part]],
        how=_("A meeting held about the youth, or a real contact recorded in a case note, in the period."),
    )


@dataclass(frozen=True)
class MissingComparison:
    """Missing episodes before vs during services over equal windows (see ``missing_episodes``)."""

    youths: int
    before_episodes: int
    during_episodes: int
    before_days_at_risk: float
    during_days_at_risk: float
    before_durations_hours: tuple[float, ...]
    during_durations_hours: tuple[float, ...]

    @property
    def before_rate(self) -> float | None:
        return 365 * self.before_episodes / self.before_days_at_risk if self.before_days_at_risk else None

    @property
    def during_rate(self) -> float | None:
        return 365 * self.during_episodes / self.during_days_at_risk if self.during_days_at_risk else None

    def table(self) -> Table:
        return Table(
            key="outcomes.missing",
            title=_("Missing episodes before and during services"),
            rows=[("before", _("Before services")), ("during", _("During services"))],
            columns=[("episodes", _("Episodes"))],
            cells=[[self.before_episodes], [self.during_episodes]],
            how=_(
                "Youths who began services in the period: equal windows before and after, up to 365 days each."
            ),
        )

    def figures(self) -> list[Figure]:
        b_med, d_med = median(self.before_durations_hours), median(self.during_durations_hours)
        return [
            Figure("missing.youths", _("Youths compared"), float(self.youths), "count", (self.youths,)),
            Figure(
                "missing.rate_before",
                _("Episodes per 365 days at risk, before"),
                self.before_rate,
                "per365",
                (self.before_episodes,),
            ),
            Figure(
                "missing.rate_during",
                _("Episodes per 365 days at risk, during"),
                self.during_rate,
                "per365",
                (self.during_episodes,),
            ),
            Figure(
                "missing.median_before",
                _("Median duration before (hours)"),
                b_med,
                "hours",
                (len(self.before_durations_hours),),
            ),
            Figure(
                "missing.median_during",
                _("Median duration during (hours)"),
                d_med,
                "hours",
                (len(self.during_durations_hours),),
            ),
        ]


WINDOW_CAP_DAYS = 365


def _overlap(a0: dt.datetime, a1: dt.datetime, b0: dt.datetime, b1: dt.datetime) -> dt.timedelta:
    start, end = max(a0, b0), min(a1, b1)
    return max(end - start, dt.timedelta(0))


def days_of(time: dt.timedelta) -> float:
    """A sum of durations in days: exact to the microsecond until this one division (correctly
    rounded), so the figure does not depend on the order the rows were added in."""
    return (time // dt.timedelta(microseconds=1)) / 86_400_000_000


def missing_episodes(
    spans: Iterable[ServiceSpan], episodes: Iterable[EpisodeFact], period: Period
) -> MissingComparison:
    """Missing episodes shorter and less frequent? The cohort: youths whose services first began on a
    day of the period (S). With E the earlier of the period's last day and the day services ended,
    the window is W = min(days from S to E, both included; 365) days; **before** is the W days before
    S, **during** the W days from S (equal windows, so neither side gets more time). An episode
    belongs to the window it started in. Days at risk = W minus the days the youth was missing inside
    the window (nobody can go missing while missing), summed over the cohort exactly (to the
    microsecond, then divided once). Rate = 365 × episodes / days at risk. Median duration, in
    hours, over the episodes that have ended. Episodes before services count only if they were
    recorded (history taken at intake)."""
    spans = list(spans)
    first = first_starts(spans)
    ends: dict[int, dt.date | None] = {}
    for span in spans:
        if span.youth in ends and ends[span.youth] is None:
            continue
        if span.end is None:
            ends[span.youth] = None
        else:
            previous = ends.get(span.youth)
            ends[span.youth] = span.end if previous is None else max(previous, span.end)
    cohort = [youth for youth, kind in served_in(spans, period).items() if kind == "new"]
    by_youth: dict[int, list[EpisodeFact]] = defaultdict(list)
    for e in episodes:
        by_youth[e.youth].append(e)
    tz = timezone.get_current_timezone()
    youths = b_n = d_n = 0
    b_risk = d_risk = dt.timedelta(0)  # time at risk, summed exactly (microseconds): any order, same sum
    b_dur: list[float] = []
    d_dur: list[float] = []
    for youth in cohort:
        start_day = first[youth].start
        ended_on = ends.get(youth)
        end_day = period.end if ended_on is None else min(period.end, ended_on)
        window = min((end_day - start_day).days + 1, WINDOW_CAP_DAYS)
        if window < 1:
            continue
        youths += 1
        s = dt.datetime.combine(start_day, dt.time.min, tzinfo=tz)
        before = (s - dt.timedelta(days=window), s)
        during = (s, s + dt.timedelta(days=window))
        b_missing = d_missing = dt.timedelta(0)
        for e in by_youth.get(youth, []):
            ended = e.ended_at or max(e.started_at, during[1])
            b_missing += _overlap(e.started_at, ended, *before)
            d_missing += _overlap(e.started_at, ended, *during)
            hours = (e.ended_at - e.started_at).total_seconds() / 3600 if e.ended_at else None
            if before[0] <= e.started_at < before[1]:
                b_n += 1
                if hours is not None:
                    b_dur.append(hours)
            elif during[0] <= e.started_at < during[1]:
                d_n += 1
                if hours is not None:
                    d_dur.append(hours)
        b_risk += dt.timedelta(days=window) - b_missing
        d_risk += dt.timedelta(days=window) - d_missing
    return MissingComparison(youths, b_n, d_n, days_of(b_risk), days_of(d_risk), tuple(b_dur), tuple(d_dur))


def share_figure(key: str, label: Label, part: int, whole: int) -> Figure:
    return Figure(key, label, share(part, whole), "percent", (part, whole - part))


def safe_placement_stays(facts: Iterable[PlacementFact], period: Period) -> list[Figure]:
    """Stays in a safe place longer? Over placements that **ended** on a day of the period: the median
    length in days (end − start) of those the youth said they felt safe in, and of the others (felt
    unsafe, or not asked). Placements still going are not counted (their length is not known yet)."""
    safe: list[float] = []
    other: list[float] = []
    for p in facts:
        if p.ended_on is None or not period.contains(p.ended_on):
            continue
        (safe if p.felt_safe else other).append(float((p.ended_on - p.started_on).days))
    return [
        Figure(
            "placements.safe_median_days",
            _("Median days in a placement the youth felt safe in (ended in the period)"),
            median(safe),
            "days",
            (len(safe),),
        ),
        Figure(
            "placements.other_median_days",
            _("Median days in other placements (ended in the period)"),
            median(other),
            "days",
            (len(other),),
        ),
    ]

"""Check-in outcomes, stage of change, missing episodes and safe placement stays, counted in the
database or from the fewest columns (definitions: ``measures.outcomes``)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from decimal import Decimal
from typing import Any

from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    RowRange,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, LastValue, RowNumber
from django.utils import timezone

from threadline.care.models import CaseClosure, OutcomeCheckIn, StageAssessment
from threadline.care.stages import ORDER
from threadline.outcomes.measures import outcomes
from threadline.outcomes.measures.facts import EpisodeFact, PlacementFact, ServiceSpan
from threadline.outcomes.selectors import Facts, bounds, compiled
from threadline.outcomes.tables import Figure, Table
from threadline.youth.models import MissingEpisode, Placement

# Every window below is over the whole partition, in one order (the earliest first): first and last
# value and the count then come from one sort of each partition, not one sort per direction.
WHOLE = RowRange(start=None, end=None)


def check_in_outcomes(facts: Facts) -> Table:
    """``measures.outcomes.check_in_outcomes`` for every reported measure in one statement: the
    period's check-ins carrying any of them, read once, each with every measure's rating and whether
    it carries it; numbered per youth in one sort (same-day check-ins in the order recorded); per
    youth and measure the positions of the first and the latest check-in carrying it (window
    aggregates over the same youth, no further sort), whose ratings are taken per youth (grouping)
    and counted per measure (youths, met, improved). One row is read. The ratings are read by the
    ORM's own JSON expressions (``has_key``, ``KeyTextTransform``), as each database always has."""
    period = facts.period
    keys = [measure.value for measure in outcomes.REPORTED_MEASURES]
    ms = range(len(keys))
    carries = {f"has_{i}": ExpressionWrapper(Q(ratings__has_key=keys[i]), BooleanField()) for i in ms}
    ratings = {f"rating_{i}": Cast(KeyTextTransform(keys[i], "ratings"), IntegerField()) for i in ms}
    rows = (
        facts.youth_rows(
            OutcomeCheckIn,
            measured_on__gte=period.start,
            measured_on__lte=period.end,
            ratings__has_any_keys=keys,
        )
        .annotate(who=F("youth_id"), day=F("measured_on"), at=F("recorded_at"), tie=F("pk"))
        .annotate(**carries, **ratings)
        .values("who", "day", "at", "tie", *carries, *ratings)
    )
    statement = compiled(rows)
    if statement is None:
        return outcomes.check_in_table([[0, 0, 0] for _ in keys])
    sql, params = statement
    ends = ", ".join(
        f"MIN(CASE WHEN n.has_{i} THEN n.nth END) OVER (PARTITION BY n.who) AS first_{i}, "
        f"MAX(CASE WHEN n.has_{i} THEN n.nth END) OVER (PARTITION BY n.who) AS last_{i}"
        for i in ms
    )
    per_youth = ", ".join(
        f"MAX(e.first_{i}) AS rated_{i}, "
        f"MAX(CASE WHEN e.nth = e.first_{i} THEN e.rating_{i} END) AS earliest_{i}, "
        f"MAX(CASE WHEN e.nth = e.last_{i} THEN e.rating_{i} END) AS latest_{i}"
        for i in ms
    )
    counted = ", ".join(
        f"COUNT(y.rated_{i}), SUM(CASE WHEN y.latest_{i} >= %s THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN y.latest_{i} > y.earliest_{i} THEN 1 ELSE 0 END)"
        for i in ms
    )
    with connections[rows.db].cursor() as cursor:
        cursor.execute(
            f"""SELECT {counted} FROM (
                    SELECT e.who, {per_youth} FROM (
                        SELECT n.*, {ends} FROM (
                            SELECT c.*, ROW_NUMBER() OVER (PARTITION BY c.who ORDER BY c.day, c.at, c.tie) AS nth
                            FROM ({sql}) c
                        ) n
                    ) e
                    GROUP BY e.who
                ) y""",  # noqa: S608
            (*[int(outcomes.MET_AT) for _ in ms], *params),
        )
        numbers = [int(n or 0) for n in cursor.fetchone()]
    return outcomes.check_in_table([numbers[3 * i : 3 * i + 3] for i in ms])


def stage_movement(facts: Facts) -> Table:
    """``measures.outcomes.stage_movement``: one statement over the assessments up to the period's end
    of the youths assessed in it, each youth's rows in one sort (earliest first, same-day
    assessments in the order recorded), with their stage's place in ``care.stages.ORDER``, their
    number, how many there are and how many came before the period's first day (window functions
    over the youth, one sort), and the latest place. The baseline is the row numbered by the count
    before the period (the latest before it), or 1 when none (the first in it); the latest is the
    last row, which lies in the period; a youth with one row compares nothing. The baseline rows
    are counted per movement in the same statement: one row per kind of movement is read."""
    period = facts.period
    assessed = facts.youth_rows(
        StageAssessment, assessed_on__gte=period.start, assessed_on__lte=period.end
    ).values("youth_id")
    place = Case(
        *[When(stage=str(stage), then=Value(i)) for stage, i in ORDER.items()], output_field=IntegerField()
    )
    before = Case(When(assessed_on__lt=period.start, then=Value(1)), default=Value(0))
    by_youth = [F("youth_id")]
    order = [F(o).asc() for o in ("assessed_on", "recorded_at", "pk")]
    rows = (  # limited to the scope by ``assessed`` (``Facts.unlimited_youth_rows``)
        facts.unlimited_youth_rows(StageAssessment, assessed_on__lte=period.end)
        .filter(youth_id__in=assessed)
        .annotate(
            place=place,
            latest=Window(LastValue(place), partition_by=by_youth, order_by=order, frame=WHOLE),
            n=Window(Count("pk"), partition_by=by_youth, order_by=order, frame=WHOLE),
            n_before=Window(Sum(before), partition_by=by_youth, order_by=order, frame=WHOLE),
            nth=Window(RowNumber(), partition_by=by_youth, order_by=order),
        )
        .values_list("place", "latest", "n", "n_before", "nth")
    )
    statement = compiled(rows)
    if statement is None:
        return outcomes.stage_table({})
    sql, params = statement
    counts: Counter[str] = Counter()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(
            f"""SELECT CASE WHEN b.latest > b.place THEN %s WHEN b.latest < b.place THEN %s
                            WHEN b.latest = b.place THEN %s END, COUNT(*)
                FROM ({sql}) b
                WHERE b.n > 1 AND b.nth = CASE WHEN b.n_before > 0 THEN b.n_before ELSE 1 END
                GROUP BY 1""",  # noqa: S608
            (outcomes.FORWARD, outcomes.RETURNED, outcomes.SAME, *params),
        )
        for kind, n in cursor.fetchall():
            if kind is None:
                raise ValueError("a stage of change not in care.stages.ORDER")
            counts[kind] += n
    return outcomes.stage_table(counts)


def _cohort_spans(facts: Facts) -> tuple[list[ServiceSpan], dict[uuid.UUID, int]]:
    """The service spans of the youths whose services began in the period (``Facts.spans``, for them
    only), numbered locally."""
    numbers: dict[uuid.UUID, int] = {}
    closed: dict[uuid.UUID, dt.date] = {}
    for youth_id, last_closed in (
        facts.youth_rows(CaseClosure, of="new", reopened_at__isnull=True)
        .values_list("youth_id")
        .annotate(last=Max("closed_at"))
        .values_list("youth_id", "last")
    ):
        closed[youth_id] = timezone.localdate(last_closed)
    spans = []
    for youth_id, first, last, open_ in (
        facts.team()
        .filter(youth_id__in=facts.new())
        .order_by()
        .values_list("youth_id")
        .annotate(
            first=Min("started_on"), last=Max("ended_on"), open=Count("pk", filter=Q(ended_on__isnull=True))
        )
        .values_list("youth_id", "first", "last", "open")
    ):
        end = None if open_ else last
        if youth_id in closed:
            end = closed[youth_id] if end is None else min(end, closed[youth_id])
        spans.append(ServiceSpan(numbers.setdefault(youth_id, len(numbers) + 1), first, end))
    return spans, numbers


def missing_episodes(facts: Facts) -> outcomes.MissingComparison:
    """``measures.outcomes.missing_episodes`` over the cohort's spans and episodes only (the youths
    whose services began in the period). On PostgreSQL the windows, the time at risk and the counts
    are worked out in the database (``_missing_in_sql``); elsewhere three column-only reads feed the
    definition itself."""
    rows = facts.youth_rows(MissingEpisode, of="new", started_at__lt=bounds(facts.period)[1])
    if connections[rows.db].vendor == "postgresql":  # the database the scoped rows are read from
        return _missing_in_sql(facts)
    spans, numbers = _cohort_spans(facts)
    episodes = [
        EpisodeFact(numbers[youth_id], started, ended)
        for youth_id, started, ended in rows.order_by().values_list("youth_id", "started_at", "ended_at")
        if youth_id in numbers
    ]
    return outcomes.missing_episodes(spans, episodes, facts.period)


# ``_missing_in_sql``'s sources and arithmetic, around the three sources' own SQL.
# Per youth: W, and the window bounds as moments (b0 = S - W days, s = S, d1 = S + W days, local
# midnights). Per episode: "ended" is its end, or (still missing) the later of its start and d1;
# each side's overlap is [max(start, lower), min(ended, upper)), counted in wall-clock days when
# both ends are window bounds (the bound is taken only when strictly later / earlier, as max()
# and min() keep the first of equals), elapsed time otherwise, and never below zero.
_MISSING_WITH = """
        WITH team AS ({team}), closed AS ({closed}), episodes AS ({episodes}),
        ends AS (
            SELECT t.youth_id, t.first_day,
                   LEAST(CASE WHEN t.open > 0 THEN NULL ELSE t.last_day END,
                         (c.last_closed AT TIME ZONE %s)::date) AS end_day
            FROM team t LEFT JOIN closed c ON c.youth_id = t.youth_id
        ),
        windows AS (
            SELECT youth_id, w,
                   ((first_day - w)::timestamp AT TIME ZONE %s) AS b0,
                   (first_day::timestamp AT TIME ZONE %s) AS s,
                   ((first_day + w)::timestamp AT TIME ZONE %s) AS d1
            FROM (
                SELECT youth_id, first_day,
                       LEAST(LEAST(%s::date, end_day) - first_day + 1, %s) AS w
                FROM ends
            ) sized
            WHERE w >= 1
        ),
        marked AS (
            SELECT w.youth_id, w.w, w.b0, w.s, w.d1, e.started_at, e.ended_at,
                   COALESCE(e.ended_at, GREATEST(e.started_at, w.d1)) AS ended,
                   (e.ended_at IS NULL AND w.d1 > e.started_at) AS ended_local
            FROM windows w JOIN episodes e ON e.youth_id = w.youth_id
        ),
        parts AS (
            SELECT youth_id, started_at, ended_at, b0, s, d1,
                   CASE WHEN b0 > started_at AND (s < ended OR ended_local)
                        THEN w * 86400::numeric
                        ELSE GREATEST(EXTRACT(EPOCH FROM LEAST(ended, s) - GREATEST(started_at, b0)), 0)
                   END AS before_seconds,
                   CASE WHEN s > started_at AND (d1 < ended OR ended_local)
                        THEN w * 86400::numeric
                        ELSE GREATEST(EXTRACT(EPOCH FROM LEAST(ended, d1) - GREATEST(started_at, s)), 0)
                   END AS during_seconds
            FROM marked
        )"""


def _cohort_rows(facts: Facts) -> tuple[QuerySet[Any, Any], QuerySet[Any, Any], QuerySet[Any, Any]]:
    """``_missing_in_sql``'s three sources: the cohort's memberships grouped per youth, the latest
    closure not re-opened per youth, the episodes begun before the period's end."""
    cohort = facts.new()
    team = (
        facts.team()
        .filter(youth_id__in=cohort)
        .order_by()
        .values("youth_id")
        .annotate(
            first_day=Min("started_on"),
            last_day=Max("ended_on"),
            open=Count("pk", filter=Q(ended_on__isnull=True)),
        )
        .values("youth_id", "first_day", "last_day", "open")
    )
    # The closures and episodes of any youth, limited to the cohort by the joins below (the cohort's
    # subquery is worked out once, in ``team``; ``Facts.unlimited_youth_rows``).
    closed = (
        facts.unlimited_youth_rows(CaseClosure, reopened_at__isnull=True)
        .values("youth_id")
        .annotate(last_closed=Max("closed_at"))
        .values("youth_id", "last_closed")
    )
    episodes = facts.unlimited_youth_rows(MissingEpisode, started_at__lt=bounds(facts.period)[1]).values(
        "youth_id", "started_at", "ended_at"
    )
    return team, closed, episodes


def _missing_in_sql(facts: Facts) -> outcomes.MissingComparison:
    """``measures.outcomes.missing_episodes`` in one statement (PostgreSQL): per cohort youth the
    window W (first day S, last day of service cut at a closure and at the period's end, at most 365
    days), per episode its overlap with the W days before S and the W days from S, summed exactly
    (intervals, to the microsecond); of the episodes, only the ended ones' durations are read (for
    the medians). The arithmetic is the definition's, including its one subtlety: the definition's
    window bounds are local midnights in one time zone, and a difference between two of them counts
    wall-clock days (a whole window is W × 24 hours even across a clock change), while a
    difference involving an episode's moment is elapsed time."""
    period = facts.period
    team, closed, episodes = _cohort_rows(facts)
    statements = [compiled(team), compiled(closed), compiled(episodes)]
    if None in statements:
        return outcomes.missing_episodes([], [], period)
    (team_sql, team_params), (closed_sql, closed_params), (episodes_sql, episodes_params) = [
        statement for statement in statements if statement is not None
    ]
    zone = timezone.get_current_timezone_name()
    with_ = _MISSING_WITH.format(team=team_sql, closed=closed_sql, episodes=episodes_sql)
    with_params = (*team_params, *closed_params, *episodes_params, zone, zone, zone, zone, period.end)
    with_params = (*with_params, outcomes.WINDOW_CAP_DAYS)
    totals = f"""{with_}
        SELECT (SELECT COUNT(*) FROM windows),
               (SELECT COALESCE(SUM(w), 0) * 86400::numeric FROM windows),
               COUNT(*) FILTER (WHERE started_at >= b0 AND started_at < s),
               COUNT(*) FILTER (WHERE started_at >= s AND started_at < d1),
               COALESCE(SUM(before_seconds), 0), COALESCE(SUM(during_seconds), 0),
               ARRAY_AGG(ended_at - started_at)
                   FILTER (WHERE ended_at IS NOT NULL AND started_at >= b0 AND started_at < s),
               ARRAY_AGG(ended_at - started_at)
                   FILTER (WHERE ended_at IS NOT NULL AND started_at >= s AND started_at < d1)
        FROM parts"""  # noqa: S608
    with connections[episodes.db].cursor() as cursor:
        cursor.execute(totals, with_params)
        youths, window_seconds, b_n, d_n, b_missing, d_missing, b_lasted, d_lasted = cursor.fetchone()

    def days(seconds: Decimal) -> float:
        return outcomes.days_of(dt.timedelta(microseconds=int(seconds * 1_000_000)))

    return outcomes.MissingComparison(
        youths,
        b_n,
        d_n,
        days(window_seconds - b_missing),
        days(window_seconds - d_missing),
        tuple(time.total_seconds() / 3600 for time in b_lasted or ()),
        tuple(time.total_seconds() / 3600 for time in d_lasted or ()),
    )


def safe_placement_stays(facts: Facts) -> list[Figure]:
    """``measures.outcomes.safe_placement_stays`` from three columns of the placements ended in the
    period."""
    period = facts.period
    rows = facts.youth_rows(Placement, ended_on__gte=period.start, ended_on__lte=period.end)
    placements = [
        PlacementFact(0, "", started, ended, safe)
        for safe, started, ended in rows.values_list("felt_safe", "started_on", "ended_on")
    ]
    return outcomes.safe_placement_stays(placements, period)

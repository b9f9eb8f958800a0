"""Check-in outcomes, stage of change, missing episodes and safe placement stays, counted in the
database or from the fewest columns (definitions: ``measures.outcomes``)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Min,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, FirstValue
from django.utils import timezone

from threadline.care.models import CaseClosure, OutcomeCheckIn, StageAssessment
from threadline.outcomes.measures import outcomes
from threadline.outcomes.measures.facts import EpisodeFact, PlacementFact, ServiceSpan
from threadline.outcomes.selectors import Facts, bounds
from threadline.outcomes.tables import Figure, Table
from threadline.youth.models import MissingEpisode, Placement


def check_in_outcomes(facts: Facts) -> Table:
    """``measures.outcomes.check_in_outcomes``: per measure, one query: each rated youth's first and
    latest rating in the period (window functions, same-day check-ins in the order recorded), counted
    in the database (youths, met, improved); three numbers are read."""
    period = facts.period
    cells = []
    for measure in outcomes.REPORTED_MEASURES:
        rating = Cast(KeyTextTransform(measure.value, "ratings"), IntegerField())
        by_youth = [F("youth_id")]
        order = ("measured_on", "recorded_at", "pk")
        rows = (
            facts.youth_rows(
                OutcomeCheckIn,
                measured_on__gte=period.start,
                measured_on__lte=period.end,
                ratings__has_key=measure.value,
            )
            .order_by()
            .annotate(
                latest=Window(
                    FirstValue(rating), partition_by=by_youth, order_by=[F(o).desc() for o in order]
                ),
                first=Window(FirstValue(rating), partition_by=by_youth, order_by=[F(o).asc() for o in order]),
            )
            .values_list("youth_id", "latest", "first")
            .distinct()
        )
        counted = rows.aggregate(
            youths=Count("*"),
            met=Count("youth_id", filter=Q(latest__gte=outcomes.MET_AT)),
            improved=Count("youth_id", filter=Q(latest__gt=F("first"))),
        )
        cells.append([counted["youths"], counted["met"], counted["improved"]])
    return outcomes.check_in_table(cells)


def stage_movement(facts: Facts) -> Table:
    """``measures.outcomes.stage_movement``: one query over the assessments up to the period's end of
    the youths assessed in it, window functions picking per youth and side of the period's first day
    the earliest and latest stage (same-day assessments in the order recorded) and how many there
    are; two or three short rows per youth are read."""
    period = facts.period
    assessed = facts.youth_rows(
        StageAssessment, assessed_on__gte=period.start, assessed_on__lte=period.end
    ).values("youth_id")
    inside = Case(When(assessed_on__gte=period.start, then=Value(1)), default=Value(0))
    side = (F("youth_id"), inside)
    order = ("assessed_on", "recorded_at", "pk")
    rows = (
        facts.youth_rows(StageAssessment, assessed_on__lte=period.end)
        .filter(youth_id__in=assessed)
        .annotate(
            side=inside,
            latest=Window(FirstValue("stage"), partition_by=side, order_by=[F(o).desc() for o in order]),
            first=Window(FirstValue("stage"), partition_by=side, order_by=[F(o).asc() for o in order]),
            n=Window(Count("pk"), partition_by=side),
        )
        .values_list("youth_id", "side", "latest", "first", "n")
        .distinct()
    )
    during: dict[Any, tuple[str, str, int]] = {}
    before: dict[Any, str] = {}
    for youth_id, in_period, latest, first, n in rows:
        if in_period:
            during[youth_id] = (latest, first, n)
        else:
            before[youth_id] = latest
    counts: Counter[str] = Counter()
    for youth_id, (latest, first, n) in during.items():
        baseline_before = before.get(youth_id)
        if baseline_before is None and n == 1:
            continue  # one assessment and nothing before it: nothing to compare
        counts[outcomes.movement(baseline_before or first, latest)] += 1
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
    whose services began in the period): three column-only reads."""
    spans, numbers = _cohort_spans(facts)
    rows = facts.youth_rows(MissingEpisode, of="new", started_at__lt=bounds(facts.period)[1])
    episodes = [
        EpisodeFact(numbers[youth_id], started, ended)
        for youth_id, started, ended in rows.order_by().values_list("youth_id", "started_at", "ended_at")
        if youth_id in numbers
    ]
    return outcomes.missing_episodes(spans, episodes, facts.period)


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

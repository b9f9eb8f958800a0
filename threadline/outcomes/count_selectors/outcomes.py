"""Check-in outcomes, stage of change, missing episodes and safe placement stays, counted in the
database or from the fewest columns (definitions: ``measures.outcomes``)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
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
from threadline.youth.policy import youth_for_maintenance


def _one(rows: QuerySet[Any, Any], day: str, column: Any, *, latest: bool) -> Subquery:
    """The value of ``column`` on a youth's earliest (or latest) row by ``day``; rows of the same day
    in the order they were recorded (``recorded_at``, then id)."""
    order = (f"-{day}", "-recorded_at", "-pk") if latest else (day, "recorded_at", "pk")
    picked = rows.filter(youth_id=OuterRef("pk")).order_by(*order).annotate(picked=column)
    return Subquery(picked.values("picked")[:1])


def check_in_outcomes(facts: Facts) -> Table:
    """``measures.outcomes.check_in_outcomes``: per measure, one query giving each rated youth's first
    and latest rating in the period (window functions, same-day check-ins in the order recorded);
    only those two numbers per youth are read."""
    period = facts.period
    cells = []
    for measure in outcomes.REPORTED_MEASURES:
        rating = Cast(KeyTextTransform(measure.value, "ratings"), IntegerField())
        by_youth = [F("youth_id")]
        order = ("measured_on", "recorded_at", "pk")
        rows = (
            OutcomeCheckIn.objects.filter(
                youth_id__in=facts.caseload(),
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
        youths = met = improved = 0
        for _youth, latest, first in rows:
            youths += 1
            met += latest >= outcomes.MET_AT
            improved += latest > first
        cells.append([youths, met, improved])
    return outcomes.check_in_table(cells)


def stage_movement(facts: Facts) -> Table:
    """``measures.outcomes.stage_movement``: one grouped query over the youths assessed in the period,
    the baseline and latest stages picked by subqueries."""
    period = facts.period
    inside = StageAssessment.objects.filter(assessed_on__gte=period.start, assessed_on__lte=period.end)
    before = StageAssessment.objects.filter(assessed_on__lt=period.start)
    assessed = inside.filter(youth_id__in=facts.caseload()).values("youth_id")
    rows = (
        youth_for_maintenance()
        .filter(pk__in=assessed)
        .order_by()
        .annotate(
            latest=_one(inside, "assessed_on", F("stage"), latest=True),
            latest_id=_one(inside, "assessed_on", Cast("pk", CharField()), latest=True),
            first=_one(inside, "assessed_on", F("stage"), latest=False),
            first_id=_one(inside, "assessed_on", Cast("pk", CharField()), latest=False),
            before=_one(before, "assessed_on", F("stage"), latest=True),
        )
        .annotate(alone=Case(When(Q(latest_id=F("first_id")), then=Value(1)), default=Value(0)))
        .values_list("latest", "first", "before", "alone")
        .annotate(n=Count("pk"))
        .values_list("latest", "first", "before", "alone", "n")
    )
    counts: Counter[str] = Counter()
    for latest, first, baseline_before, alone, n in rows:
        if baseline_before is None and alone:
            continue  # one assessment and nothing before it: nothing to compare
        counts[outcomes.movement(baseline_before or first, latest)] += n
    return outcomes.stage_table(counts)


def _cohort_spans(facts: Facts) -> tuple[list[ServiceSpan], dict[uuid.UUID, int]]:
    """The service spans of the youths whose services began in the period (``Facts.spans``, for them
    only), numbered locally."""
    numbers: dict[uuid.UUID, int] = {}
    closed: dict[uuid.UUID, dt.date] = {}
    cohort = facts.new()
    for youth_id, last_closed in (
        CaseClosure.objects.filter(youth_id__in=cohort, reopened_at__isnull=True)
        .order_by()
        .values_list("youth_id")
        .annotate(last=Max("closed_at"))
        .values_list("youth_id", "last")
    ):
        closed[youth_id] = timezone.localdate(last_closed)
    spans = []
    for youth_id, first, last, open_ in (
        facts.team()
        .filter(youth_id__in=cohort)
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
    rows = MissingEpisode.objects.filter(youth_id__in=facts.new(), started_at__lt=bounds(facts.period)[1])
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
    rows = Placement.objects.filter(
        youth_id__in=facts.caseload(), ended_on__gte=period.start, ended_on__lte=period.end
    ).order_by()
    placements = [
        PlacementFact(0, "", started, ended, safe)
        for safe, started, ended in rows.values_list("felt_safe", "started_on", "ended_on")
    ]
    return outcomes.safe_placement_stays(placements, period)

"""Referrals, eligibility decisions, the two clocks, mandatory notifications and open tasks, counted
in the database (definitions: ``measures.referrals`` and ``measures.operations``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import connections
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.expressions import CombinedExpression
from django.utils import timezone

from threadline.care.choices import TaskState
from threadline.care.models import Task
from threadline.intake.models import Alert, EligibilityDecision, MandatoryReport, Referral
from threadline.outcomes.measures import operations, referrals
from threadline.outcomes.selectors import Facts, bounds, compiled
from threadline.outcomes.tables import Table


def _received(facts: Facts) -> QuerySet[Referral]:
    start, end = bounds(facts.period)
    return facts.program_rows(Referral, received_at__gte=start, received_at__lt=end)


# The attributes referrals are counted by (``measures.referrals.count_by``), each a column.
REFERRAL_ATTRIBUTES = ("county", "source", "channel", "concern")


def referral_counts(facts: Facts) -> dict[str, Counter[str]]:
    """``measures.referrals.count_by`` for each of ``REFERRAL_ATTRIBUTES``: the referrals received in
    the period read once (a CTE) and grouped by each attribute in the same statement."""
    counts: dict[str, Counter[str]] = {attribute: Counter() for attribute in REFERRAL_ATTRIBUTES}
    received = _received(facts).values(*REFERRAL_ATTRIBUTES)
    statement = compiled(received)
    if statement is None:
        return counts
    sql, params = statement
    groupings = " UNION ALL ".join(
        f"SELECT '{attribute}', r.{attribute}, COUNT(*) FROM r GROUP BY r.{attribute}"  # noqa: S608 (constants)
        for attribute in REFERRAL_ATTRIBUTES
    )
    with connections[received.db].cursor() as cursor:
        cursor.execute(f"WITH r AS ({sql}) {groupings}", params)
        for attribute, value, n in cursor.fetchall():
            counts[attribute][value or referrals.NOT_GIVEN] += n
    return counts


def referral_tables(facts: Facts) -> list[Table]:
    """By county, source, channel and concern level; then eligibility decisions."""
    start, end = bounds(facts.period)
    decisions = (
        facts.program_rows(EligibilityDecision, decided_at__gte=start, decided_at__lt=end)
        .values_list("outcome")
        .annotate(n=Count("pk"))
        .values_list("outcome", "n")
    )
    by = referral_counts(facts)
    return [
        referrals.county_table(by["county"], facts.scope.service_area),
        *(referrals.choice_table(attribute, by[attribute]) for attribute in referrals.BY_CHOICE),
        referrals.eligibility_table(Counter(dict(decisions))),
    ]


def _duration(later: str, earlier: str) -> ExpressionWrapper[CombinedExpression]:
    return ExpressionWrapper(F(later) - F(earlier), output_field=DurationField())


def acknowledgment_clock(facts: Facts, target: dt.timedelta) -> referrals.Clock:
    """``measures.referrals.acknowledgment_clock``: only the durations are read."""
    start, end = bounds(facts.period)
    rows = facts.program_rows(
        Alert,
        through="region__program",
        kind=Alert.Kind.URGENT_REFERRAL,
        started_at__gte=start,
        started_at__lt=end,
    ).order_by()
    durations = list(
        rows.filter(acknowledged_at__isnull=False).values_list(
            _duration("acknowledged_at", "started_at"), flat=True
        )
    )
    running = rows.filter(acknowledged_at__isnull=True).count()
    return referrals.acknowledgment_clock_of(durations, running, target)


def first_contact_clock(facts: Facts, target: dt.timedelta) -> referrals.Clock:
    """``measures.referrals.first_contact_clock``: only the durations are read."""
    rows = _received(facts)
    durations = list(
        rows.filter(first_contact_at__isnull=False).values_list(
            _duration("first_contact_at", "received_at"), flat=True
        )
    )
    running = (
        rows.filter(first_contact_at__isnull=True)
        .exclude(status__in=referrals.CLOSED_WITHOUT_CONTACT)
        .count()
    )
    return referrals.first_contact_clock_of(durations, running, target)


def mandatory_reports(facts: Facts) -> Table:
    """``measures.operations.mandatory_reports``, in one aggregate."""
    start, end = bounds(facts.period)
    open_ = Q(reported_at__isnull=True)
    counts = facts.program_rows(
        MandatoryReport, through="referral__program", due_at__gte=start, due_at__lt=end
    ).aggregate(
        on_time=Count("pk", filter=Q(reported_at__lte=F("due_at"))),
        late=Count("pk", filter=Q(reported_at__gt=F("due_at"))),
        overdue=Count("pk", filter=open_ & Q(due_at__lt=facts.now)),
        pending=Count("pk", filter=open_ & Q(due_at__gte=facts.now)),
    )
    return operations.mandatory_reports_table(counts)


def tasks_overdue(facts: Facts) -> Table:
    """``measures.operations.tasks_overdue`` as of the day of ``facts.now``, in one aggregate."""
    today = timezone.localdate(facts.now)
    counts = (
        facts.youth_rows(Task)
        .exclude(state=TaskState.DONE)
        .aggregate(
            overdue=Count("pk", filter=Q(due_on__lt=today)),
            upcoming=Count("pk", filter=Q(due_on__gte=today)),
            no_date=Count("pk", filter=Q(due_on__isnull=True)),
        )
    )
    return operations.tasks_table(counts)

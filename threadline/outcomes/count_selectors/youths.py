"""Youths served (new / continuing, by age band, gender group and county) and participation, counted
in the database (definitions: ``measures.youths`` and ``measures.outcomes.participation``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, ExtractYear, RowNumber

from threadline.care.models import CaseNote, Meeting, NoteState
from threadline.outcomes.measures import youths
from threadline.outcomes.measures.facts import Period
from threadline.outcomes.selectors import CONNECTION_PRIORITY, Facts, bounds, compiled
from threadline.outcomes.tables import Table
from threadline.youth.gender import gender_group
from threadline.youth.models import CountyConnection
from threadline.youth.policy import youth_for_maintenance


def age_on_first_day(period: Period) -> Cast:
    """``measures.youths.age_at`` in SQL, before the floor at 0 (applied when grouping): the age
    recorded plus the whole years from the day it was recorded to the period's first day."""
    year, month, day = period.start.year, period.start.month, period.start.day
    later_in_year = Q(age_recorded_on__month__gt=month) | Q(
        age_recorded_on__month=month, age_recorded_on__day__gt=day
    )
    years = ExtractYear("age_recorded_on")
    return Cast(
        Case(
            When(estimated_age__isnull=True, then=Value(None)),
            When(age_recorded_on__isnull=True, then=F("estimated_age")),
            When(later_in_year, then=F("estimated_age") + Value(year - 1) - years),
            default=F("estimated_age") + Value(year) - years,
            output_field=IntegerField(),
        ),
        IntegerField(),
    )


def served_youths(facts: Facts) -> QuerySet[Any, Any]:
    """The youths served in the period, each marked new or continuing (``kind``): of the served, those
    with no membership begun before the first day are new (``Facts.new``, without working the served
    set out a second time)."""
    kind = Case(
        When(pk__in=facts.began_before(), then=Value(youths.CONTINUING)),
        default=Value(youths.NEW),
        output_field=CharField(),
    )
    return youth_for_maintenance().filter(pk__in=facts.served()).order_by().annotate(kind=kind)


@dataclass(frozen=True)
class Served:
    """Youths served, counted by (row, kind) for each breakdown."""

    status: Counter[str]
    age: Counter[tuple[str, str]]
    county: Counter[tuple[str, str]]

    @property
    def total(self) -> int:
        return sum(self.status.values())


def main_counties(facts: Facts) -> QuerySet[Any, Any]:
    """The county of each served youth's main connection (``selectors.CONNECTION_PRIORITY``, best
    first; then the first row) is the one numbered 1 by a window over the served youths'
    connections: one pass over those rows, not one lookup per youth."""
    rank = Case(
        *[When(kind=kind, then=Value(i)) for i, kind in enumerate(CONNECTION_PRIORITY)],
        default=Value(len(CONNECTION_PRIORITY)),
        output_field=IntegerField(),
    )
    return (
        facts.youth_rows(CountyConnection, of="served")
        .annotate(
            who=F("youth_id"),
            best=Window(RowNumber(), partition_by=[F("youth_id")], order_by=[rank.asc(), F("pk").asc()]),
        )
        .values("who", "county", "best")
    )


def served_counts(facts: Facts) -> Served:
    """One grouped statement: youths served by (new/continuing, age on the first day, main county),
    the main county joined from ``main_counties`` (Django joins no subquery: its SQL is put together
    here, from the querysets' own)."""
    status: Counter[str] = Counter()
    age: Counter[tuple[str, str]] = Counter()
    county: Counter[tuple[str, str]] = Counter()
    if facts.scope.empty:
        return Served(status, age, county)
    inside = frozenset(facts.scope.service_area)
    youth_rows = (
        served_youths(facts)
        .annotate(who=F("pk"), age_then=age_on_first_day(facts.period))
        .values("who", "kind", "age_then")
    )
    youths_statement, counties_statement = compiled(youth_rows), compiled(main_counties(facts))
    if youths_statement is None or counties_statement is None:
        return Served(status, age, county)
    (youths_sql, youths_params), (counties_sql, counties_params) = youths_statement, counties_statement
    with connections[youth_rows.db].cursor() as cursor:
        cursor.execute(
            f"""SELECT y.kind, y.age_then, c.county, COUNT(*)
                FROM ({youths_sql}) y
                LEFT JOIN ({counties_sql}) c ON c.who = y.who AND c.best = 1
                GROUP BY y.kind, y.age_then, c.county""",  # noqa: S608
            (*youths_params, *counties_params),
        )
        rows = cursor.fetchall()
    for kind, age_then, county_main, n in rows:
        status[kind] += n
        band = youths.age_band(None if age_then is None else max(int(age_then), 0))
        age[(band, kind)] += n
        county[(youths.county_group(county_main or "", inside), kind)] += n
    return Served(status, age, county)


def gender_counts(facts: Facts) -> Counter[tuple[str, str]]:
    """Youths served by (gender group, kind), grouped in the database from the group kept beside the
    sealed words (``youth/gender.py``). Youths not grouped yet (written before the column or by a bulk
    loader; ``manage.py youth_gender_groups`` groups them) have their words opened here, only to
    be grouped."""
    counts: Counter[tuple[str, str]] = Counter()
    if facts.scope.empty:
        return counts
    served = served_youths(facts)
    for group, kind, n in (
        served.filter(gender_group__isnull=False)
        .values_list("gender_group", "kind")
        .annotate(n=Count("pk"))
        .values_list("gender_group", "kind", "n")
    ):
        counts[(str(group), str(kind))] += n
    for youth in (
        served.filter(gender_group__isnull=True)
        .select_related("data_key")
        .only("id", "gender_identity", "data_key")
        .iterator(2000)
    ):
        counts[(gender_group(str(youth.gender_identity or "")), str(youth.kind))] += 1
    return counts


def youth_tables(
    served: Served, gender: Counter[tuple[str, str]] | None, service_area: tuple[str, ...]
) -> list[Table]:
    """The youths-served tables from the counts (``served_counts``; ``gender_counts`` or None to leave
    the gender table out)."""
    tables = [
        youths.served_table(served.status),
        youths.age_table(served.age),
    ]
    if gender is not None:
        tables.append(youths.gender_table(gender))
    tables.append(youths.county_table(served.county, service_area))
    return tables


def took_part(facts: Facts) -> int:
    """``measures.outcomes.participation``'s count: youths served with a meeting held or a real contact
    in the period (the table: ``participation_table`` with ``Served.total``)."""
    if facts.scope.empty:
        return 0
    start, end = bounds(facts.period)
    # The caseload's meetings and notes (the count is of served youths anyway: the outer query's):
    # matching them against the caseload costs less than against the served set worked out again.
    held = facts.youth_rows(Meeting, held_at__gte=start, held_at__lt=end).values("youth_id")
    contacted = (
        facts.youth_rows(CaseNote, state=NoteState.FINAL, contact_at__gte=start, contact_at__lt=end)
        .exclude(contact_type__in=("", "attempted"))
        .values("youth_id")
    )
    return facts.served().filter(Q(youth_id__in=held) | Q(youth_id__in=contacted)).count()

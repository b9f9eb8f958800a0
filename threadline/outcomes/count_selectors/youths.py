"""Youths served (new / continuing, by age band, gender group and county) and participation, counted
in the database (definitions: ``measures.youths`` and ``measures.outcomes.participation``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.models import (
    Case,
    CharField,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, ExtractYear

from threadline.care.models import CaseNote, Meeting, NoteState
from threadline.outcomes.measures import youths
from threadline.outcomes.measures.facts import Period
from threadline.outcomes.selectors import Facts, bounds, compiled
from threadline.outcomes.tables import Table
from threadline.youth.gender import gender_group
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


def _youths_marked(facts: Facts) -> QuerySet[Any, Any]:
    """Youths, each marked new or continuing for the period (``kind``): those with no membership begun
    before the first day are new (``Facts.new``, without working the served set out a second time).
    Not limited to the served here: ``served_youths`` filters, ``served_counts`` joins."""
    kind = Case(
        When(pk__in=facts.began_before(), then=Value(youths.CONTINUING)),
        default=Value(youths.NEW),
        output_field=CharField(),
    )
    return youth_for_maintenance().order_by().annotate(kind=kind)


def served_youths(facts: Facts) -> QuerySet[Any, Any]:
    """The youths served in the period, each marked new or continuing (``kind``)."""
    return _youths_marked(facts).filter(pk__in=facts.served())


@dataclass(frozen=True)
class Served:
    """Youths served, counted by (row, kind) for each breakdown; ``took_part``: how many of them took
    part in care coordination in the period (``took_part``), when counted with them."""

    status: Counter[str]
    age: Counter[tuple[str, str]]
    county: Counter[tuple[str, str]]
    took_part: int | None = None
    # By (gender group, kind), from the group kept beside the sealed words (``youth/gender.py``);
    # ``ungrouped``: youths served whose words are not grouped yet (``gender_counts`` opens those).
    gender: Counter[tuple[str, str]] = field(default_factory=Counter)
    ungrouped: int = 0

    @property
    def total(self) -> int:
        return sum(self.status.values())


def _took_part_sql(facts: Facts) -> tuple[str, tuple[Any, ...]] | None:
    """``took_part``'s test for one served youth (``s.youth_id``): a meeting held or a real contact
    in the period. Any youth's meetings and notes (``Facts.unlimited_youth_rows``): only a served
    youth of the scope is ever tested."""
    start, end = bounds(facts.period)
    held = compiled(
        facts.unlimited_youth_rows(Meeting, held_at__gte=start, held_at__lt=end).values("youth_id")
    )
    contacted = compiled(
        facts.unlimited_youth_rows(CaseNote, state=NoteState.FINAL, contact_at__gte=start, contact_at__lt=end)
        .exclude(contact_type__in=("", "attempted"))
        .values("youth_id")
    )
    if held is None or contacted is None:
        return None
    return f"s.youth_id IN ({held[0]}) OR s.youth_id IN ({contacted[0]})", (*held[1], *contacted[1])


def served_counts(facts: Facts, *, with_participation: bool = False) -> Served:
    """One grouped statement: youths served by (new/continuing, age on the first day, main county,
    gender group), and with ``with_participation`` how many took part (``took_part``, counted in the same pass). The
    served set (``Facts.served``) is worked out once, as a CTE, and joined to the youths (their main
    county is a column of theirs, kept by the rule of ``youth/counties.py`` whenever their
    connections are written) and to the participation test; Django joins no CTE, so the statement is
    put together here, from the querysets' own SQL."""
    status: Counter[str] = Counter()
    age: Counter[tuple[str, str]] = Counter()
    county: Counter[tuple[str, str]] = Counter()
    empty = Served(status, age, county, 0 if with_participation else None)
    if facts.scope.empty:
        return empty
    inside = frozenset(facts.scope.service_area)
    youth_rows = _youths_marked(facts).annotate(who=F("pk"), age_then=age_on_first_day(facts.period))
    vendor = connections[youth_rows.db].vendor
    served = compiled(facts.served())
    youth_sql = compiled(youth_rows.values("who", "kind", "age_then", "main_county", "gender_group"))
    took_part_test = _took_part_sql(facts) if with_participation else ("0 = 1", ())
    if served is None or youth_sql is None or took_part_test is None:
        return empty
    (served_sql, served_params), (youths_sql, youths_params) = served, youth_sql
    test_sql, test_params = took_part_test
    # The served set worked out on its own, before the join (PostgreSQL would inline a CTE used once;
    # inlined, the statement measured no faster at 50,000 youths: 0.68-0.93 against 0.62-0.93 s).
    materialized = "MATERIALIZED " if vendor == "postgresql" else ""
    with connections[youth_rows.db].cursor() as cursor:
        cursor.execute(
            f"""WITH served AS {materialized}({served_sql})
                SELECT y.kind, y.age_then, y.main_county, y.gender_group, COUNT(*),
                       SUM(CASE WHEN {test_sql} THEN 1 ELSE 0 END)
                FROM served s
                JOIN ({youths_sql}) y ON y.who = s.youth_id
                GROUP BY y.kind, y.age_then, y.main_county, y.gender_group""",  # noqa: S608
            (*served_params, *test_params, *youths_params),
        )
        rows = cursor.fetchall()
    took_part_n = ungrouped = 0
    gender: Counter[tuple[str, str]] = Counter()
    for kind, age_then, county_main, group, n, n_took_part in rows:
        status[kind] += n
        band = youths.age_band(None if age_then is None else max(int(age_then), 0))
        age[(band, kind)] += n
        county[(youths.county_group(county_main or "", inside), kind)] += n
        if group is None:
            ungrouped += n
        else:
            gender[(str(group), str(kind))] += n
        took_part_n += int(n_took_part or 0)
    return Served(status, age, county, took_part_n if with_participation else None, gender, ungrouped)


def gender_counts(facts: Facts, served: Served) -> Counter[tuple[str, str]]:
    """Youths served by (gender group, kind): the groups ``served_counts`` counted with the rest, and
    the youths not grouped yet (written before the column or by a bulk loader; ``manage.py
    youth_gender_groups`` groups them), whose words are opened here, only to be grouped (a query
    only when there are any)."""
    counts: Counter[tuple[str, str]] = Counter(served.gender)
    if facts.scope.empty or not served.ungrouped:
        return counts
    for youth in (
        served_youths(facts)
        .filter(gender_group__isnull=True)
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

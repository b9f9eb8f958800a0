"""Services by VOCA category, meetings by type and screenings, counted in the database
(definitions: ``measures.voca`` and ``measures.activities``)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import connections
from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When

from threadline.care.models import CaseNote, Meeting, NoteState, PlanService, ScreeningResult
from threadline.outcomes.measures import activities, voca
from threadline.outcomes.selectors import Facts, bounds, compiled
from threadline.outcomes.tables import Table
from threadline.youth.models import Placement


def _category(column: str, mapping: dict[str, str]) -> Case:
    """The VOCA category of a row from one of its columns (``measures.voca``'s mapping)."""
    return Case(
        *[When(**{column: code}, then=Value(category)) for code, category in mapping.items()],
        output_field=CharField(),
    )


def voca_services(facts: Facts) -> Table:
    """``measures.voca.voca_services`` in one statement: the four sources' rows in the period (care-plan
    services, saved notes of a contact, meetings held, shelter placements begun), each as (youth,
    category), put together (``UNION ALL``) and counted per category: services = rows, youths =
    distinct youths across the sources. Each table is read once."""
    period = facts.period
    start, end = bounds(period)
    sources: list[QuerySet[Any, Any]] = [
        facts.youth_rows(
            PlanService,
            domain__in=list(voca.DOMAIN_CATEGORY),
            started_on__gte=period.start,
            started_on__lte=period.end,
        ).annotate(category=_category("domain", voca.DOMAIN_CATEGORY)),
        facts.youth_rows(
            CaseNote,
            state=NoteState.FINAL,
            contact_type__in=list(voca.CONTACT_CATEGORY),
            contact_at__gte=start,
            contact_at__lt=end,
        ).annotate(category=_category("contact_type", voca.CONTACT_CATEGORY)),
        facts.youth_rows(Meeting, held_at__gte=start, held_at__lt=end).annotate(
            category=Value(voca.PERSONAL_ADVOCACY, output_field=CharField())
        ),
        facts.youth_rows(
            Placement,
            placement_type__in=list(voca.SHELTER_PLACEMENTS),
            started_on__gte=period.start,
            started_on__lte=period.end,
        ).annotate(category=Value(voca.SHELTER_HOUSING, output_field=CharField())),
    ]
    rows = [source.annotate(who=F("youth_id")).values_list("who", "category") for source in sources]
    together = rows[0].union(*rows[1:], all=True)
    youths: dict[str, int] = {}
    services: dict[str, int] = {}
    statement = compiled(together)
    if statement is None:
        return voca.voca_table(youths, services)
    sql, params = statement
    # Django cannot aggregate over a union: the union's own SQL, counted by one outer SELECT.
    with connections[together.db].cursor() as cursor:
        cursor.execute(
            f"SELECT u.category, COUNT(*), COUNT(DISTINCT u.who) FROM ({sql}) u GROUP BY u.category",  # noqa: S608
            params,
        )
        for category, n, distinct in cursor.fetchall():
            services[category] = n
            youths[category] = distinct
    return voca.voca_table(youths, services)


def meetings_by_type(facts: Facts) -> Table:
    """``measures.activities.meetings_by_type``, one grouped query."""
    start, end = bounds(facts.period)
    held = Q(held_at__gte=start, held_at__lt=end)
    not_held = Q(held_at__isnull=True, scheduled_at__gte=start, scheduled_at__lt=end)
    rows = (
        facts.youth_rows(Meeting)
        .filter(held | not_held)
        .values_list("meeting_type")
        .annotate(held=Count("pk", filter=held), not_held=Count("pk", filter=not_held))
        .values_list("meeting_type", "held", "not_held")
    )
    held_by: Counter[str] = Counter()
    not_held_by: Counter[str] = Counter()
    for kind, n_held, n_not_held in rows:
        held_by[kind] += n_held
        not_held_by[kind] += n_not_held
    return activities.meetings_table(held_by, not_held_by)


def screenings(facts: Facts) -> Table:
    """``measures.activities.screenings``, one grouped query."""
    rows = (
        facts.youth_rows(
            ScreeningResult,
            screened_on__gte=facts.period.start,
            screened_on__lte=facts.period.end,
        )
        .order_by()
        .values_list("complete")
        .annotate(n=Count("pk"), youths=Count("youth_id", distinct=True))
        .values_list("complete", "n", "youths")
    )
    counts = {bool(complete): (n, youths) for complete, n, youths in rows}
    done, incomplete = counts.get(True, (0, 0)), counts.get(False, (0, 0))
    return activities.screenings_table(done[0], incomplete[0], done[1], incomplete[1])

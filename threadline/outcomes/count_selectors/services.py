"""Services by VOCA category, meetings by type and screenings, counted in the database
(definitions: ``measures.voca`` and ``measures.activities``)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import connections
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When

from threadline.care.models import CaseNote, Meeting, NoteState, PlanService, ScreeningResult
from threadline.outcomes.measures import activities, voca
from threadline.outcomes.selectors import Facts, bounds, compiled
from threadline.outcomes.tables import Table
from threadline.youth.models import Placement

# The VOCA categories by their place in ``voca.CATEGORIES``: the statement groups small numbers, not
# words (read back to the words here).
PLACES = [code for code, _label in voca.CATEGORIES]


def _category(column: str, mapping: dict[str, str]) -> Case:
    """The VOCA category of a row (its place in ``PLACES``) from one of its columns (``measures.voca``'s
    mapping)."""
    return Case(
        *[When(**{column: code}, then=Value(PLACES.index(category))) for code, category in mapping.items()],
        output_field=IntegerField(),
    )


def _one(category: str) -> Value:
    return Value(PLACES.index(category), output_field=IntegerField())


def voca_services(facts: Facts) -> Table:
    """``measures.voca.voca_services`` in one statement: the four sources' rows in the period (care-plan
    services, saved notes of a contact, meetings held, shelter placements begun), each as (youth,
    category), put together (``UNION ALL``), limited to the caseload once for all four (one hash of
    it, not one per source: ``Facts.unlimited_youth_rows``), and counted per category: services =
    rows, youths = distinct youths across the sources. Each table is read once."""
    period = facts.period
    start, end = bounds(period)
    sources: list[QuerySet[Any, Any]] = [
        facts.unlimited_youth_rows(
            PlanService,
            domain__in=list(voca.DOMAIN_CATEGORY),
            started_on__gte=period.start,
            started_on__lte=period.end,
        ).annotate(category=_category("domain", voca.DOMAIN_CATEGORY)),
        facts.unlimited_youth_rows(
            CaseNote,
            state=NoteState.FINAL,
            contact_type__in=list(voca.CONTACT_CATEGORY),
            contact_at__gte=start,
            contact_at__lt=end,
        ).annotate(category=_category("contact_type", voca.CONTACT_CATEGORY)),
        facts.unlimited_youth_rows(Meeting, held_at__gte=start, held_at__lt=end).annotate(
            category=_one(voca.PERSONAL_ADVOCACY)
        ),
        facts.unlimited_youth_rows(
            Placement,
            placement_type__in=list(voca.SHELTER_PLACEMENTS),
            started_on__gte=period.start,
            started_on__lte=period.end,
        ).annotate(category=_one(voca.SHELTER_HOUSING)),
    ]
    rows = [source.annotate(who=F("youth_id")).values_list("who", "category") for source in sources]
    together = rows[0].union(*rows[1:], all=True)
    youths: dict[str, int] = {}
    services: dict[str, int] = {}
    statements = [compiled(together), compiled(facts.caseload())]
    if None in statements:
        return voca.voca_table(youths, services)
    (sql, params), (caseload_sql, caseload_params) = [s for s in statements if s is not None]
    # Django cannot aggregate over a union: the union's own SQL, counted by one outer SELECT.
    with connections[together.db].cursor() as cursor:
        cursor.execute(
            f"""SELECT u.category, COUNT(*), COUNT(DISTINCT u.who) FROM ({sql}) u
                WHERE u.who IN ({caseload_sql}) GROUP BY u.category""",  # noqa: S608
            (*params, *caseload_params),
        )
        for place, n, distinct in cursor.fetchall():
            services[PLACES[place]] = n
            youths[PLACES[place]] = distinct
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

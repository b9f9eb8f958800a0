"""Services by VOCA category, meetings by type and screenings, counted in the database
(definitions: ``measures.voca`` and ``measures.activities``)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Count, Q, QuerySet

from threadline.care.models import CaseNote, Meeting, NoteState, PlanService, ScreeningResult
from threadline.outcomes.measures import activities, voca
from threadline.outcomes.selectors import Facts, bounds
from threadline.outcomes.tables import Table
from threadline.youth.models import Placement


def _keys(mapping: dict[str, str], category: str) -> list[str]:
    return [code for code, to in mapping.items() if to == category]


def voca_services(facts: Facts) -> Table:
    """``measures.voca.voca_services``: services counted by group, youths per category as the size of
    the union of the youth ids of its sources."""
    period = facts.period
    start, end = bounds(period)
    plan = facts.youth_rows(PlanService, started_on__gte=period.start, started_on__lte=period.end)
    contacts = facts.youth_rows(CaseNote, state=NoteState.FINAL, contact_at__gte=start, contact_at__lt=end)
    held = facts.youth_rows(Meeting, held_at__gte=start, held_at__lt=end)
    shelter = facts.youth_rows(
        Placement,
        placement_type__in=voca.SHELTER_PLACEMENTS,
        started_on__gte=period.start,
        started_on__lte=period.end,
    )
    services: Counter[str] = Counter()
    for domain, n in plan.values_list("domain").annotate(n=Count("pk")).values_list("domain", "n"):
        if domain in voca.DOMAIN_CATEGORY:
            services[voca.DOMAIN_CATEGORY[domain]] += n
    for kind, n in (
        contacts.values_list("contact_type").annotate(n=Count("pk")).values_list("contact_type", "n")
    ):
        if kind in voca.CONTACT_CATEGORY:
            services[voca.CONTACT_CATEGORY[kind]] += n
    services[voca.PERSONAL_ADVOCACY] += held.count()
    services[voca.SHELTER_HOUSING] += shelter.count()
    youths: dict[str, int] = {}
    for code, _label in voca.CATEGORIES:
        sources: list[QuerySet[Any, Any]] = [
            plan.filter(domain__in=_keys(voca.DOMAIN_CATEGORY, code)),
            contacts.filter(contact_type__in=_keys(voca.CONTACT_CATEGORY, code)),
        ]
        if code == voca.PERSONAL_ADVOCACY:
            sources.append(held)
        if code == voca.SHELTER_HOUSING:
            sources.append(shelter)
        ids = [source.values("youth_id").distinct() for source in sources]
        youths[code] = ids[0].union(*ids[1:]).count()
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

"""The facts of family services for one organization and period (column-only queries; opaque numbers
for the family clients). Kept apart from ``selectors.py`` so other measures can grow beside it."""

from __future__ import annotations

from django.utils import timezone

from threadline.family.models import FamilyClient, FamilyMeeting, FamilyNote, FamilyReferral
from threadline.outcomes.measures.facts import Period
from threadline.outcomes.measures.family import FamilyActivityFact, FamilyClientFact, family_services
from threadline.outcomes.selectors import Facts
from threadline.outcomes.tables import Table


def family_facts(
    organization_id: int | None, period: Period
) -> tuple[list[FamilyClientFact], list[FamilyActivityFact]]:
    if organization_id is None:
        return [], []
    numbers: dict[str, int] = {}

    def number(pk: object) -> int:
        return numbers.setdefault(str(pk), len(numbers) + 1)

    clients = [
        FamilyClientFact(number(pk), timezone.localdate(opened_at))
        for pk, opened_at in FamilyClient.objects.filter(organization_id=organization_id).values_list(
            "pk", "opened_at"
        )
    ]
    mine = {"client__organization_id": organization_id}
    activities = [
        FamilyActivityFact(number(c), "note", timezone.localdate(at))
        for c, at in FamilyNote.objects.filter(**mine).values_list("client_id", "contact_at")
    ]
    activities += [
        FamilyActivityFact(number(c), "meeting", timezone.localdate(at))
        for c, at in FamilyMeeting.objects.filter(**mine).values_list("client_id", "scheduled_at")
    ]
    activities += [
        FamilyActivityFact(number(c), "referral", on)
        for c, on in FamilyReferral.objects.filter(**mine).values_list("client_id", "sent_on")
    ]
    return clients, activities


def family_services_table(facts: Facts) -> Table:
    clients, activities = family_facts(facts.scope.organization_id, facts.period)
    return family_services(clients, activities, facts.period)

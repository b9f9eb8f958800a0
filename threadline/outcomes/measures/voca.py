"""Services by the VOCA victim-service categories (the Victims of Crime Act performance measures'
five groups), counted from the care plan, case notes, meetings and placements.

Mapping, exactly:

- **Information and referral**: care-plan services started in the period in physical health,
  substance use, education, employment, identity documents, basic needs or other domains (the
  program connects the youth with another provider).
- **Personal advocacy / accompaniment**: saved case notes of in-person contacts, and meetings held
  about the youth (rapid response, care coordination, service status, pre-discharge, recovery
  roundtable), in the period.
- **Emotional support or safety services**: care-plan services in safety, behavioral health, social
  support or family domains started in the period, and phone, text or video contacts in the period.
- **Shelter / housing services**: care-plan housing services started in the period, and placements
  in a shelter, safe house or residential program that began in the period.
- **Criminal / civil justice system assistance**: care-plan legal services started in the period.

Service referrals through the directory (the referrals room) will add to "information and
referral" when that room lands.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.utils.translation import gettext_lazy as _

from threadline.outcomes.measures.facts import (
    ContactFact,
    MeetingFact,
    Period,
    PlacementFact,
    PlanServiceFact,
)
from threadline.outcomes.tables import Label, Table, count_table

INFORMATION_REFERRAL = "information_referral"
PERSONAL_ADVOCACY = "personal_advocacy"
EMOTIONAL_SAFETY = "emotional_safety"
SHELTER_HOUSING = "shelter_housing"
JUSTICE = "justice"

CATEGORIES: list[tuple[str, Label]] = [
    (INFORMATION_REFERRAL, _("Information and referral")),
    (PERSONAL_ADVOCACY, _("Personal advocacy and accompaniment")),
    (EMOTIONAL_SAFETY, _("Emotional support or safety services")),
    (SHELTER_HOUSING, _("Shelter and housing services")),
    (JUSTICE, _("Criminal and civil justice system assistance")),
]

DOMAIN_CATEGORY = {
    "physical_health": INFORMATION_REFERRAL,
    "substance_use": INFORMATION_REFERRAL,
    "education": INFORMATION_REFERRAL,
    "employment": INFORMATION_REFERRAL,
    "identity_documents": INFORMATION_REFERRAL,
    "basic_needs": INFORMATION_REFERRAL,
    "other": INFORMATION_REFERRAL,
    "safety": EMOTIONAL_SAFETY,
    "behavioral_health": EMOTIONAL_SAFETY,
    "social_support": EMOTIONAL_SAFETY,
    "family": EMOTIONAL_SAFETY,
    "housing": SHELTER_HOUSING,
    "legal": JUSTICE,
}
CONTACT_CATEGORY = {
    "in_person": PERSONAL_ADVOCACY,
    "phone": EMOTIONAL_SAFETY,
    "text": EMOTIONAL_SAFETY,
    "video": EMOTIONAL_SAFETY,
}
SHELTER_PLACEMENTS = frozenset({"shelter", "safe_house", "residential"})


def voca_services(
    *,
    plan_services: Iterable[PlanServiceFact],
    contacts: Iterable[ContactFact],
    meetings: Iterable[MeetingFact],
    placements: Iterable[PlacementFact],
    period: Period,
) -> Table:
    """Per VOCA category (mapping in the module docstring): youths who received at least one such
    service in the period (each youth once per category, so the column does not add up to the youths
    served) and the number of services. No totals: a youth is in several categories."""
    youths: dict[str, set[int]] = defaultdict(set)
    services: dict[str, int] = defaultdict(int)

    def add(category: str | None, youth: int) -> None:
        if category is not None:
            youths[category].add(youth)
            services[category] += 1

    for s in plan_services:
        if period.contains(s.started_on):
            add(DOMAIN_CATEGORY.get(s.domain), s.youth)
    for c in contacts:
        if period.holds(c.contact_at):
            add(CONTACT_CATEGORY.get(c.contact_type), c.youth)
    for m in meetings:
        if m.held_at is not None and period.holds(m.held_at):
            add(PERSONAL_ADVOCACY, m.youth)
    for p in placements:
        if p.placement_type in SHELTER_PLACEMENTS and period.contains(p.started_on):
            add(SHELTER_HOUSING, p.youth)
    return voca_table({code: len(ids) for code, ids in youths.items()}, services)


def voca_table(youths: Mapping[str, int], services: Mapping[str, int]) -> Table:
    """``voca_services`` from its counts ({category: distinct youths}, {category: services})."""
    return count_table(
        "voca.services",
        _("Services by VOCA category"),
        CATEGORIES,
        [("youths", _("Youths"), youths), ("services", _("Services"), services)],
        _("A youth is counted once in each category they received in the period."),
        row_totals=False,
        column_totals=False,
    )

"""Mentorship reads, all through the youth policy (one ledger row per youth opened or listed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from threadline.access.categories import Category
from threadline.access.models import MentorAssignment
from threadline.accounts.models import Membership
from threadline.audit import ledger
from threadline.mentoring.models import MentorContact
from threadline.youth.models import ContactWay, Youth
from threadline.youth.policy import ALL_CATEGORIES, active_mentoring, open_for, open_youth, visible_youth


def mentees_of(*, membership: Membership | None) -> list[Youth]:
    """The youths assigned to this mentor now (by record code), one ledger row each."""
    with transaction.atomic():
        assigned = active_mentoring(timezone.now()).filter(person=getattr(membership, "user", None))
        youths = list(
            visible_youth(membership, Category.MENTORING)
            .filter(pk__in=assigned.values("youth_id"))
            .order_by("reference")
        )
        if youths and membership is not None:
            ledger.youths_shown(
                membership,
                [y.pk for y in youths],
                action="view",
                category=Category.RECORD,
                purpose="list mentees",
            )
    return youths


@dataclass(frozen=True)
class MenteePage:
    youth: Youth
    categories: frozenset[str]
    contacts: list[MentorContact]
    contact_ways: list[ContactWay] = field(default_factory=list)

    @property
    def shared(self) -> list[str]:
        """The labels of what the youth shares (beyond the shell and the mentoring contacts)."""
        hidden = {Category.RECORD, Category.MENTORING}
        return [str(c.label) for c in Category if c in self.categories and c not in hidden]


def mentee_page(*, membership: Membership | None, youth_id: Any) -> MenteePage:
    """The youth as this person may see them for mentoring: the 404 of a missing youth unless they
    may see the mentoring contacts; each other category only if the policy allows it."""
    with transaction.atomic():
        opened = open_youth(
            membership, youth_id, ALL_CATEGORIES, purpose="mentoring", require=Category.MENTORING
        )
        youth = opened.youth
        contacts = list(MentorContact.objects.filter(youth=youth).select_related("mentor"))
        for contact in contacts:
            contact.youth = youth
        ways: list[ContactWay] = []
        if opened.allows(Category.IDENTITY):
            ways = list(youth.contact_ways.all())
            for way in ways:
                way.youth = youth
    return MenteePage(youth=youth, categories=opened.categories, contacts=contacts, contact_ways=ways)


def mentor_assignments_of(
    *, membership: Membership | None, youth_id: Any
) -> tuple[Youth, list[MentorAssignment]]:
    """The youth's mentors now (for the coordinator's assignment page)."""
    with transaction.atomic():
        youth = open_for(membership, youth_id, Category.RECORD, purpose="mentors").youth
        rows = list(
            active_mentoring(timezone.now()).filter(youth=youth).select_related("person", "organization")
        )
    return youth, rows

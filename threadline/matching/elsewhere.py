"""Found across programs without leaking (issue 14): when a referral arrives in one program, a youth
another program on the same installation serves is signalled to the coordinator only as "this youth
may be known to another program", with that program's contact (its Care Coordinator organization's
name and phone). Never the record, never which fields matched, never a probability: until that program,
with the youth's consent, shares or transfers, the record stays theirs alone.

The matcher runs installation-wide (the same blocking and scoring as the referral's own candidates),
on what the referral itself says only (nothing the coordinator types: no fishing), among youths
another Care Coordinator organization is on the active care team of and this person may not see, and
only a very likely match (the auto-link band) gives a signal. One ledger row records the check, under
the referral, with no youth, nothing identifying and not even whether anything was found; the other
program is told nothing and its youth's access history gains no row.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from threadline.access.categories import Category
from threadline.accounts.models import Organization
from threadline.audit import ledger
from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.matching.engine import UPPER
from threadline.matching.selectors import referral_person, score_among
from threadline.youth.policy import active_team, visible_among, youth_for_maintenance

if TYPE_CHECKING:
    from threadline.accounts.models import Membership
    from threadline.intake.models import Referral


@dataclass(frozen=True)
class ProgramContact:
    """Whom to call: the other program's Care Coordinator organization. Nothing about the youth."""

    name: str
    phone: str


def known_elsewhere(*, membership: Membership, referral: Referral) -> list[ProgramContact]:
    """The other programs that may know this referral's youth (their contact only), ledgered."""
    if not may(membership, Action.SEE_KNOWN_ELSEWHERE):
        return []
    person = referral_person(referral)
    if not person.parsed and not person.parsed_aliases and person.dob is None and not person.phones:
        return []
    now = timezone.now()
    own = membership.organization
    theirs = active_team(now).filter(
        youth=OuterRef("pk"), organization__is_care_coordinator=True, organization__is_active=True
    )
    ours = active_team(now).filter(youth=OuterRef("pk"), organization=own)
    others = youth_for_maintenance().filter(Exists(theirs.exclude(organization=own))).exclude(Exists(ours))

    def allowed(ids: list[uuid.UUID]) -> dict[uuid.UUID, bool]:
        # Asked about blocking's short list only (never "every youth this person may see").
        seen = visible_among(membership, Category.RECORD, ids, now=now)
        unseen = [pk for pk in ids if pk not in seen]
        return dict.fromkeys(others.filter(pk__in=unseen).values_list("pk", flat=True), False)

    found = [f.youth_id for f in score_among(person=person, allowed=allowed) if f.probability >= UPPER]
    organizations = (
        Organization.objects.filter(
            pk__in=active_team(now)
            .filter(youth_id__in=found, organization__is_care_coordinator=True)
            .exclude(organization=own)
            .values("organization_id")
        )
        .order_by("name")
        .distinct()
    )
    contacts = [ProgramContact(name=o.name, phone=o.contact_phone) for o in organizations]
    with transaction.atomic():
        ledger.record_by(
            membership,
            action="cross_program_check",
            object_type="referral",
            object_id=referral.pk,
            # The same words whatever was found: an installation-wide auditor reading the row must not
            # learn that another program knows this youth.
            purpose="checked whether other programs may know this youth",
        )
    return contacts


__all__ = ["ProgramContact", "known_elsewhere"]

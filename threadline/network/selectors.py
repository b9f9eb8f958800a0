"""Reads of the network room. Nothing here is youth data; each read is scoped to the organization
acting (the program's own records, or what a partner owns or attended)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from threadline.access.agreements import PartnerAgreement
from threadline.accounts.models import Membership, Organization
from threadline.core.actions import Action
from threadline.core.ids import int_or_zero
from threadline.core.policy import may
from threadline.network.models import (
    ActionItem,
    ActionItemState,
    ActionPlan,
    CouncilMember,
    ProgramMeeting,
    Training,
    TrainingAttendance,
)


def agreements_of(*, membership: Membership) -> QuerySet[PartnerAgreement]:
    return PartnerAgreement.objects.select_related("partner").filter(
        program_organization=membership.organization
    )


def agreement_of(*, membership: Membership, agreement_id: Any) -> PartnerAgreement | None:
    return agreements_of(membership=membership).filter(pk=int_or_zero(agreement_id)).first()


def agreements_expiring(
    *, membership: Membership, days: int, today: datetime.date | None = None
) -> list[PartnerAgreement]:
    """Agreements of the program ending within ``days`` (the admin's reminder item)."""
    today = today or timezone.localdate()
    return list(
        agreements_of(membership=membership)
        .filter(expires_on__gte=today, expires_on__lte=today + datetime.timedelta(days=days))
        .order_by("expires_on")
    )


@dataclass(frozen=True)
class PartnerRow:
    organization: Organization
    agreements: list[PartnerAgreement]
    open_items: int


def partners(*, membership: Membership) -> list[PartnerRow]:
    """Every active partner organization with the program's agreements and its open action items."""
    by_partner: dict[int, list[PartnerAgreement]] = {}
    for agreement in agreements_of(membership=membership):
        by_partner.setdefault(agreement.partner_id, []).append(agreement)
    open_items: dict[int, int] = {}
    for owner_id in ActionItem.objects.filter(
        program_organization=membership.organization, state=ActionItemState.OPEN
    ).values_list("owner_organization_id", flat=True):
        open_items[owner_id] = open_items.get(owner_id, 0) + 1
    organizations = Organization.objects.filter(is_active=True).exclude(pk=membership.organization_id)
    return [PartnerRow(o, by_partner.get(o.pk, []), open_items.get(o.pk, 0)) for o in organizations]


def council(*, membership: Membership) -> list[CouncilMember]:
    return list(
        CouncilMember.objects.select_related("organization").filter(
            program_organization=membership.organization, left_on__isnull=True
        )
    )


def meetings(*, membership: Membership) -> QuerySet[ProgramMeeting]:
    return ProgramMeeting.objects.filter(program_organization=membership.organization)


def meeting(*, membership: Membership, meeting_id: Any) -> ProgramMeeting | None:
    return (
        meetings(membership=membership)
        .prefetch_related("members_present", "action_items__owner_organization")
        .filter(pk=int_or_zero(meeting_id))
        .first()
    )


def _trainings_seen(membership: Membership) -> QuerySet[Training]:
    """The program's own trainings; a partner sees the trainings its people attended."""
    org = membership.organization_id
    attended = TrainingAttendance.objects.filter(organization_id=org).values("training_id")
    return Training.objects.filter(Q(program_organization_id=org) | Q(pk__in=attended)).annotate(
        people=Sum("attendance__attendees")
    )


def trainings(*, membership: Membership) -> list[Training]:
    if not may(membership, Action.SEE_TRAININGS):
        return []
    return list(_trainings_seen(membership).order_by("-delivered_on")[:200])


def training(*, membership: Membership, training_id: Any) -> Training | None:
    if not may(membership, Action.SEE_TRAININGS):
        return None
    return (
        _trainings_seen(membership)
        .prefetch_related("attendance__organization")
        .filter(pk=int_or_zero(training_id))
        .first()
    )


def action_plans(*, membership: Membership) -> list[ActionPlan]:
    """The program's plans with every agency, or a partner's own plans."""
    org = membership.organization_id
    return list(
        ActionPlan.objects.select_related("partner", "training")
        .prefetch_related("items")
        .filter(Q(program_organization_id=org) | Q(partner_id=org))
    )


def tasks_owned(*, membership: Membership) -> list[ActionItem]:
    """The action items the acting organization owns, open first (its Network tasks page)."""
    return list(
        ActionItem.objects.select_related("meeting", "plan", "program_organization")
        .filter(owner_organization=membership.organization)
        .order_by("state", "due_on", "created_at")[:300]
    )

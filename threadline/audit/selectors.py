"""Reads of the access ledger, scoped by who asks."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from threadline.audit.labels import action_codes
from threadline.audit.models import AccessEvent, LedgerCheck, LedgerHead
from threadline.core.actions import Action
from threadline.core.policy import may

if TYPE_CHECKING:
    from threadline.accounts.models import Membership


def ledger_events(*, membership: Membership | None) -> QuerySet[AccessEvent]:
    """Newest first. The Care Coordinator's auditors and supervisors read every organization's rows
    (it answers for every disclosure of the youths it serves); anyone else with VIEW_AUDIT reads only
    the rows of their own organization. Nobody else reads any."""
    if membership is None or not may(membership, Action.VIEW_AUDIT):
        return AccessEvent.objects.none()
    events = AccessEvent.objects.select_related("actor", "organization").order_by("-seq")
    if may(membership, Action.VIEW_AUDIT_ALL_ORGANIZATIONS):
        return events
    return events.filter(organization=membership.organization)


@dataclass(frozen=True)
class LedgerFilter:
    """What the reader narrowed the ledger to. Nothing identifying: dates, a person's account id, an
    action code and a youth's record code (the youth's id is looked up, never put in a URL)."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    person_id: int | None = None
    action: str = ""
    youth_id: uuid.UUID | None = None
    unknown_youth: bool = False  # a record code that matches nobody: no rows, not every row


def ledger_filtered(*, membership: Membership | None, chosen: LedgerFilter) -> QuerySet[AccessEvent]:
    events = ledger_events(membership=membership)
    if chosen.unknown_youth:
        return events.none()
    zone = timezone.get_current_timezone()
    if chosen.date_from is not None:
        start = datetime.datetime.combine(chosen.date_from, datetime.time.min, tzinfo=zone)
        events = events.filter(at__gte=start)
    if chosen.date_to is not None:
        end = datetime.datetime.combine(
            chosen.date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        events = events.filter(at__lt=end)
    if chosen.person_id is not None:
        events = events.filter(actor_id=chosen.person_id)
    if chosen.action:
        events = events.filter(action__in=action_codes(chosen.action))
    if chosen.youth_id is not None:
        events = events.filter(youth_id=chosen.youth_id)
    return events


def ledger_people(*, membership: Membership | None) -> QuerySet[Any]:
    """The people whose rows this reader may see (for the "person" filter)."""
    actors = ledger_events(membership=membership).order_by().values("actor_id").distinct()
    return get_user_model().objects.filter(pk__in=actors).order_by("email")


@dataclass(frozen=True)
class ChainStatus:
    """The last verification, said honestly: the chain is the whole ledger (every organization's
    rows), the check covered rows 1 to ``verified`` and the ledger holds ``total`` rows now."""

    check: LedgerCheck | None
    verified: int
    total: int

    @property
    def unverified(self) -> int:
        return max(self.total - self.verified, 0)


def ledger_chain_status() -> ChainStatus:
    check = LedgerCheck.objects.first()
    head = LedgerHead.objects.filter(id=1).first()
    total = head.seq if head is not None else 0
    return ChainStatus(check=check, verified=check.rows_checked if check is not None else 0, total=total)

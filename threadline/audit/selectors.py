"""Reads of the access ledger, scoped by who asks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from threadline.audit.models import AccessEvent
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

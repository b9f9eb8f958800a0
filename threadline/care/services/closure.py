"""Closing and re-opening a case."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from threadline.accounts.models import Membership
from threadline.care import timeline_messages as msg
from threadline.care.choices import (
    ClosureReason,
    PlanState,
)
from threadline.care.models import (
    CaseClosure,
)
from threadline.care.services.base import _on_timeline, _open_plan, _revise
from threadline.core.actions import Action
from threadline.core.cleaning import clean_choice, clean_text
from threadline.core.policy import require
from threadline.youth.models import RecordStatus, Youth
from threadline.youth.said import Choice


def _require_coordinator_org(membership: Membership) -> None:
    require(membership, Action.COORDINATE_CARE)


def case_close(*, membership: Membership, youth_id: Any, reason: str, aftercare: str = "") -> CaseClosure:
    """Close the case with a reason and an aftercare plan. Nothing is deleted; the care team stays
    as it is (mentorship may continue after a move)."""
    _require_coordinator_org(membership)
    reason = clean_choice(reason, ClosureReason, field="reason")
    aftercare = clean_text(aftercare, field="aftercare", limit=8000)
    with transaction.atomic():
        youth, plan = _open_plan(membership, youth_id, purpose="close case", lock_youth=True)
        locked = youth
        if locked.status == RecordStatus.CLOSED:
            raise ValidationError({"reason": _("This case is already closed.")})
        closure = CaseClosure(youth=youth, reason=reason, aftercare=aftercare, closed_by=membership.user)
        closure.save(force_insert=True)
        _set_record_status(locked, RecordStatus.CLOSED)
        if plan.state != PlanState.CLOSED:
            plan.state = PlanState.CLOSED
            _revise(plan, membership, "state_changed")
        _on_timeline(
            membership, youth, closure, "case_closed", msg.CASE_CLOSED(reason=Choice(ClosureReason(reason)))
        )
    return closure


def case_reopen(*, membership: Membership, youth_id: Any) -> CaseClosure:
    """Re-engagement is normal: re-open with the whole history and the same team."""
    _require_coordinator_org(membership)
    with transaction.atomic():
        youth, plan = _open_plan(membership, youth_id, purpose="re-open case", lock_youth=True)
        locked = youth
        closure = (
            CaseClosure.objects.select_for_update().filter(youth=youth, reopened_at__isnull=True).first()
        )
        if locked.status != RecordStatus.CLOSED or closure is None:
            raise ValidationError({"reason": _("This case is open.")})
        closure.reopened_at = timezone.now()
        closure.reopened_by = membership.user
        closure.save(update_fields=["reopened_at", "reopened_by"])
        _set_record_status(locked, RecordStatus.OPEN)
        if plan.state == PlanState.CLOSED:
            plan.state = PlanState.ACTIVE
            _revise(plan, membership, "state_changed")
        _on_timeline(membership, youth, closure, "case_reopened", msg.CASE_REOPENED())
    return closure


def _set_record_status(youth: Youth, status: str) -> None:
    youth.status = status
    youth.version += 1  # someone editing the record from an older version gets a conflict, not a lost update
    youth.updated_at = timezone.now()
    youth.save(update_fields=["status", "version", "updated_at"])

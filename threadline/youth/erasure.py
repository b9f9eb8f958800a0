"""Erasing a youth's record: asked for by the Care Coordinator, approved by a supervisor."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from threadline.access.categories import Category
from threadline.accounts.models import Membership
from threadline.audit import ledger
from threadline.core.actions import Action
from threadline.core.policy import require
from threadline.youth.models import (
    ErasureRequest,
)
from threadline.youth.policy import access_youth


def erasure_request(*, membership: Membership, youth_id: Any, reason: str) -> ErasureRequest:
    """First of two people: ask to erase a youth entirely (e.g. a record created in error)."""
    require(membership, Action.REQUEST_ERASURE)
    if len(reason.strip()) < 10:
        raise ValidationError({"reason": _("Write the reason in a sentence.")})
    with transaction.atomic():
        youth = access_youth(membership, youth_id, Category.RECORD, write=True, purpose="request erasure")
        request = ErasureRequest.objects.create(
            youth_reference=youth.reference,
            youth_id_value=youth.pk,
            reason=reason.strip()[:300],
            requested_by=membership.user,
        )
        ledger.entry(membership, "erase_request", "youth", youth.pk, "erasure requested", youth_id=youth.pk)
    return request


def erasure_approve(*, membership: Membership, request_id: Any) -> ErasureRequest:
    """Second person: a supervisor who did not ask. Deletes every row and the youth's data key, so any
    copy of the encrypted fields (replicas, exports, backups) can no longer be opened once the master
    key that wrapped that data key is retired (see docs/operations.md, "Erasure")."""
    from threadline.crypto.datakeys import forget
    from threadline.crypto.models import DataKey

    require(membership, Action.APPROVE_ERASURE)
    with transaction.atomic():
        request = (
            ErasureRequest.objects.select_for_update().filter(pk=request_id, erased_at__isnull=True).first()
        )
        if request is None:
            raise ValidationError({"request": _("No open erasure request with that id.")})
        if request.requested_by_id == membership.user.pk:
            raise PermissionDenied  # two different people, always
        youth = access_youth(membership, request.youth_id_value, Category.RECORD, write=True, purpose="erase")
        key_id = youth.data_key_id
        ledger.entry(membership, "erase", "youth", youth.pk, "erased (two-person)", youth_id=youth.pk)
        youth.delete()
        DataKey.objects.filter(pk=key_id).delete()
        request.approved_by = membership.user
        request.approved_at = request.erased_at = timezone.now()
        request.save(update_fields=["approved_by", "approved_at", "erased_at"])
        transaction.on_commit(lambda: forget(str(key_id)))
    return request

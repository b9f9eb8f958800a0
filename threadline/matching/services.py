"""Writes: merge two records of one youth, and undo it. Each is one transaction with its ledger rows.

Merging moves nothing and deletes nothing: the merged record keeps its whole history (timeline,
referrals, consents, care team), a ``MergeRecord`` points it to the survivor, it leaves the matcher's
index (so referrals find the survivor only) and reads of it lead to the survivor. Un-merging marks the
record undone and puts the merged youth back in the index: both records are exactly as before.
"""

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
from threadline.core.ids import uuid_or_none
from threadline.core.locks import locked
from threadline.core.policy import may
from threadline.matching import timeline_messages as msg
from threadline.matching.index import youth_index_remove, youth_index_update
from threadline.matching.models import MergeRecord
from threadline.youth.models import Youth
from threadline.youth.policy import YouthNotFound, access_youth
from threadline.youth.said import Said


def youth_merge(
    *,
    membership: Membership,
    merged_id: Any,
    survivor_id: Any,
    reason: str = "",
    probability: float | None = None,
) -> MergeRecord:
    """Record that ``merged_id`` is the same youth as ``survivor_id``. The person must be allowed to
    merge and to change the identity of both records; otherwise the same 404 as a missing youth."""
    if not may(membership, Action.MERGE_YOUTH):
        raise PermissionDenied
    with transaction.atomic():
        merged = access_youth(membership, merged_id, Category.IDENTITY, write=True, purpose="merge records")
        survivor = access_youth(
            membership, survivor_id, Category.IDENTITY, write=True, purpose="merge records"
        )
        if merged.pk == survivor.pk:
            raise ValidationError(_("A record cannot be merged into itself."))
        active = MergeRecord.objects.select_for_update().filter(undone_at__isnull=True)
        if active.filter(merged_id__in=[merged.pk, survivor.pk]).exists():
            raise ValidationError(_("One of these records is already merged into another."))
        if active.filter(survivor_id=merged.pk).exists():
            raise ValidationError(_("Other records are merged into this one: merge into it instead."))
        record = MergeRecord.objects.create(
            merged=merged,
            survivor=survivor,
            probability=probability,
            reason=reason[:300],
            merged_by=membership.user,
        )
        youth_index_remove(merged)
        pair = {"merged": merged.reference, "survivor": survivor.reference}
        _on_both_records(
            membership,
            record,
            [
                (merged, msg.RECORDS_MERGED(**pair, other=survivor.reference)),
                (survivor, msg.RECORDS_MERGED(**pair, other=merged.reference)),
            ],
            kind="records_merged",
            action="merge",
            purpose="merge records of one youth",
        )
    return record


def youth_unmerge(*, membership: Membership, merge_id: Any, reason: str = "") -> MergeRecord:
    """Undo a merge: both records stand apart again, each with its own history."""
    if not may(membership, Action.MERGE_YOUTH):
        raise PermissionDenied
    with transaction.atomic():
        record = locked(MergeRecord, YouthNotFound, pk=uuid_or_none(merge_id), undone_at__isnull=True)
        merged = access_youth(
            membership, record.merged_id, Category.IDENTITY, write=True, purpose="undo merge"
        )
        survivor = access_youth(
            membership, record.survivor_id, Category.IDENTITY, write=True, purpose="undo merge"
        )
        record.undone_at = timezone.now()
        record.undone_by = membership.user
        record.undo_reason = reason[:300]
        record.save(update_fields=["undone_at", "undone_by", "undo_reason"])
        youth_index_update(merged)
        apart = msg.RECORDS_UNMERGED(merged=merged.reference, survivor=survivor.reference)
        _on_both_records(
            membership,
            record,
            [(merged, apart), (survivor, apart)],
            kind="records_unmerged",
            action="unmerge",
            purpose="undo merge of records",
        )
    return record


def _on_both_records(
    membership: Membership,
    record: MergeRecord,
    summaries: list[tuple[Youth, Said]],
    *,
    kind: str,
    action: str,
    purpose: str,
) -> None:
    """A timeline entry on each of the two records, and a ledger row for each (one batch)."""
    from threadline.youth.timeline import timeline_add

    for youth, summary in summaries:
        timeline_add(
            youth=youth,
            kind=kind,
            category=Category.RECORD,
            summary=summary,
            membership=membership,
            object_type="merge",
            object_id=record.pk,
        )
    ledger.record_many_by(
        membership,
        [
            ledger.Row(
                action=action,
                object_type="merge",
                object_id=record.pk,
                youth_id=youth.pk,
                category=Category.IDENTITY,
                purpose=purpose,
            )
            for youth, _summary in summaries
        ],
    )

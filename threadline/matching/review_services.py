"""Writes of the review queue: a coordinator decides a possible duplicate pair (same youth: merge; not
the same youth) or undoes a merge. One transaction each, ledger rows inside.

Concurrent-safe: the pair's decision is a conditional update on its ``version`` and open status, so
of two coordinators deciding the same pair at once, the second is told it was decided already and
nothing of theirs is written (``core.errors.Conflict``); merging itself locks the merge table and
refuses a record merged meanwhile.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from threadline.access.categories import Category
from threadline.accounts.models import Membership
from threadline.audit import ledger
from threadline.core.actions import Action
from threadline.core.errors import Conflict
from threadline.core.policy import may
from threadline.matching.models import DuplicatePair, MergeRecord
from threadline.matching.services import youth_merge, youth_unmerge
from threadline.youth.policy import YouthNotFound, visible_youth


class PairDecided(Conflict):
    """Someone else decided this pair first (or it changed): nothing was written."""


def _pair(membership: Membership, pair_id: Any) -> DuplicatePair:
    """The pair, if this person may change both of its records; else the 404 of a missing youth."""
    if not may(membership, Action.MERGE_YOUTH):
        raise PermissionDenied
    try:
        pk = uuid.UUID(str(pair_id))
    except ValueError:
        raise YouthNotFound from None
    pair = DuplicatePair.objects.filter(pk=pk).first()
    if pair is None:
        raise YouthNotFound
    ids = [pair.first_id, pair.second_id]
    if visible_youth(membership, Category.IDENTITY, write=True).filter(pk__in=ids).count() != 2:
        raise YouthNotFound
    return pair


def _decide(membership: Membership, pair: DuplicatePair, version: int, status: str) -> None:
    """Claim the decision: only if the pair is still open at the version the person saw."""
    claimed = DuplicatePair.objects.filter(
        pk=pair.pk, version=version, status=DuplicatePair.Status.OPEN
    ).update(status=status, version=F("version") + 1, decided_by=membership.user, decided_at=timezone.now())
    if not claimed:
        raise PairDecided(_("Someone else decided about these records already. Nothing was changed."))


def duplicate_pair_merge(
    *, membership: Membership, pair_id: Any, survivor_id: Any, version: int, reason: str = ""
) -> MergeRecord:
    """These two records are one youth: the other record is merged into ``survivor_id``."""
    pair = _pair(membership, pair_id)
    survivor = str(survivor_id)
    if survivor not in (str(pair.first_id), str(pair.second_id)):
        raise ValidationError(_("Choose which record stays."))
    merged = pair.second_id if survivor == str(pair.first_id) else pair.first_id
    with transaction.atomic():
        _decide(membership, pair, version, DuplicatePair.Status.MERGED)
        record = youth_merge(
            membership=membership,
            merged_id=merged,
            survivor_id=survivor,
            reason=reason or "review queue: same youth",
            probability=pair.probability,
        )
        DuplicatePair.objects.filter(pk=pair.pk).update(merge=record)
    return record


def duplicate_pair_dismiss(*, membership: Membership, pair_id: Any, version: int) -> DuplicatePair:
    """These two records are two different youths: the pair leaves the queue for good."""
    pair = _pair(membership, pair_id)
    with transaction.atomic():
        _decide(membership, pair, version, DuplicatePair.Status.DIFFERENT)
        ledger.record_many_by(
            membership,
            [
                ledger.Row(
                    action="not_a_match",
                    object_type="duplicate_pair",
                    object_id=pair.pk,
                    youth_id=youth_id,
                    category=Category.IDENTITY,
                    purpose="possible duplicate records are different youths",
                )
                for youth_id in (pair.first_id, pair.second_id)
            ],
        )
    pair.refresh_from_db()
    return pair


def merge_undo(*, membership: Membership, merge_id: Any, reason: str = "") -> MergeRecord:
    """Undo a merge from the queue: both records stand apart again, and the pair is recorded as two
    different youths (it does not come back to the queue)."""
    with transaction.atomic():
        record = youth_unmerge(membership=membership, merge_id=merge_id, reason=reason)
        pair = Q(first_id=record.merged_id, second_id=record.survivor_id) | Q(
            first_id=record.survivor_id, second_id=record.merged_id
        )
        DuplicatePair.objects.filter(pair).update(
            status=DuplicatePair.Status.DIFFERENT,
            version=F("version") + 1,
            decided_by=membership.user,
            decided_at=timezone.now(),
        )
    return record

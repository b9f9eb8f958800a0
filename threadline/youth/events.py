"""A write about one youth, recorded twice in the caller's transaction: the access-ledger row (who did
what, under which category) and the timeline entry (what happened, in plain words)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from threadline.accounts.models import Membership
from threadline.audit import ledger
from threadline.youth.models import Youth
from threadline.youth.said import Said
from threadline.youth.timeline import timeline_add


@dataclass(frozen=True)
class Entry:
    """The timeline side: its kind, the category that may read it, and what happened (a message,
    translated when shown)."""

    kind: str
    category: str
    summary: Said


def youth_event(
    membership: Membership,
    youth: Youth,
    *,
    action: str,
    object_type: str,
    object_id: Any,
    category: str,
    purpose: str,
    entry: Entry,
) -> None:
    """For services of any room, after their access check and inside their own transaction."""
    ledger.record_by(
        membership,
        action=action,
        object_type=object_type,
        object_id=object_id,
        youth_id=youth.pk,
        category=category,
        purpose=purpose,
    )
    timeline_add(
        youth=youth,
        kind=entry.kind,
        category=entry.category,
        summary=entry.summary,
        membership=membership,
        object_type=object_type,
        object_id=object_id,
    )

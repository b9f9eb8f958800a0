"""The youth's timeline: what happened, in plain words, recorded by the services of every room."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from threadline.accounts.models import Membership
from threadline.youth import said
from threadline.youth.models import (
    TimelineEntry,
    Youth,
)


def timeline_add(
    *,
    youth: Youth,
    kind: str,
    category: str,
    summary: said.Said | said.Choice,
    membership: Membership | None = None,
    object_type: str = "",
    object_id: Any = "",
    at: datetime.datetime | None = None,
    date_only: bool = False,
) -> TimelineEntry:
    """For services of any app, inside their own transaction, after their access check. ``summary`` is
    a registered message with its values (``said``): the reader sees it in their own language."""
    entry = TimelineEntry(
        youth=youth,
        kind=kind,
        category=category,
        summary=said.english(summary),
        message=said.stored(summary),
        object_type=object_type,
        object_id=str(object_id or ""),
        at=at or timezone.now(),
        date_only=date_only,
        author=membership.user if membership else None,
        organization=membership.organization if membership else None,
    )
    entry.save(force_insert=True)
    return entry


def timeline_note(
    membership: Membership | None,
    youth: Youth,
    category: str,
    kind: str,
    summary: said.Said | said.Choice,
    about: tuple[str, Any] = ("", ""),
    *,
    at: datetime.datetime | None = None,
) -> TimelineEntry:
    """:func:`timeline_add` said in one line: who wrote on whose timeline, under which category, what
    happened, and ``about`` which row (its kind and id)."""
    object_type, object_id = about
    return timeline_add(
        youth=youth,
        kind=kind,
        category=category,
        summary=summary,
        membership=membership,
        object_type=object_type,
        object_id=object_id,
        at=at,
    )

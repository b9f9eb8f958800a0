"""How the youth prefers to be met: the write, and the read for whoever is about to contact them.

Three short texts in the identity category (the same category as the safe-contact flags beside which
they are shown): ways and places that work for the youth, and what to avoid (e.g. "no phone calls",
"never pick me up at a police station"). Versioned: two people editing at once never overwrite.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from threadline.access.categories import Category
from threadline.accounts.models import Membership
from threadline.core.errors import EditConflict
from threadline.youth import timeline_messages as msg
from threadline.youth.models import MeetingPreference
from threadline.youth.policy import access_youth, parse_youth_id, visible_youth
from threadline.youth.timeline import timeline_note

MAX_LENGTH = 1000


def meeting_preference_set(
    *,
    membership: Membership,
    youth_id: Any,
    ways: str,
    places: str,
    avoid: str,
    version: int | None = None,
) -> MeetingPreference:
    """Record how the youth prefers to be met. ``version`` is the one the person saw (None: there
    was none yet); a newer one stored means someone else saved first: nothing is written."""
    values = {"ways": ways.strip(), "places": places.strip(), "avoid": avoid.strip()}
    errors = {name: _("Keep it under 1000 characters.") for name, v in values.items() if len(v) > MAX_LENGTH}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        youth = access_youth(
            membership,
            youth_id,
            Category.IDENTITY,
            write=True,
            purpose="how the youth prefers to be met",
            lock=True,
        )
        row = MeetingPreference.objects.select_for_update().filter(youth=youth).first()
        if row is None:
            if version not in (None, 0):
                raise EditConflict(current_version=0)
            row = MeetingPreference(youth=youth, **values)
            row.save(force_insert=True)
        else:
            row.youth = youth
            if version != row.version:
                raise EditConflict(current_version=row.version)
            for name, value in values.items():
                setattr(row, name, value)
            row.version += 1
            row.updated_at = timezone.now()
            row.save(update_fields=["ways", "places", "avoid", "version", "updated_at"])
        timeline_note(
            membership,
            youth,
            Category.IDENTITY,
            "meeting_preference",
            msg.MEETING_PREFERENCE(),
        )
    return row


def meeting_preference_for_contact(
    *, membership: Membership | None, youth_id: Any
) -> MeetingPreference | None:
    """For a page where someone is about to contact the youth (a field response): the youth's
    preferences if this person may see the youth's identity (one ledger row), else None: the page
    says nothing about a youth it may not show."""
    if youth_id is None:
        return None
    pk = parse_youth_id(youth_id)
    if not visible_youth(membership, Category.IDENTITY).filter(pk=pk).exists():
        return None
    with transaction.atomic():
        youth = access_youth(membership, pk, Category.IDENTITY, purpose="how the youth prefers to be met")
        row = MeetingPreference.objects.filter(youth=youth).first()
        if row is not None:
            row.youth = youth
    return row

"""Case notes: autosaved drafts, saved notes."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from threadline.access.categories import Category
from threadline.accounts.models import Membership
from threadline.care import timeline_messages as msg
from threadline.care.choices import (
    ContactType,
)
from threadline.care.models import (
    CaseNote,
    NoteState,
)
from threadline.care.selectors import own_draft_locked
from threadline.care.services.base import _on_timeline
from threadline.core.cleaning import clean_choice, clean_text
from threadline.core.errors import expect_version
from threadline.youth.policy import access_youth

NOTE_FIELDS = ("contact_type", "contact_at", "duration_minutes", "with_whom", "narrative", "sensitive")


def _note_changes(fields: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name, value in fields.items():
        if name not in NOTE_FIELDS:
            continue  # never mass-assign state, author, version...
        if name == "contact_type":
            clean[name] = clean_choice(value or "", ContactType, field=name, blank=True)
        elif name == "duration_minutes":
            if value in (None, ""):
                clean[name] = None
            else:
                try:
                    minutes = int(value)
                except (TypeError, ValueError):
                    raise ValidationError({name: _("Minutes must be a whole number.")}) from None
                if not 0 <= minutes <= 24 * 60:
                    raise ValidationError({name: _("Minutes must be between 0 and 1440.")})
                clean[name] = minutes
        elif name == "contact_at":
            if value is not None and not isinstance(value, datetime.datetime):
                raise ValidationError({name: _("Give a date and time.")})
            clean[name] = value
        elif name == "sensitive":
            clean[name] = bool(value)
        else:
            clean[name] = clean_text(value or "", field=name, limit=20000 if name == "narrative" else 300)
    return clean


def case_note_autosave(
    *, membership: Membership, youth_id: Any, note_id: Any = None, version: int | None = None, **fields: Any
) -> CaseNote:
    """Save what has been typed so far as the author's own draft (called every few seconds from a
    phone). Nothing is required in a draft. The first call creates it; later calls send its id and
    the version they last saw, so a second tab never silently overwrites the first."""
    clean = _note_changes(fields)
    with transaction.atomic():
        youth = access_youth(membership, youth_id, Category.CASE_NOTES, write=True, purpose="autosave note")
        if note_id is None:
            note = CaseNote(
                youth=youth, author=membership.user, organization=membership.organization, **clean
            )
            note.save(force_insert=True)
            return note
        note = own_draft_locked(youth=youth, membership=membership, note_id=note_id)
        expect_version(note, version)
        for name, value in clean.items():
            setattr(note, name, value)
        note.version += 1
        note.updated_at = timezone.now()
        note.save(update_fields=[*clean, "version", "updated_at"])
    return note


def case_note_save(
    *, membership: Membership, youth_id: Any, note_id: Any = None, version: int | None = None, **fields: Any
) -> CaseNote:
    """Turn the draft (with what was typed since its last autosave) into a saved note others on the
    team may read; without a draft (``note_id`` None), write and save the note in one go. A saved
    note is not edited afterwards (it is part of the record); a correction is a new note."""
    clean = _note_changes(fields)
    with transaction.atomic():
        youth = access_youth(membership, youth_id, Category.CASE_NOTES, write=True, purpose="save note")
        if note_id is None:
            note = CaseNote(youth=youth, author=membership.user, organization=membership.organization)
        else:
            note = own_draft_locked(youth=youth, membership=membership, note_id=note_id)
            expect_version(note, version)
        for name, value in clean.items():
            setattr(note, name, value)
        if not note.contact_type:
            raise ValidationError({"contact_type": _("Say what kind of contact this was.")})
        if not note.narrative and note.contact_type != ContactType.ATTEMPTED:
            raise ValidationError({"narrative": _("Write a few words about the contact.")})
        note.state = NoteState.FINAL
        note.contact_at = note.contact_at or timezone.now()
        note.finalized_at = note.updated_at = timezone.now()
        note.version += 1
        note.save()
        _on_timeline(
            membership,
            youth,
            note,
            "case_note",
            msg.CASE_NOTE(),
            category=Category.CASE_NOTES,
            at=note.contact_at,
        )
    return note

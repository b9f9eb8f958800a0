"""Team meetings and their action items."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from threadline.access.categories import Category
from threadline.accounts.models import Membership, Organization
from threadline.care import timeline_messages as msg
from threadline.care.choices import (
    MEETINGS_WITHOUT_YOUTH,
    MeetingType,
)
from threadline.care.models import Meeting
from threadline.care.services.base import _on_timeline, _team_organizations
from threadline.core.cleaning import clean_choice, clean_text
from threadline.core.errors import expect_version
from threadline.core.meetings import meeting_held
from threadline.youth.models import Youth
from threadline.youth.policy import access_youth
from threadline.youth.said import Choice


def _team_orgs_from(youth: Youth, organization_ids: Iterable[int], *, field: str) -> list[Organization]:
    ids = set(organization_ids)
    if not ids:
        return []
    team = _team_organizations(youth)
    if not ids <= team:
        raise ValidationError({field: _("Only organizations on this youth's care team can be invited.")})
    return list(Organization.objects.filter(pk__in=ids))


def _video_link(link: str) -> str:
    link = (link or "").strip()
    if not link:
        return ""
    try:
        URLValidator(schemes=["https"])(link)
    except ValidationError:
        raise ValidationError({"video_link": _("Paste the meeting's https:// link.")}) from None
    if len(link) > 500:
        raise ValidationError({"video_link": _("That link is too long.")})
    return link


def meeting_schedule(
    *,
    membership: Membership,
    youth_id: Any,
    meeting_type: str,
    scheduled_at: datetime.datetime,
    invited_ids: Iterable[int] = (),
    agenda: str = "",
    duration_minutes: int | None = None,
    place: str = "",
    video_link: str = "",
) -> Meeting:
    """A meeting about one youth. ``place`` is location data: writing it needs the location category
    too (checked in the same transaction, the same 404 otherwise)."""
    meeting_type = clean_choice(meeting_type, MeetingType, field="meeting_type")
    if meeting_type in MEETINGS_WITHOUT_YOUTH:
        # Program meetings (the advisory council) have their own pages: network/ (issue 15).
        raise ValidationError(
            {
                "meeting_type": _(
                    "The advisory council is about the program, not one youth: schedule it under Program meetings."
                )
            }
        )
    agenda = clean_text(agenda, field="agenda", limit=8000)
    place = clean_text(place, field="place", limit=300)
    video_link = _video_link(video_link)
    if duration_minutes is not None and not 5 <= duration_minutes <= 720:
        raise ValidationError({"duration_minutes": _("A meeting lasts between 5 minutes and 12 hours.")})
    with transaction.atomic():
        youth = access_youth(membership, youth_id, Category.CARE_PLAN, write=True, purpose="schedule meeting")
        if place:
            access_youth(membership, youth_id, Category.LOCATION, write=True, purpose="meeting place")
        invited = _team_orgs_from(youth, invited_ids, field="invited")
        meeting = _meeting_create(
            membership,
            youth,
            meeting_type,
            scheduled_at,
            duration_minutes=duration_minutes,
            place=place,
            video_link=video_link,
            agenda=agenda,
        )
        meeting.invited.set(invited)
    return meeting


def _meeting_create(
    membership: Membership,
    youth: Youth,
    meeting_type: str,
    scheduled_at: datetime.datetime,
    **fields: Any,
) -> Meeting:
    """A new meeting of the youth, set up by the person acting, with its line on the youth's timeline.
    Inside the caller's transaction, after the caller's checks."""
    meeting = Meeting(
        youth=youth,
        meeting_type=meeting_type,
        scheduled_at=scheduled_at,
        created_by=membership.user,
        **fields,
    )
    meeting.save(force_insert=True)
    _on_timeline(
        membership,
        youth,
        meeting,
        "meeting_scheduled",
        msg.MEETING_SCHEDULED(meeting_type=Choice(MeetingType(meeting_type))),
    )
    return meeting


def meeting_record(
    *,
    membership: Membership,
    youth_id: Any,
    meeting_id: Any,
    version: int,
    attended_ids: Iterable[int] = (),
    notes: str = "",
    decisions: str = "",
    held_at: datetime.datetime | None = None,
) -> Meeting:
    """What happened at the meeting. Versioned: two note-takers never overwrite each other."""
    notes = clean_text(notes, field="notes", limit=20000)
    decisions = clean_text(decisions, field="decisions", limit=8000)
    with transaction.atomic():
        youth = access_youth(membership, youth_id, Category.CARE_PLAN, write=True, purpose="record meeting")
        meeting = Meeting.objects.select_for_update().filter(pk=meeting_id, youth=youth).first()
        if meeting is None:
            raise Meeting.DoesNotExist
        meeting.youth = youth
        expect_version(meeting, version)
        attended = _team_orgs_from(youth, attended_ids, field="attended")
        meeting_held(meeting, held_at=held_at, notes=notes, decisions=decisions)
        meeting.attended.set(attended)
        _on_timeline(
            membership,
            youth,
            meeting,
            "meeting_held",
            msg.MEETING_HELD(meeting_type=Choice(MeetingType(meeting.meeting_type))),
        )
    return meeting

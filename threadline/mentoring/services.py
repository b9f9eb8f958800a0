"""Mentorship writes: assign a mentor, end it, log a contact. One transaction each, ledgered."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from threadline.access.categories import Category
from threadline.access.models import MentorAssignment
from threadline.accounts.models import Membership
from threadline.core.actions import Action
from threadline.core.cleaning import clean_choice, clean_text
from threadline.core.ids import uuid_or_none
from threadline.core.policy import may
from threadline.mentoring import timeline_messages as msg
from threadline.mentoring.models import MentorContact, MentorContactWay
from threadline.youth.events import Entry, youth_event
from threadline.youth.models import Youth
from threadline.youth.policy import YouthNotFound, access_youth, active_mentoring
from threadline.youth.timeline import timeline_add

NOTE_LIMIT = 1000  # a short note, typed on a phone


def mentors_available() -> list[Membership]:
    """Everyone who may mentor (survivor leaders, peer and volunteer mentors), asked through ``may``."""
    rows = Membership.objects.filter(
        is_active=True, user__is_active=True, organization__is_active=True
    ).select_related("user", "organization")
    return [m for m in rows if may(m, Action.MENTOR_YOUTH)]


def _open_for_pairing(membership: Membership, youth_id: Any, *, purpose: str) -> Youth:
    """Only those who manage sharing pair a youth with a mentor or end it (others: the usual 404); the
    youth's record is opened to write."""
    if not may(membership, Action.MANAGE_SHARING):
        raise YouthNotFound
    return access_youth(membership, youth_id, Category.RECORD, write=True, purpose=purpose)


def _on_record(
    membership: Membership,
    youth: Youth,
    assignment: MentorAssignment,
    *,
    action: str,
    purpose: str,
    entry: Entry,
) -> None:
    """A mentorship begun or ended: the ledger row (record category) and the timeline entry."""
    youth_event(
        membership,
        youth,
        action=action,
        object_type="mentor_assignment",
        object_id=assignment.pk,
        category=Category.RECORD,
        purpose=purpose,
        entry=entry,
    )


def mentor_assign(
    *,
    membership: Membership,
    youth_id: Any,
    mentor_membership_id: int,
    started_on: datetime.date | None = None,
) -> MentorAssignment:
    """The coordinator pairs a youth with a long-term mentor (the youth wants one)."""
    with transaction.atomic():
        youth = _open_for_pairing(membership, youth_id, purpose="assign mentor")
        mentor = next((m for m in mentors_available() if m.pk == mentor_membership_id), None)
        if mentor is None:
            raise ValidationError({"mentor": _("Choose a mentor.")})
        running = active_mentoring(timezone.now()).filter(youth=youth, person=mentor.user)
        if running.exists():
            raise ValidationError({"mentor": _("This mentor is already assigned to this youth.")})
        assignment = MentorAssignment.objects.create(
            youth=youth,
            person=mentor.user,
            organization=mentor.organization,
            started_on=started_on or timezone.localdate(),
            assigned_by=membership.user,
        )
        _on_record(
            membership,
            youth,
            assignment,
            action="mentor_assign",
            purpose=f"mentor from organization {mentor.organization.pk}",
            entry=Entry("mentor_assigned", Category.MENTORING, msg.MENTOR_ASSIGNED()),
        )
    return assignment


def mentor_assignment_end(*, membership: Membership, youth_id: Any, assignment_id: Any) -> MentorAssignment:
    """End a mentorship (the youth no longer wants it). Closing the case does NOT do this."""
    with transaction.atomic():
        youth = _open_for_pairing(membership, youth_id, purpose="end mentorship")
        assignment = (
            active_mentoring(timezone.now())
            .select_for_update()
            .filter(youth=youth, pk=uuid_or_none(assignment_id))
            .first()
        )
        if assignment is None:
            raise MentorAssignment.DoesNotExist
        assignment.ended_on = timezone.localdate() - datetime.timedelta(days=1)
        assignment.save(update_fields=["ended_on"])
        _on_record(
            membership,
            youth,
            assignment,
            action="mentor_end",
            purpose="mentorship ended",
            entry=Entry("mentor_ended", Category.MENTORING, msg.MENTORSHIP_ENDED()),
        )
    return assignment


def mentor_contact_log(
    *,
    membership: Membership,
    youth_id: Any,
    how: str,
    note: str = "",
    contact_on: datetime.date | None = None,
) -> MentorContact:
    """A contact with the youth, logged from a phone: the date, how, a short note."""
    how = clean_choice(how, MentorContactWay, field="how")
    note = clean_text(note, field="note", limit=NOTE_LIMIT)
    day = contact_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"contact_on": _("The date cannot be in the future.")})
    with transaction.atomic():
        youth = access_youth(
            membership, youth_id, Category.MENTORING, write=True, purpose="log mentoring contact"
        )
        contact = MentorContact(
            youth=youth,
            mentor=membership.user,
            organization=membership.organization,
            contact_on=day,
            how=how,
            note=note,
        )
        contact.save(force_insert=True)
        timeline_add(
            youth=youth,
            kind="mentor_contact",
            category=Category.MENTORING,
            summary=msg.MENTOR_CONTACT(),
            membership=membership,
            object_type="mentor_contact",
            object_id=contact.pk,
        )
    return contact

"""The advisory council and other program meetings: members, agenda, minutes, decisions, and the
action items they give partner organizations. About the program, never about one youth."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from threadline.accounts.models import Membership
from threadline.accounts.selectors import chosen_organization
from threadline.audit import ledger
from threadline.core.actions import Action
from threadline.core.cleaning import clean_text
from threadline.core.errors import expect_version
from threadline.core.ids import int_or_zero
from threadline.core.meetings import meeting_held
from threadline.core.policy import require
from threadline.network.base import create_owned, own_for_update
from threadline.network.models import (
    ActionItem,
    ActionItemState,
    ActionPlan,
    CouncilMember,
    CouncilMemberKind,
    ProgramMeeting,
    ProgramMeetingKind,
)


def council_member_add(
    *, membership: Membership, kind: str, organization_id: Any = None, name: str = ""
) -> CouncilMember:
    """A seat on the council: an organization, or a person listed by the name they choose."""
    require(membership, Action.MANAGE_PARTNERSHIPS)
    if kind not in CouncilMemberKind.values:
        raise ValidationError({"kind": _("Choose the kind of member.")})
    name = clean_text(name, field="name", limit=120)
    with transaction.atomic():
        organization = None
        if kind == CouncilMemberKind.ORGANIZATION:
            organization = chosen_organization(organization_id)
        elif not name:
            raise ValidationError({"name": _("Write the name they wish to be listed by.")})
        member = CouncilMember.objects.create(
            program_organization=membership.organization, kind=kind, organization=organization, name=name
        )
        ledger.record_by(
            membership, action="council_member_add", object_type="council_member", object_id=member.pk
        )
    return member


def council_member_leave(*, membership: Membership, member_id: Any) -> CouncilMember:
    require(membership, Action.MANAGE_PARTNERSHIPS)
    with transaction.atomic():
        member = own_for_update(CouncilMember, membership, member_id)
        if member.left_on is None:
            member.left_on = timezone.localdate()
            member.save(update_fields=["left_on"])
        ledger.record_by(
            membership, action="council_member_leave", object_type="council_member", object_id=member.pk
        )
    return member


def program_meeting_schedule(
    *,
    membership: Membership,
    kind: str,
    scheduled_at: datetime.datetime,
    title: str = "",
    agenda: str = "",
) -> ProgramMeeting:
    require(membership, Action.MANAGE_PARTNERSHIPS)
    if kind not in ProgramMeetingKind.values:
        raise ValidationError({"kind": _("Choose the kind of meeting.")})
    title = clean_text(title, field="title", limit=200)
    agenda = clean_text(agenda, field="agenda", limit=8000)
    with transaction.atomic():
        return create_owned(
            ProgramMeeting,
            membership,
            action="program_meeting_schedule",
            object_type="program_meeting",
            kind=kind,
            title=title,
            scheduled_at=scheduled_at,
            agenda=agenda,
        )


def program_meeting_record(
    *,
    membership: Membership,
    meeting_id: Any,
    version: int,
    minutes: str = "",
    decisions: str = "",
    present_ids: Iterable[Any] = (),
    held_at: datetime.datetime | None = None,
) -> ProgramMeeting:
    """What happened: minutes, decisions, which members came. Versioned."""
    require(membership, Action.MANAGE_PARTNERSHIPS)
    minutes = clean_text(minutes, field="minutes", limit=20000)
    decisions = clean_text(decisions, field="decisions", limit=8000)
    with transaction.atomic():
        meeting = own_for_update(ProgramMeeting, membership, meeting_id)
        expect_version(meeting, version)
        wanted = {int_or_zero(i) for i in present_ids}
        present = list(
            CouncilMember.objects.filter(pk__in=wanted, program_organization=membership.organization)
        )
        if len(present) != len(wanted):
            raise ValidationError({"present": _("Choose members of the council.")})
        meeting_held(meeting, held_at=held_at, minutes=minutes, decisions=decisions)
        meeting.members_present.set(present)
        ledger.record_by(
            membership, action="program_meeting_record", object_type="program_meeting", object_id=meeting.pk
        )
    return meeting


def meeting_action_item_add(
    *,
    membership: Membership,
    meeting_id: Any,
    title: str,
    owner_organization_id: Any,
    due_on: datetime.date | None = None,
) -> ActionItem:
    """An action item agreed at a program meeting: a task owned by an organization, which sees it on
    its Network tasks page."""
    return action_item_add(
        membership, ProgramMeeting, meeting_id, title=title, due_on=due_on, owner_id=owner_organization_id
    )


def action_item_add(
    membership: Membership,
    source_model: type[ProgramMeeting] | type[ActionPlan],
    source_id: Any,
    *,
    title: str,
    due_on: datetime.date | None,
    owner_id: Any = None,
) -> ActionItem:
    """An action item of one of the program's meetings (owned by the organization ``owner_id``) or
    action plans (owned by the plan's agency), with its ledger row, in one transaction."""
    require(membership, Action.MANAGE_PARTNERSHIPS)
    title = clean_text(title, field="title", limit=300, required=True)
    with transaction.atomic():
        source = own_for_update(source_model, membership, source_id)
        link: dict[str, Any]
        if isinstance(source, ActionPlan):
            owner_id, purpose, link = source.partner_id, f"plan {source.pk}", {"plan": source}
        else:
            owner_id = chosen_organization(owner_id, field="owner_organization").pk
            purpose, link = f"meeting {source.pk}, owner {owner_id}", {"meeting": source}
        return action_item_create(
            membership, owner_id=owner_id, title=title, due_on=due_on, source=link, purpose=purpose
        )


def action_item_create(
    membership: Membership,
    *,
    owner_id: int,
    title: str,
    due_on: datetime.date | None,
    source: dict[str, Any],
    purpose: str,
) -> ActionItem:
    """The item and its ledger row, inside the caller's transaction; ``source`` names the meeting or
    the action plan it came from."""
    return create_owned(
        ActionItem,
        membership,
        action="action_item_add",
        object_type="action_item",
        purpose=purpose,
        owner_organization_id=owner_id,
        title=title,
        due_on=due_on,
        **source,
    )


def action_item_complete(*, membership: Membership, item_id: Any, version: int) -> ActionItem:
    """Mark done: by the owning organization or by the program that gave it."""
    require(membership, Action.WORK_NETWORK_TASKS)
    with transaction.atomic():
        item = ActionItem.objects.select_for_update().filter(pk=int_or_zero(item_id)).first()
        if item is None or membership.organization_id not in (
            item.owner_organization_id,
            item.program_organization_id,
        ):
            raise ActionItem.DoesNotExist
        expect_version(item, version)
        if item.state != ActionItemState.DONE:
            item.state = ActionItemState.DONE
            item.done_at = timezone.now()
            item.version += 1
            item.save(update_fields=["state", "done_at", "version"])
        ledger.record_by(membership, action="action_item_done", object_type="action_item", object_id=item.pk)
    return item

"""The advisory council and other program meetings: roster, schedule, minutes, action items, print."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from threadline.core.actions import Action
from threadline.formflow import submit
from threadline.http import AuthedRequest
from threadline.network import meeting_services, selectors
from threadline.network.forms import ActionItemForm, CouncilMemberForm, MeetingScheduleForm, MinutesForm
from threadline.network.views.base import CONFLICT, can_manage, missing_is_404, require, sent


@login_required
@missing_is_404
def meetings(request: AuthedRequest) -> HttpResponse:
    membership = require(request, Action.SEE_NETWORK)
    schedule = MeetingScheduleForm(sent(request, "schedule"))
    member = CouncilMemberForm(sent(request, "member"))
    if request.method == "POST":
        require(request, Action.MANAGE_PARTNERSHIPS)
        if "leave" in request.POST:
            meeting_services.council_member_leave(membership=membership, member_id=request.POST["leave"])
            messages.success(request, _("Member left the council."))
            return redirect("network:meetings")
        if schedule.is_bound and submit(
            schedule, lambda d: meeting_services.program_meeting_schedule(membership=membership, **d)
        ):
            messages.success(request, _("Meeting scheduled."))
            return redirect("network:meetings")
        if member.is_bound and submit(
            member,
            lambda d: meeting_services.council_member_add(
                membership=membership,
                kind=d["kind"],
                organization_id=d["organization"].pk if d["organization"] else None,
                name=d["name"],
            ),
        ):
            messages.success(request, _("Member added to the council."))
            return redirect("network:meetings")
    context = {
        "meetings": selectors.meetings(membership=membership)[:100],
        "council": selectors.council(membership=membership),
        "forms": {"schedule": schedule, "member": member},
        "can_manage": can_manage(request),
    }
    return render(request, "network/meetings.html", context)


@login_required
@missing_is_404
def meeting(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    membership = require(request, Action.SEE_NETWORK)
    found = selectors.meeting(membership=membership, meeting_id=meeting_id)
    if found is None:
        raise Http404
    council = selectors.council(membership=membership)
    present = [str(m.pk) for m in found.members_present.all()]
    record = MinutesForm(
        sent(request, "minutes"),
        members=sorted({*council, *found.members_present.all()}, key=str),
        initial={
            "version": found.version,
            "present": present,
            "minutes": found.minutes,
            "decisions": found.decisions,
        },
    )
    action = ActionItemForm(sent(request, "action"))
    if request.method == "POST":
        require(request, Action.MANAGE_PARTNERSHIPS)
        saved = False
        if record.is_bound:
            saved = submit(
                record,
                lambda d: meeting_services.program_meeting_record(
                    membership=membership,
                    meeting_id=found.pk,
                    version=d["version"],
                    minutes=d["minutes"],
                    decisions=d["decisions"],
                    present_ids=d["present"],
                ),
                conflict=CONFLICT,
            )
        elif action.is_bound:
            saved = submit(
                action,
                lambda d: meeting_services.meeting_action_item_add(
                    membership=membership,
                    meeting_id=found.pk,
                    title=d["title"],
                    owner_organization_id=d["owner_organization"].pk,
                    due_on=d["due_on"],
                ),
            )
        if saved:
            messages.success(request, _("Saved."))
            return redirect("network:meeting", meeting_id=found.pk)
    context = {
        "meeting": found,
        "forms": {"minutes": record, "action": action},
        "can_manage": can_manage(request),
    }
    return render(request, "network/meeting.html", context)


@login_required
@require_GET
def minutes(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    """The minutes as a printable page (its own stylesheet: the CSP allows no inline style)."""
    membership = require(request, Action.SEE_NETWORK)
    found = selectors.meeting(membership=membership, meeting_id=meeting_id)
    if found is None:
        raise Http404
    return render(request, "network/minutes_print.html", {"meeting": found})

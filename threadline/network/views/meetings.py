"""The advisory council and other program meetings: roster, schedule, minutes, action items, print."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from threadline.core.actions import Action
from threadline.core.policy import require
from threadline.formflow import as_arguments, sent
from threadline.http import AuthedRequest
from threadline.network import meeting_services, selectors
from threadline.network.forms import ActionItemForm, CouncilMemberForm, MeetingScheduleForm, MinutesForm
from threadline.network.views.base import CONFLICT, found, manage, missing_is_404, page


@login_required
@missing_is_404
def meetings(request: AuthedRequest) -> HttpResponse:
    membership = require(request.membership, Action.SEE_NETWORK)
    schedule = MeetingScheduleForm(sent(request, "schedule"))
    member = CouncilMemberForm(sent(request, "member"))
    if request.method == "POST":
        require(request.membership, Action.MANAGE_PARTNERSHIPS)
        if "leave" in request.POST:
            meeting_services.council_member_leave(membership=membership, member_id=request.POST["leave"])
            messages.success(request, _("Member left the council."))
            return redirect("network:meetings")
    saved = manage(
        request,
        schedule,
        lambda d: meeting_services.program_meeting_schedule(membership=membership, **d),
        done=_("Meeting scheduled."),
        to=("network:meetings",),
    ) or manage(
        request,
        member,
        lambda d: meeting_services.council_member_add(
            membership=membership,
            kind=d["kind"],
            organization_id=d["organization"].pk if d["organization"] else None,
            name=d["name"],
        ),
        done=_("Member added to the council."),
        to=("network:meetings",),
    )
    context = {
        "meetings": selectors.meetings(membership=membership)[:100],
        "council": selectors.council(membership=membership),
        "forms": {"schedule": schedule, "member": member},
    }
    return saved or page(request, "network/meetings.html", context)


@login_required
@missing_is_404
def meeting(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    membership = require(request.membership, Action.SEE_NETWORK)
    shown = found(selectors.meeting(membership=membership, meeting_id=meeting_id))
    council = selectors.council(membership=membership)
    record = MinutesForm(
        sent(request, "minutes"),
        members=sorted({*council, *shown.members_present.all()}, key=str),
        initial={
            "version": shown.version,
            "present": [str(m.pk) for m in shown.members_present.all()],
            "minutes": shown.minutes,
            "decisions": shown.decisions,
        },
    )
    action = ActionItemForm(sent(request, "action"))
    if request.method == "POST":
        require(request.membership, Action.MANAGE_PARTNERSHIPS)
    saved = manage(
        request,
        record,
        lambda d: meeting_services.program_meeting_record(
            membership=membership, meeting_id=shown.pk, **as_arguments(d, present="present_ids")
        ),
        done=_("Saved."),
        to=("network:meeting", shown.pk),
        conflict=CONFLICT,
    ) or manage(
        request,
        action,
        lambda d: meeting_services.meeting_action_item_add(
            membership=membership,
            meeting_id=shown.pk,
            title=d["title"],
            owner_organization_id=d["owner_organization"].pk,
            due_on=d["due_on"],
        ),
        done=_("Saved."),
        to=("network:meeting", shown.pk),
    )
    context = {"meeting": shown, "forms": {"minutes": record, "action": action}}
    return saved or page(request, "network/meeting.html", context)


@login_required
@require_GET
def minutes(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    """The minutes as a printable page (its own stylesheet: the CSP allows no inline style)."""
    membership = require(request.membership, Action.SEE_NETWORK)
    shown = found(selectors.meeting(membership=membership, meeting_id=meeting_id))
    return render(request, "network/minutes_print.html", {"meeting": shown})

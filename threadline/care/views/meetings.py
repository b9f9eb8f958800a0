"""Team meetings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from threadline.access.categories import Category
from threadline.care import selectors
from threadline.care.forms import (
    ActionItemForm,
    MeetingForm,
    MeetingRecordForm,
)
from threadline.care.models import Meeting
from threadline.care.services.meetings import meeting_record, meeting_schedule
from threadline.care.services.missing import missing_episode_follow_up
from threadline.care.services.tasks import task_add
from threadline.care.views.base import CONFLICT, YouthWorkRequest, _owner_choices, _owner_ids, youth_work
from threadline.formflow import as_arguments, sent, sent_form, submit
from threadline.youth.policy import categories_open_to


@youth_work
def meetings(request: YouthWorkRequest, youth_id: str) -> HttpResponse:
    listed = selectors.meetings_of(membership=request.membership, youth_id=youth_id)
    youth = listed[0].youth if listed else None
    if youth is None:
        youth = selectors.care_plan_page(membership=request.membership, youth_id=youth_id).youth
    team = selectors.team_choices(youth=youth)
    which = sent_form(request)
    # The place is location data: offered only to those who may write it. The scheduler's own
    # organization is invited by default (when it is on the team).
    own = request.membership.organization_id
    forms = {
        "schedule": MeetingForm(
            sent(request, "schedule"),
            prefix="m",
            organizations=team.organizations,
            shows_place=Category.LOCATION
            in categories_open_to(request.membership, youth.pk, [Category.LOCATION]),
            initial={"invited": [own] if any(pk == own for pk, _name in team.organizations) else []},
        ),
        "record": MeetingRecordForm(sent(request, "record"), prefix="r", organizations=team.organizations),
        "action": ActionItemForm(sent(request, "action"), prefix="a", owners=_owner_choices(team)),
    }
    status = 200
    episodes = selectors.missing_episodes_of(youth=youth)
    if which == "roundtable":
        episode = next(
            (r.episode for r in episodes if str(r.episode.pk) == request.POST.get("episode")), None
        )
        if episode is None:
            raise Http404
        missing_episode_follow_up(membership=request.membership, youth_id=youth.pk, episode_id=episode.pk)
        messages.success(request, _("Recovery roundtable scheduled; next steps added to the plan."))
        return redirect("care:meetings", youth_id=youth.pk)
    if which in forms:
        try:
            saved = submit(
                forms[which],
                lambda d: _meeting_save(which, request.membership, youth.pk, d),
                conflict=CONFLICT,
            )
        except Meeting.DoesNotExist:
            raise Http404 from None
        if saved:
            messages.success(request, _("Saved."))
            return redirect("care:meetings", youth_id=youth.pk)
        status = 400
    return render(
        request,
        "care/meetings.html",
        {
            "youth": youth,
            "meetings": listed,
            "episodes": episodes,
            "forms": forms,
            "bound_meeting": request.POST.get("r-meeting") or request.POST.get("a-meeting") or "",
        },
        status=status,
    )


def _meeting_save(which: str, m: Any, youth_id: Any, d: dict[str, Any]) -> None:
    """The one service behind each meeting form."""
    if which == "schedule":
        meeting_schedule(membership=m, youth_id=youth_id, **as_arguments(d, invited="invited_ids"))
    elif which == "record":
        meeting_record(
            membership=m, youth_id=youth_id, **as_arguments(d, meeting="meeting_id", attended="attended_ids")
        )
    else:
        person, organization = _owner_ids(d["owner"])
        task_add(
            membership=m,
            youth_id=youth_id,
            meeting_id=d["meeting"],
            title=d["title"],
            owner_person_id=person,
            owner_organization_id=organization,
            due_on=d["due_on"],
        )

"""The care plan page, its tasks and items."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from threadline.access.categories import Category
from threadline.care import selectors
from threadline.care.forms import (
    GoalForm,
    NeedForm,
    PlanStateForm,
    ServiceForm,
    TaskForm,
    TaskStateForm,
)
from threadline.care.models import PlanGoal, PlanNeed, Task
from threadline.care.services.plan import (
    care_plan_set_state,
    plan_goal_add,
    plan_item_mark,
    plan_need_add,
    plan_service_add,
)
from threadline.care.services.tasks import task_add, task_update
from threadline.care.views.base import (
    CONFLICT,
    YouthWorkRequest,
    _owner_choices,
    _owner_ids,
    _require_youth_work,
    youth_work,
)
from threadline.core.actions import Action
from threadline.core.errors import EditConflict
from threadline.core.policy import may
from threadline.formflow import as_arguments, saved, sent, sent_form
from threadline.http import AuthedRequest
from threadline.youth.policy import require_youth


@youth_work
def plan(request: YouthWorkRequest, youth_id: str) -> HttpResponse:
    page = selectors.care_plan_page(membership=request.membership, youth_id=youth_id)
    youth = page.youth
    team = selectors.team_choices(youth=youth)
    which = sent_form(request)
    forms = {
        "need": NeedForm(sent(request, "need"), prefix="need"),
        "goal": GoalForm(sent(request, "goal"), prefix="goal"),
        "service": ServiceForm(sent(request, "service"), prefix="service", organizations=team.organizations),
        "task": TaskForm(sent(request, "task"), prefix="task", owners=_owner_choices(team)),
        "state": PlanStateForm(
            sent(request, "state"),
            prefix="state",
            initial={
                "state": page.plan.state if page.plan else "",
                "version": page.plan.version if page.plan else 0,
            },
        ),
    }
    status = 200
    if which in forms:
        form = forms[which]
        if saved(
            request, form, lambda d: _plan_write(request, youth.pk, which, d), _("Saved."), conflict=CONFLICT
        ):
            return _back_to(youth.pk, SECTIONS[which])
        status = 400
    return render(
        request,
        "care/plan.html",
        {
            "page": page,
            "youth": youth,
            "forms": forms,
            "task_states": TaskStateForm.base_fields["state"].choices,  # type: ignore[attr-defined]
            "today": timezone.localdate(),
            "is_coordinator_org": bool(may(request.membership, Action.COORDINATE_CARE)),
            "can_refer": bool(may(request.membership, Action.SEND_SERVICE_REFERRALS)),
        },
        status=status,
    )


def _plan_write(request: AuthedRequest, youth_id: Any, which: str, data: dict[str, Any]) -> None:
    m = request.membership
    assert m is not None
    if which == "need":
        plan_need_add(membership=m, youth_id=youth_id, **data)
    elif which == "goal":
        plan_goal_add(membership=m, youth_id=youth_id, **data)
    elif which == "service":
        plan_service_add(membership=m, youth_id=youth_id, **as_arguments(data, provider="provider_id"))
    elif which == "task":
        person, organization = _owner_ids(data["owner"])
        task_add(
            membership=m,
            youth_id=youth_id,
            title=data["title"],
            owner_person_id=person,
            owner_organization_id=organization,
            due_on=data["due_on"],
            domain=data["domain"],
        )
    elif which == "state":
        care_plan_set_state(membership=m, youth_id=youth_id, **data)


# Each form's section of the plan page: after an add, the page comes back at that section rather than at
# the top of a long page (issue 16, part 6).
SECTIONS = {
    "need": "needs-h",
    "goal": "goals-h",
    "service": "services-h",
    "task": "tasks-h",
    "state": "state-h",
}


def _back_to(youth_id: Any, section: str) -> HttpResponse:
    return HttpResponseRedirect(reverse("care:plan", kwargs={"youth_id": youth_id}) + "#" + section)


@login_required
@require_POST
def task_state(request: AuthedRequest, youth_id: str, task_id: str) -> HttpResponse:
    _require_youth_work(request)
    assert request.membership is not None
    # Refuse before reading the form: no access answers like a missing youth (404), never a redirect.
    require_youth(request.membership, youth_id, Category.CARE_PLAN, write=True)
    form = TaskStateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a state for the task."))
        return _back_to(youth_id, "tasks-h")
    try:
        task_update(
            membership=request.membership,
            youth_id=youth_id,
            task_id=task_id,
            version=form.cleaned_data["version"],
            state=form.cleaned_data["state"],
        )
    except Task.DoesNotExist:
        raise Http404 from None
    except EditConflict:
        messages.error(request, CONFLICT)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Task updated."))
    return _back_to(youth_id, "tasks-h")


@login_required
@require_POST
def plan_item(request: AuthedRequest, youth_id: str, kind: str, item_id: str) -> HttpResponse:
    """Mark a need met or a goal achieved, or undo it."""
    _require_youth_work(request)
    require_youth(request.membership, youth_id, Category.CARE_PLAN, write=True)
    assert request.membership is not None
    try:
        plan_item_mark(
            membership=request.membership,
            youth_id=youth_id,
            kind=kind,
            item_id=item_id,
            done=request.POST.get("done") == "1",
        )
    except (PlanNeed.DoesNotExist, PlanGoal.DoesNotExist, ValidationError):
        # Closed plans aside, every failure here is a wrong address: answer like one.
        raise Http404 from None
    messages.success(request, _("Saved."))
    return _back_to(youth_id, "needs-h" if kind == "need" else "goals-h")

"""Trainings and technical assistance, action plans per agency, and an organization's own tasks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from threadline.core.actions import Action
from threadline.core.errors import EditConflict
from threadline.core.policy import require
from threadline.formflow import sent
from threadline.http import AuthedRequest
from threadline.network import meeting_services, selectors, training_services
from threadline.network.forms import ActionPlanForm, AttendanceForm, PlanItemForm, TrainingForm
from threadline.network.views.base import (
    CONFLICT,
    can_manage,
    found,
    manage,
    missing_is_404,
    page,
)


@login_required
@missing_is_404
def trainings(request: AuthedRequest) -> HttpResponse:
    membership = require(request.membership, Action.SEE_TRAININGS)
    form = TrainingForm(sent(request, "training"))
    saved = manage(
        request,
        form,
        lambda d: training_services.training_record(membership=membership, **d),
        done=_("Training recorded. Add who attended."),
        to=("network:trainings",),
    )
    return saved or page(
        request,
        "network/trainings.html",
        {"trainings": selectors.trainings(membership=membership), "form": form},
    )


@login_required
@missing_is_404
def training(request: AuthedRequest, training_id: int) -> HttpResponse:
    membership = require(request.membership, Action.SEE_TRAININGS)
    shown = found(selectors.training(membership=membership, training_id=training_id))
    form = AttendanceForm(sent(request, "attendance"))
    saved = manage(
        request,
        form,
        lambda d: training_services.training_attendance_add(
            membership=membership,
            training_id=shown.pk,
            organization_id=d["organization"].pk,
            attendees=d["attendees"],
        ),
        done=_("Attendance saved."),
        to=("network:training", shown.pk),
    )
    own = shown.program_organization_id == membership.organization_id
    context = {"training": shown, "form": form, "can_manage": can_manage(request) and own}
    return saved or render(request, "network/training.html", context)


@login_required
@missing_is_404
def plans(request: AuthedRequest) -> HttpResponse:
    membership = require(request.membership, Action.WORK_NETWORK_TASKS)
    plan_form = ActionPlanForm(sent(request, "plan"), own_organization=membership.organization_id)
    item_form = PlanItemForm(sent(request, "item"))
    if request.method == "POST":
        require(request.membership, Action.MANAGE_PARTNERSHIPS)
    saved = manage(
        request,
        plan_form,
        lambda d: training_services.action_plan_create(
            membership=membership, partner_id=d["partner"].pk, title=d["title"]
        ),
        done=_("Action plan started. Add its items."),
        to=("network:plans",),
    ) or manage(
        request,
        item_form,
        lambda d: training_services.action_plan_item_add(
            membership=membership, plan_id=d["plan"], title=d["title"], due_on=d["due_on"]
        ),
        done=_("Item added."),
        to=("network:plans",),
    )
    context = {
        "plans": selectors.action_plans(membership=membership),
        "forms": {"plan": plan_form, "item": item_form},
    }
    return saved or page(request, "network/plans.html", context)


@login_required
@missing_is_404
def tasks(request: AuthedRequest) -> HttpResponse:
    """The action items the acting organization owns. Marking one done answers the list alone to HTMX."""
    membership = require(request.membership, Action.WORK_NETWORK_TASKS)
    error = ""
    if request.method == "POST":
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = -1
        try:
            meeting_services.action_item_complete(
                membership=membership, item_id=request.POST.get("done"), version=version
            )
        except EditConflict:
            error = str(CONFLICT)
        else:
            if not request.htmx:  # type: ignore[attr-defined]
                messages.success(request, _("Marked done."))
                return redirect("network:tasks")
    template = "network/tasks.html#list" if request.htmx else "network/tasks.html"  # type: ignore[attr-defined]
    return render(request, template, {"items": selectors.tasks_owned(membership=membership), "error": error})

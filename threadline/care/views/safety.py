"""The safety plan, on screen and printed."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from threadline.care import selectors
from threadline.care.forms import (
    SafetyPlanForm,
)
from threadline.care.services.safety import SAFETY_FIELDS, safety_plan_save
from threadline.care.views.base import CONFLICT, YouthWorkRequest, youth_work
from threadline.formflow import saved
from threadline.intake.views.public import hotline


@youth_work
def safety_plan(request: YouthWorkRequest, youth_id: str) -> HttpResponse:
    view = selectors.safety_plan_of(membership=request.membership, youth_id=youth_id)
    plan = view.plan
    initial: dict[str, Any] = {"version": plan.version if plan else 0}
    if plan is not None:
        initial |= {f: getattr(plan, f) for f in SAFETY_FIELDS} | {"review_on": plan.review_on}
        if view.shows_places:
            initial["safe_places"] = plan.safe_places
    form = SafetyPlanForm(request.POST or None, initial=initial)
    if not view.shows_places:
        del form.fields["safe_places"]
    status = 200
    if request.method == "POST":
        m, pk = request.membership, view.youth.pk
        if saved(
            request,
            form,
            lambda d: safety_plan_save(membership=m, youth_id=pk, **d),
            _("Safety plan saved."),
            conflict=CONFLICT,
        ):
            return redirect("care:safety_plan", youth_id=view.youth.pk)
        status = 400
    return render(
        request, "care/safety_plan.html", {"view": view, "youth": view.youth, "form": form}, status=status
    )


@youth_work
def safety_plan_print(request: YouthWorkRequest, youth_id: str) -> HttpResponse:
    """A youth-friendly printable page (print or "save as PDF" from the browser), in the reader's
    language; ``?lang=es`` prints it in Spanish for the youth whatever the worker's language."""
    view = selectors.safety_plan_of(membership=request.membership, youth_id=youth_id)
    language = request.GET.get("lang", "")
    if language not in {"en", "es"}:
        language = translation.get_language() or "en"
    with translation.override(language):
        return render(
            request,
            "care/safety_plan_print.html",
            {"view": view, "plan": view.plan, "youth": view.youth, "hotline": hotline()},
        )

"""Closing and re-opening a case."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from threadline.care import selectors
from threadline.care.forms import (
    ClosureForm,
)
from threadline.care.services.closure import case_close, case_reopen
from threadline.care.views.base import YouthWorkRequest, youth_work
from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.formflow import form_errors


@youth_work
def closure(request: YouthWorkRequest, youth_id: str) -> HttpResponse:
    page = selectors.care_plan_page(membership=request.membership, youth_id=youth_id)
    if not may(request.membership, Action.COORDINATE_CARE):
        raise Http404
    open_closure = next((c for c in page.closures if c.reopened_at is None), None)
    form = ClosureForm(request.POST if request.method == "POST" and "reason" in request.POST else None)
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "reopen":
                case_reopen(membership=request.membership, youth_id=page.youth.pk)
                messages.success(request, _("Case re-opened. Everything is as it was."))
                return redirect("care:plan", youth_id=page.youth.pk)
            if form.is_valid():
                case_close(membership=request.membership, youth_id=page.youth.pk, **form.cleaned_data)
                messages.success(request, _("Case closed."))
                return redirect("care:plan", youth_id=page.youth.pk)
        except ValidationError as exc:
            form_errors(form, exc)
        status = 400
    return render(
        request,
        "care/closure.html",
        {"youth": page.youth, "form": form, "open_closure": open_closure, "closures": page.closures},
        status=status,
    )

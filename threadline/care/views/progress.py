"""Stage of change and outcome check-ins."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from threadline.care import selectors
from threadline.care.forms import (
    CheckInForm,
    StageForm,
)
from threadline.care.measures import MEASURES
from threadline.care.services.progress import outcome_check_in, stage_assess
from threadline.care.views.base import YouthWorkRequest, youth_work
from threadline.formflow import saved, sent, sent_form


def _progress_write(membership: Any, youth_id: str, which: str, data: dict[str, Any]) -> None:
    d = dict(data)
    if which == "stage":
        stage_assess(membership=membership, youth_id=youth_id, **d)
    else:
        measured_on = d.pop("measured_on")
        outcome_check_in(membership=membership, youth_id=youth_id, ratings=d, measured_on=measured_on)


@youth_work
def progress(request: YouthWorkRequest, youth_id: str) -> HttpResponse:
    which = sent_form(request)
    stage_form = StageForm(sent(request, "stage"), prefix="s")
    check_in_form = CheckInForm(sent(request, "check_in"), prefix="c")
    status = 200
    current = selectors.progress_of(membership=request.membership, youth_id=youth_id)
    if which in {"stage", "check_in"}:
        form: Any = stage_form if which == "stage" else check_in_form
        if saved(request, form, partial(_progress_write, request.membership, youth_id, which), _("Saved.")):
            return redirect("care:progress", youth_id=youth_id)
        status = 400
    labels = {d.measure.value: d.measure.label for d in MEASURES}
    return render(
        request,
        "care/progress.html",
        {
            "youth_id": youth_id,
            "progress": current,
            "stage_form": stage_form,
            "check_in_form": check_in_form,
            "check_ins": [
                (c, [(labels.get(k, k), v) for k, v in c.ratings.items()]) for c in current.check_ins
            ],
        },
        status=status,
    )

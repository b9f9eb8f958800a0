"""A missing youth is back: the return and the recovery roundtable."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from threadline.access.categories import Category
from threadline.care.services.missing import missing_episode_return
from threadline.formflow import flash_errors
from threadline.http import AuthedRequest
from threadline.youth.forms import MissingReturnForm
from threadline.youth.policy import require_youth


@login_required
@require_POST
def missing_return(request: AuthedRequest, youth_id: str) -> HttpResponse:
    """A missing youth is back (from the youth record's page): the return and the roundtable, one service."""
    # Refuse before looking at the form: someone without access gets the 404 of a missing youth.
    require_youth(request.membership, youth_id, Category.CARE_PLAN, write=True)
    assert request.membership is not None
    form = MissingReturnForm(request.POST)
    if not form.is_valid():
        flash_errors(request, form)
        return redirect("youth:detail", youth_id=youth_id)
    d = form.cleaned_data
    try:
        _episode, meeting = missing_episode_return(
            membership=request.membership,
            youth_id=youth_id,
            episode_id=d["episode"],
            ended_at=d["ended_at"],
            debrief=d["debrief"],
            roundtable=d["roundtable"],
        )
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("Return recorded. Welcome back."))
        if meeting is not None:
            messages.success(request, _("Recovery roundtable scheduled and added to the plan."))
    return redirect("youth:detail", youth_id=youth_id)

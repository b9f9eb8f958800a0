"""The "Today" page (issue 13): one call, one template."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from threadline.care.today_selectors import today_of
from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.http import AuthedRequest


@login_required
def today(request: AuthedRequest) -> HttpResponse:
    membership = getattr(request, "membership", None)
    if membership is None or not may(membership, Action.WORK_WITH_YOUTH):
        raise PermissionDenied
    response = render(request, "care/today.html", {"page": today_of(membership=membership)})
    response["Cache-Control"] = "no-store"
    return response

"""My work: the person's tasks, meetings, releases ending and alerts."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from threadline.care import selectors
from threadline.care.views.base import _require
from threadline.discovery import app_modules
from threadline.http import AuthedRequest


@login_required
def my_work(request: AuthedRequest) -> HttpResponse:
    _require(request)
    work = selectors.my_work(membership=request.membership)
    context: dict[str, Any] = {"work": work, "waiting_alerts": _alerts_waiting(request)}
    # Rooms above care add their own panels (``<app>/my_work.py::panels``), e.g. the service referrals
    # this person follows up that wait too long (issue 11): nobody falls through.
    for _label, module in app_modules("my_work"):
        context.update(module.panels(request.membership))
    return render(request, "care/my_work.html", context)


def _alerts_waiting(request: AuthedRequest) -> int:
    """Urgent referrals assigned to this person and not yet acknowledged (from intake's on-call chain).
    Only a count: the referral itself is opened from the intake dashboard, through its own checks."""
    from threadline.intake.oncall import open_alerts

    assert request.membership is not None
    return open_alerts(membership=request.membership).filter(assigned_to=request.user).count()

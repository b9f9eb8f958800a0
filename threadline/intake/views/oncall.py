"""The on-call dashboard: alerts and refer-out tasks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from threadline.core.actions import Action
from threadline.http import AuthedRequest
from threadline.intake import oncall, selectors
from threadline.intake.forms import (
    ReferOutDoneForm,
)
from threadline.intake.models import Alert, ReferOutTask
from threadline.intake.services.rules import (
    refer_out_task_complete,
)
from threadline.intake.views.base import _is_htmx, _membership


@login_required
def dashboard(request: AuthedRequest) -> HttpResponse:
    membership = _membership(request, Action.TAKE_REFERRALS)
    now = timezone.now()
    alerts = [
        {"alert": alert, "clock": oncall.clock(alert, now), "mine": alert.assigned_to_id == request.user.pk}
        for alert in oncall.open_alerts(membership=membership)
    ]
    done = [
        {"alert": alert, "clock": oncall.clock(alert, now)}
        for alert in oncall.recently_acknowledged(membership=membership)
    ]
    context = {
        "board": oncall.on_call_board(membership=membership, now=now),
        "alerts": alerts,
        "done": done,
        "tasks": selectors.open_refer_out_tasks(membership=membership),
        "reports": selectors.mandatory_reports_open(membership=membership),
        "escalation_minutes": oncall.escalation_minutes(),
        "medians": selectors.clock_medians(membership=membership, now=now),
        "now": now,
    }
    template = "intake/dashboard.html#board" if _is_htmx(request) else "intake/dashboard.html"
    return render(request, template, context)


@login_required
@require_POST
def acknowledge(request: AuthedRequest, alert_id: int) -> HttpResponse:
    membership = getattr(request, "membership", None)
    if membership is None:
        raise PermissionDenied
    try:
        oncall.alert_acknowledge(membership=membership, alert_id=alert_id)
    except (Alert.DoesNotExist, PermissionDenied) as exc:
        # One answer for "no such alert" and "not yours to acknowledge" (issue 9, item 8).
        raise Http404 from exc
    if _is_htmx(request):
        return dashboard(request)
    messages.success(request, _("Acknowledged. The clock has stopped."))
    return redirect("intake:dashboard")


@login_required
@require_POST
def refer_out_done(request: AuthedRequest, task_id: int) -> HttpResponse:
    membership = _membership(request, Action.TAKE_REFERRALS)
    form = ReferOutDoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say which agency you connected them with."))
        return redirect("intake:dashboard")
    try:
        refer_out_task_complete(membership=membership, task_id=task_id, agency=form.cleaned_data["agency"])
    except ReferOutTask.DoesNotExist as exc:
        raise Http404 from exc
    messages.success(request, _("Marked as referred out."))
    return redirect("intake:dashboard")

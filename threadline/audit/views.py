from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from threadline.audit.models import AccessEvent, LedgerCheck
from threadline.core.actions import Action
from threadline.core.policy import may


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    """Auditors and supervisors read the whole ledger, newest first, with the last verification."""
    if not may(getattr(request, "membership", None), Action.VIEW_AUDIT):
        raise PermissionDenied
    events = AccessEvent.objects.select_related("actor", "organization").order_by("-seq")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/ledger.html", {"page": page, "last_check": LedgerCheck.objects.first()})

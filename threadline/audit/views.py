from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from threadline.audit.models import LedgerCheck
from threadline.audit.selectors import ledger_events
from threadline.core.actions import Action
from threadline.core.policy import may


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    """Auditors and supervisors read the ledger, newest first, with the last verification: the whole
    ledger at the Care Coordinator, their own organization's rows at a partner agency."""
    membership = getattr(request, "membership", None)
    if not may(membership, Action.VIEW_AUDIT):
        raise PermissionDenied
    events = ledger_events(membership=membership)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/ledger.html", {"page": page, "last_check": LedgerCheck.objects.first()})

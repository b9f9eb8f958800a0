"""What the youth pages share."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import redirect

from threadline.access.categories import Category
from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.formflow import act, flash_errors
from threadline.http import AuthedRequest
from threadline.youth import selectors
from threadline.youth.policy import require_youth


def _can_manage_team(request: AuthedRequest) -> bool:
    m = request.membership
    return bool(may(m, Action.MANAGE_SHARING))


def _sharing_record(request: AuthedRequest, youth_id: str, purpose: str) -> selectors.YouthRecord:
    """The record behind a page that manages sharing (care team, releases): anyone who may not
    manage sharing gets the 404 of a missing youth."""
    record = selectors.youth_record(membership=request.membership, youth_id=youth_id, purpose=purpose)
    if not _can_manage_team(request):
        raise Http404
    return record


def _post_child(
    request: AuthedRequest,
    youth_id: str,
    form_class: Any,
    save: Any,
    ok_message: str,
    category: str = Category.IDENTITY,
) -> HttpResponse:
    # Refuse before looking at the form: someone without access gets the 404 of a missing youth.
    require_youth(request.membership, youth_id, category, write=True)
    form = form_class(request.POST)
    if form.is_valid():
        act(request, lambda: save(form.cleaned_data), ok_message)
    else:
        flash_errors(request, form)
    return redirect("youth:detail", youth_id=youth_id)

"""The coordinators' review queue of possible duplicate records: merge, not the same youth, undo a
merge. Each button asks first (a confirm step, also without JavaScript), then makes one service call.
With HTMX the confirm step and the outcome replace the row in place."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from threadline.accounts.models import Membership
from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.http import AuthedRequest
from threadline.matching import review, review_services
from threadline.youth.policy import YouthNotFound


def _membership(request: AuthedRequest) -> Membership:
    membership = getattr(request, "membership", None)
    if membership is None or not may(membership, Action.MERGE_YOUTH):
        raise PermissionDenied
    return membership


def _htmx(request: AuthedRequest) -> bool:
    return bool(getattr(request, "htmx", False))


@login_required
@require_http_methods(["GET"])
def review_queue(request: AuthedRequest) -> HttpResponse:
    membership = _membership(request)
    context = {
        "pairs": review.review_queue(membership=membership),
        "merges": review.recent_merges(membership=membership),
    }
    return render(request, "matching/review.html", context)


def _version(request: AuthedRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


@login_required
@require_POST
def pair_decide(request: AuthedRequest, pair_id: str) -> HttpResponse:
    """Same youth (merge, keeping the chosen record) or not the same youth. Without ``confirmed`` it
    shows the confirm step; with it, the one service call."""
    membership = _membership(request)
    decision = request.POST.get("decision", "")
    if decision not in ("merge", "different"):
        raise Http404
    pair = review.pair_for_decision(membership=membership, pair_id=pair_id)
    if pair is None:
        raise Http404
    survivor = request.POST.get("survivor", "")
    context = {"pair": pair, "decision": decision, "survivor": survivor, "problems": []}
    if request.POST.get("confirmed") != "yes":
        template = "matching/review.html#confirm_pair" if _htmx(request) else "matching/confirm_pair.html"
        return render(request, template, context)
    try:
        if decision == "merge":
            review_services.duplicate_pair_merge(
                membership=membership,
                pair_id=pair_id,
                survivor_id=survivor,
                version=_version(request),
                reason=request.POST.get("reason", "")[:300],
            )
            done = _("Records merged. Opening the other record now leads to the one kept.")
        else:
            review_services.duplicate_pair_dismiss(
                membership=membership, pair_id=pair_id, version=_version(request)
            )
            done = _("Recorded: these are two different youths.")
    except (review_services.PairDecided, ValidationError) as exc:
        context["problems"] = getattr(exc, "messages", None) or [str(exc)]
        status = 409 if isinstance(exc, review_services.PairDecided) else 422
        template = "matching/review.html#confirm_pair" if _htmx(request) else "matching/confirm_pair.html"
        return render(request, template, context, status=status)
    return _done(request, done)


@login_required
@require_POST
def merge_undo(request: AuthedRequest, merge_id: str) -> HttpResponse:
    """Undo a merge: both records stand apart again. Confirm step first, with an optional reason."""
    membership = _membership(request)
    row = review.merge_for_undo(membership=membership, merge_id=merge_id)
    if row is None:
        raise Http404
    context = {"merge": row, "problems": []}
    if request.POST.get("confirmed") != "yes":
        template = "matching/review.html#confirm_undo" if _htmx(request) else "matching/confirm_undo.html"
        return render(request, template, context)
    try:
        review_services.merge_undo(
            membership=membership, merge_id=merge_id, reason=request.POST.get("reason", "")[:300]
        )
    except YouthNotFound:  # undone by someone else between the confirm step and now
        context["problems"] = [_("Someone else undid this merge already. Nothing was changed.")]
        template = "matching/review.html#confirm_undo" if _htmx(request) else "matching/confirm_undo.html"
        return render(request, template, context, status=409)
    return _done(request, _("Merge undone: both records stand apart again, each with its own history."))


def _done(request: AuthedRequest, message: str) -> HttpResponse:
    if _htmx(request):
        return render(request, "matching/review.html#done", {"message": message})
    messages.success(request, message)
    return redirect("matching:review")

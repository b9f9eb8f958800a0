"""The referral queue and one referral."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from threadline.accounts.models import Membership
from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.http import AuthedRequest
from threadline.intake import selectors
from threadline.intake.forms import (
    MandatoryReportForm,
    ReferralStatusForm,
)
from threadline.intake.models import MandatoryReport, Referral
from threadline.intake.services.referrals import (
    mandatory_report_record,
    referral_create_youth,
    referral_first_contact,
    referral_link_youth,
    referral_set_status,
)
from threadline.intake.views.base import _membership


@login_required
def referrals(request: AuthedRequest) -> HttpResponse:
    membership = _membership(request, Action.TAKE_REFERRALS)
    queue = selectors.referral_queue(membership=membership)
    status = request.GET.get("status", "open")
    if status == "open":
        # Issue 13: an accepted referral stays open until the first contact with the young person.
        queue = queue.filter(
            Q(status__in=[Referral.Status.RECEIVED, Referral.Status.UNDER_REVIEW])
            | Q(status=Referral.Status.ACCEPTED, first_contact_at__isnull=True)
        )
    return render(request, "intake/referrals.html", {"referrals": queue[:200], "status": status})


# Buttons of the referral page other than "What happens next" (which moves the status).
def _with_prefill(reports: list[MandatoryReport]) -> list[MandatoryReport]:
    """Issue 13: "told whom" starts from the county's notification protocol."""
    from threadline.intake.protocol_services import prefill_for

    for report in reports:
        report.prefill = prefill_for(report)  # type: ignore[attr-defined]  # template-only attribute
    return reports


REFERRAL_ACTIONS = {"search_youth", "link_youth", "create_youth", "first_contact", "mandatory_report"}


@login_required
def referral_detail(request: AuthedRequest, referral_id: str) -> HttpResponse:
    membership = _membership(request, Action.TAKE_REFERRALS)
    action = request.POST.get("action") if request.method == "POST" else None
    # Searching for the youth's record is a POST: a name never goes into a URL (or a server log).
    query = request.POST.get("q", "")[:200] if action == "search_youth" else ""
    moves_status = request.method == "POST" and action not in REFERRAL_ACTIONS
    form = ReferralStatusForm(request.POST if moves_status else None)
    problems: list[str] = []  # refusals of the other buttons
    if request.method == "POST" and action != "search_youth":
        try:
            done = _referral_action(request, membership, referral_id, action, form)
        except (Referral.DoesNotExist, MandatoryReport.DoesNotExist) as exc:
            raise Http404 from exc
        except ValidationError as exc:
            if moves_status:
                form.add_error(None, exc.messages)
            else:
                problems.extend(exc.messages)
        else:
            if done:
                messages.success(request, done)
                return redirect("intake:referral_detail", referral_id=referral_id)
    referral = selectors.referral_open(membership=membership, referral_id=referral_id)
    if referral is None:
        raise Http404
    if not form.is_bound:
        form.initial["status"] = referral.status  # issue 13: the control shows where it is now
    now = timezone.now()
    matches = (
        selectors.referral_youth_matches(membership=membership, referral=referral, query=query)
        if referral.youth_id is None
        else []
    )
    known_elsewhere = (
        selectors.referral_known_elsewhere(membership=membership, referral=referral)
        if referral.youth_id is None
        else []
    )
    context = {
        "referral": referral,
        "matches": matches,
        "known_elsewhere": known_elsewhere,
        "query": query,
        "reports": _with_prefill(list(selectors.mandatory_reports_of(referral=referral))),
        "now": now,
        "to_first_contact": (referral.first_contact_at or now) - referral.received_at,
        "form": form,
        "may_create_youth": bool(may(membership, Action.CREATE_YOUTH)),
        "problems": problems,
    }
    status = 422 if form.errors or problems else 200
    return render(request, "intake/referral_detail.html", context, status=status)


def _referral_action(
    request: AuthedRequest, membership: Membership, referral_id: str, action: str | None, form: Any
) -> str | None:
    """The one service behind the button pressed; the message to show when it is done."""
    if action == "create_youth":
        referral_create_youth(membership=membership, referral_id=referral_id)
        return str(_("Youth record opened and linked."))
    if action == "link_youth":
        referral_link_youth(
            membership=membership, referral_id=referral_id, youth_id=request.POST.get("youth", "")
        )
        return str(_("Referral linked to the youth record."))
    if action == "first_contact":
        referral_first_contact(membership=membership, referral_id=referral_id)
        return str(_("First contact recorded. The clock has stopped."))
    if action == "mandatory_report":
        report_form = MandatoryReportForm(request.POST)
        if not report_form.is_valid():
            raise ValidationError(_("Say who was told."))
        report = selectors.mandatory_report_for(
            membership=membership, referral_id=referral_id, report_id=report_form.cleaned_data["report"]
        )
        if report is None:
            raise Http404
        mandatory_report_record(
            membership=membership,
            report_id=report.pk,
            reported_to=report_form.cleaned_data["reported_to"],
            report_number=report_form.cleaned_data["report_number"],
        )
        return str(_("Saved."))
    if form.is_valid():
        referral_set_status(
            membership=membership,
            referral_id=referral_id,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
        )
        return str(_("Saved."))
    return None

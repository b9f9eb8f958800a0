"""The care team, releases of information and emergency access."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from threadline.access.agreements import agreements_in_effect
from threadline.access.selectors import break_glass_for_review, break_glass_unreviewed
from threadline.core.actions import Action
from threadline.core.policy import may, require
from threadline.formflow import form_errors, submitted
from threadline.http import AuthedRequest
from threadline.youth import sharing
from threadline.youth.forms import (
    BreakGlassForm,
    ConsentForm,
    TeamMemberForm,
)
from threadline.youth.views.base import _sharing_record


@login_required
def team(request: AuthedRequest, youth_id: str) -> HttpResponse:
    record = _sharing_record(request, youth_id, "care team")
    assert request.membership is not None
    form = TeamMemberForm(request.POST or None)
    if request.method == "POST":
        if "end" in request.POST:
            sharing.care_team_end(
                membership=request.membership, youth_id=record.youth.pk, member_id=request.POST["end"]
            )
            messages.success(request, _("Role ended."))
            return redirect("youth:team", youth_id=record.youth.pk)
        if form.is_valid():
            try:
                sharing.care_team_add(
                    membership=request.membership,
                    youth_id=record.youth.pk,
                    organization_id=form.cleaned_data["organization"].pk,
                    role=form.cleaned_data["role"],
                )
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("Added to the care team."))
                return redirect("youth:team", youth_id=record.youth.pk)
    return render(request, "youth/team.html", {"record": record, "youth": record.youth, "form": form})


@login_required
def consents(request: AuthedRequest, youth_id: str) -> HttpResponse:
    record = _sharing_record(request, youth_id, "consents")
    assert request.membership is not None
    form = ConsentForm(
        request.POST or None,
        household=record.household,
        initial={"expires_on": timezone.localdate() + datetime.timedelta(days=365)},
    )
    if request.method == "POST":
        if "revoke" in request.POST:
            sharing.consent_revoke(
                membership=request.membership,
                youth_id=record.youth.pk,
                consent_id=request.POST["revoke"],
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("Consent revoked. It stops applying immediately."))
            return redirect("youth:consents", youth_id=record.youth.pk)
        if form.is_valid():
            d = form.cleaned_data
            tz = timezone.get_current_timezone()
            starts_at = (
                datetime.datetime.combine(d["starts_on"], datetime.time.min, tz)
                if d["starts_on"]
                else timezone.now()
            )
            expires_at = datetime.datetime.combine(d["expires_on"], datetime.time.max, tz)
            try:
                sharing.consent_record(
                    membership=request.membership,
                    youth_id=record.youth.pk,
                    organization_id=d["organization"].pk if d["organization"] else None,
                    use=d["use"],
                    categories=d["categories"],
                    purpose=d["purpose"],
                    given_by=d["given_by"],
                    guardian_id=d["guardian"] or None,
                    minor_may_consent_alone=d["minor_may_consent_alone"],
                    starts_at=starts_at,
                    expires_at=expires_at,
                    signature=d["signature"],
                    signed_form_name=d["signed_form_name"],
                    state=d["state"],
                    new_signer=form.new_signer(),
                )
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("Consent recorded."))
                return redirect("youth:consents", youth_id=record.youth.pk)
    return render(
        request,
        "youth/consents.html",
        {
            "record": record,
            "youth": record.youth,
            "form": form,
            "now": timezone.now(),
            "agreements": agreements_in_effect(program_organization_id=request.membership.organization_id),
            "signer_fields": SIGNER_FIELDS,
        },
    )


SIGNER_FIELDS = (
    "signer_name",
    "signer_relationship",
    "signer_is_guardian",
    "signer_is_non_offending_caregiver",
)


@login_required
def break_glass(request: AuthedRequest) -> HttpResponse:
    membership = require(request.membership, Action.BREAK_GLASS)
    form = BreakGlassForm(request.POST or None)
    grant = submitted(request, form, lambda d: sharing.break_glass_by_reference(membership=membership, **d))
    if grant is not None:
        messages.warning(
            request,
            _("Emergency access is open until %(time)s. Your supervisor has been told.")
            % {"time": timezone.localtime(grant.expires_at).strftime("%H:%M")},
        )
        return redirect("youth:detail", youth_id=grant.youth_id)
    # Those who review emergency access find the ones waiting here (the e-mail link is not the only way).
    waiting = (
        break_glass_unreviewed(membership=membership) if may(membership, Action.REVIEW_BREAK_GLASS) else []
    )
    return render(request, "youth/break_glass.html", {"form": form, "waiting": waiting})


@login_required
def break_glass_review(request: AuthedRequest, grant_id: str) -> HttpResponse:
    membership = require(request.membership, Action.REVIEW_BREAK_GLASS)
    grant = break_glass_for_review(membership=membership, grant_id=grant_id)
    if grant is None:
        raise Http404
    if request.method == "POST":
        try:
            sharing.break_glass_review(
                membership=membership, grant_id=grant.pk, note=request.POST.get("note", "")
            )
        except PermissionDenied:
            messages.error(request, _("Someone else must review your own emergency access."))
        else:
            messages.success(request, _("Review recorded."))
        return redirect("youth:break_glass_review", grant_id=grant.pk)
    return render(request, "youth/break_glass_review.html", {"grant": grant})

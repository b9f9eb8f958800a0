"""Partners and their agreements with the program; agreements ending soon at the top."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from threadline.core.actions import Action
from threadline.formflow import submit
from threadline.http import AuthedRequest
from threadline.network import agreement_services, selectors
from threadline.network.forms import AgreementChangeForm, AgreementForm
from threadline.network.views.base import CONFLICT, can_manage, missing_is_404, require, sent


@login_required
@missing_is_404
def partners(request: AuthedRequest) -> HttpResponse:
    membership = require(request, Action.SEE_NETWORK)
    form = AgreementForm(sent(request, "agreement"), own_organization=membership.organization_id)
    if form.is_bound:
        require(request, Action.MANAGE_PARTNERSHIPS)
        if submit(
            form,
            lambda d: agreement_services.agreement_record(
                membership=membership,
                partner_id=d["partner"].pk,
                kind=d["kind"],
                categories=d["categories"],
                signed_on=d["signed_on"],
                expires_on=d["expires_on"],
                contacts=d["contacts"],
                note=d["note"],
            ),
        ):
            messages.success(request, _("Agreement recorded."))
            return redirect("network:partners")
    context = {
        "rows": selectors.partners(membership=membership),
        "expiring": selectors.agreements_expiring(
            membership=membership, days=agreement_services.reminder_days()
        ),
        "form": form,
        "can_manage": can_manage(request),
    }
    return render(request, "network/partners.html", context)


@login_required
@missing_is_404
def agreement(request: AuthedRequest, agreement_id: int) -> HttpResponse:
    membership = require(request, Action.SEE_NETWORK)
    found = selectors.agreement_of(membership=membership, agreement_id=agreement_id)
    if found is None:
        raise Http404
    initial = {
        "version": found.version,
        "signed_on": found.signed_on,
        "expires_on": found.expires_on,
        "categories": found.categories,
        "contacts": found.contacts,
        "note": found.note,
    }
    form = AgreementChangeForm(sent(request, "change"), initial=initial)
    if form.is_bound:
        require(request, Action.MANAGE_PARTNERSHIPS)
        if submit(
            form,
            lambda d: agreement_services.agreement_change(
                membership=membership,
                agreement_id=found.pk,
                version=d["version"],
                categories=d["categories"],
                signed_on=d["signed_on"],
                expires_on=d["expires_on"],
                contacts=d["contacts"],
                note=d["note"],
            ),
            conflict=CONFLICT,
        ):
            messages.success(request, _("Agreement saved."))
            return redirect("network:agreement", agreement_id=found.pk)
    context = {"agreement": found, "form": form, "can_manage": can_manage(request)}
    return render(request, "network/agreement.html", context)

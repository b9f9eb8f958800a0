"""Pages for a youth who moves (issue 14): to another region of the same program, or to another
program (transfer request, and the receiving program's answer). Thin: one service call per POST.

Under a youth id, whoever may not see the youth gets the 404 of a missing youth before anything
else (the permission matrix checks it); someone who may see it but not do this gets 403."""

from __future__ import annotations

import datetime
from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from threadline.access.categories import Category
from threadline.access.models import ConsentGiver
from threadline.accounts.models import Membership
from threadline.core.actions import Action
from threadline.core.formfields import date_input
from threadline.core.policy import require
from threadline.formflow import as_arguments, saved
from threadline.http import AuthedRequest
from threadline.intake import move_selectors, move_services, transfer_services
from threadline.intake.models import Transfer
from threadline.youth import selectors as youth_selectors
from threadline.youth.policy import require_youth

CONSENTABLE = [(c.value, c.label) for c in Category if c != Category.RECORD]


class MoveForm(forms.Form):
    region = forms.TypedChoiceField(label=gettext_lazy("New region"), coerce=int)
    county = forms.CharField(label=gettext_lazy("County they live in now"), max_length=80)
    keep_advocate = forms.BooleanField(
        label=gettext_lazy("The advocate stays on the care team (their choice)"), required=False
    )


class TransferForm(forms.Form):
    """The transfer request is a release of information to the receiving program: what may be
    shared, who agreed, until when; the purpose is "transfer"."""

    to_program = forms.TypedChoiceField(label=gettext_lazy("Receiving program"), coerce=int)
    categories = forms.MultipleChoiceField(
        label=gettext_lazy("What the youth agreed to share with the receiving program"),
        choices=CONSENTABLE,
        widget=forms.CheckboxSelectMultiple,
    )
    given_by = forms.ChoiceField(label=gettext_lazy("Who gave consent"), choices=ConsentGiver.choices)
    guardian = forms.ChoiceField(label=gettext_lazy("Adult who signed"), required=False)
    minor_may_consent_alone = forms.BooleanField(
        label=gettext_lazy("The minor may consent alone"), required=False
    )
    expires_on = forms.DateField(label=gettext_lazy("Consent until"), widget=date_input())
    signed_form_name = forms.CharField(
        label=gettext_lazy("Signed paper form (reference)"), required=False, max_length=120
    )


def _acting_on(request: AuthedRequest, youth_id: str, category: Category, action: Action) -> Membership:
    """The person changing this youth's record: whoever may not see the youth gets the 404 of a missing
    youth first; whoever may see it but not do this, 403."""
    require_youth(request.membership, youth_id, category, write=True)
    return require(request.membership, action)


def _relocate(membership: Membership, youth_id: str, data: dict[str, Any]) -> None:
    move_services.youth_relocate(
        membership=membership, youth_id=youth_id, **as_arguments(data, region="region_id")
    )


def _transfer(membership: Membership, youth_id: str, data: dict[str, Any]) -> None:
    expires = datetime.datetime.combine(data["expires_on"], datetime.time(23, 59))
    transfer_services.transfer_request(
        membership=membership,
        youth_id=youth_id,
        to_program_id=data["to_program"],
        categories=data["categories"],
        given_by=data["given_by"],
        guardian_id=data["guardian"] or None,
        minor_may_consent_alone=data["minor_may_consent_alone"],
        expires_at=timezone.make_aware(expires),
        signed_form_name=data["signed_form_name"],
    )


@login_required
def youth_move(request: AuthedRequest, youth_id: str) -> HttpResponse:
    """The youth moved to another county or region of the same program: the record follows."""
    membership = _acting_on(request, youth_id, Category.IDENTITY, Action.RELOCATE_YOUTH)
    regions = list(move_selectors.regions_to_move_to(membership=membership))
    form = MoveForm(request.POST or None)
    region_field = form.fields["region"]
    assert isinstance(region_field, forms.TypedChoiceField)
    region_field.choices = [(r.pk, f"{r.program.name}: {r.name}") for r in regions]
    moved = _("Moved. The new region's on-call advocate and coordinator are on the team.")
    if request.method == "POST" and saved(request, form, partial(_relocate, membership, youth_id), moved):
        return redirect("youth:detail", youth_id=youth_id)
    record = youth_selectors.youth_record(
        membership=membership, youth_id=youth_id, purpose="move to another region"
    )
    current = move_selectors.region_of_youth(membership=membership, youth=record.youth)
    context = {"youth": record.youth, "record": record, "form": form, "current": current, "regions": regions}
    return render(request, "intake/youth_move.html", context, status=422 if request.method == "POST" else 200)


def _transfer_form(request: AuthedRequest, record: Any) -> TransferForm:
    assert request.membership is not None
    form = TransferForm(
        request.POST or None,
        initial={"expires_on": timezone.localdate() + datetime.timedelta(days=90)},
    )
    program_field = form.fields["to_program"]
    guardian_field = form.fields["guardian"]
    assert isinstance(program_field, forms.TypedChoiceField) and isinstance(guardian_field, forms.ChoiceField)
    program_field.choices = [
        (p.pk, f"{p.name} ({p.organization.name if p.organization else ''})")
        for p in move_selectors.programs_to_transfer_to(membership=request.membership)
    ]
    guardian_field.choices = [("", _("Nobody else"))] + [
        (str(m.pk), f"{m.name or '—'} ({m.relationship or '—'})")
        for m in record.household
        if not m.alleged_exploiter
    ]
    return form


@login_required
def youth_transfer(request: AuthedRequest, youth_id: str) -> HttpResponse:
    """Ask another program to take the youth on: the consent screen for a transfer."""
    membership = _acting_on(request, youth_id, Category.RECORD, Action.TRANSFER_YOUTH)
    record = youth_selectors.youth_record(membership=membership, youth_id=youth_id, purpose="transfer")
    form = _transfer_form(request, record)
    asked = _("Transfer requested. Your team stays responsible until it is accepted.")
    if request.method == "POST" and saved(request, form, partial(_transfer, membership, youth_id), asked):
        return redirect("youth:detail", youth_id=youth_id)
    context = {
        "youth": record.youth,
        "form": form,
        "transfers": move_selectors.transfers_of_youth(youth=record.youth),
    }
    return render(
        request, "intake/youth_transfer.html", context, status=422 if request.method == "POST" else 200
    )


@login_required
def transfers(request: AuthedRequest) -> HttpResponse:
    """Transfers to and from this organization's programs."""
    require(request.membership, Action.TRANSFER_YOUTH)
    assert request.membership is not None
    context = {
        "incoming": move_selectors.transfers_incoming(membership=request.membership),
        "outgoing": move_selectors.transfers_outgoing(membership=request.membership),
    }
    return render(request, "intake/transfers.html", context)


@login_required
@require_POST
def transfer_answer(request: AuthedRequest, transfer_id: str) -> HttpResponse:
    """The receiving coordinator accepts or declines a transfer."""
    require(request.membership, Action.TRANSFER_YOUTH)
    assert request.membership is not None
    try:
        if request.POST.get("answer") == "accept":
            transfer = transfer_services.transfer_accept(
                membership=request.membership, transfer_id=transfer_id
            )
            messages.success(request, _("Transfer accepted. The youth's record in your program is open."))
            assert transfer.received_youth_id is not None
            return redirect("youth:detail", youth_id=transfer.received_youth_id)
        transfer_services.transfer_decline(
            membership=request.membership, transfer_id=transfer_id, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("Transfer declined. The sending program keeps the youth."))
    except (Transfer.DoesNotExist, Http404) as exc:
        raise Http404 from exc
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    return redirect("intake:transfers")

"""Family-services pages: my family clients, referring a household member, one family client's page.
Thin: each POST is one service call; forbidden and missing answer the same 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from threadline.access.categories import Category
from threadline.core.actions import Action
from threadline.core.policy import may, require
from threadline.family import selectors, services
from threadline.family.forms import (
    FamilyMeetingForm,
    FamilyNoteForm,
    FamilyReferralForm,
    FamilyReferralStateForm,
    FamilyTaskForm,
    FamilyTaskStateForm,
    NeedForm,
    NewFamilyClientForm,
)
from threadline.family.models import FamilyReferral, FamilyTask
from threadline.family.policy import require_family_client
from threadline.formflow import as_arguments, form_errors, sent, sent_form, submit
from threadline.http import AuthedRequest
from threadline.youth.policy import YouthNotFound, require_youth


@login_required
def family_list(request: AuthedRequest) -> HttpResponse:
    require(request.membership, Action.SERVE_FAMILIES)
    clients = selectors.family_clients_of(membership=request.membership)
    return render(request, "family/list.html", {"clients": clients})


@login_required
def family_new(request: AuthedRequest, youth_id: str) -> HttpResponse:
    """Refer a caregiver or sibling of this youth to family services."""
    if not may(request.membership, Action.SERVE_FAMILIES):
        raise YouthNotFound
    assert request.membership is not None
    require_youth(request.membership, youth_id, Category.IDENTITY, write=True)
    members = selectors.household_for_referral(membership=request.membership, youth_id=youth_id)
    coordinators = [
        (m.user.pk, m.user.full_name or m.user.email)
        for m in services.family_coordinators(request.membership.organization.pk)
    ]
    form = NewFamilyClientForm(
        request.POST if request.method == "POST" else None, members=members, coordinators=coordinators
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                client = services.family_client_open(
                    membership=request.membership,
                    youth_id=youth_id,
                    household_member_id=form.cleaned_data["household_member"],
                    coordinator_id=form.cleaned_data["coordinator"],
                )
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("Family services started."))
                return redirect("family:client", client_id=client.pk)
        status = 400
    return render(request, "family/new.html", {"form": form, "youth_id": youth_id}, status=status)


FORMS: dict[str, type[forms.Form]] = {
    "need": NeedForm,
    "task": FamilyTaskForm,
    "task_state": FamilyTaskStateForm,
    "note": FamilyNoteForm,
    "meeting": FamilyMeetingForm,
    "referral": FamilyReferralForm,
    "referral_state": FamilyReferralStateForm,
}


@login_required
def family_client(request: AuthedRequest, client_id: str) -> HttpResponse:
    """One family client: needs and plan tasks, notes, meetings, referrals; each form posts here."""
    assert request.membership is not None
    which = sent_form(request)
    if request.method == "POST":
        require_family_client(request.membership, client_id)  # 404 before reading the form
    bound = {name: cls(sent(request, name), prefix=name) for name, cls in FORMS.items()}
    status = 200
    if which in bound:
        try:
            saved = submit(
                bound[which],
                lambda d: _write(request, client_id, which, d),
                conflict=_("Someone else saved a change first. Nothing you typed was saved over theirs."),
            )
        except (FamilyTask.DoesNotExist, FamilyReferral.DoesNotExist):
            raise Http404 from None
        if saved:
            messages.success(request, _("Saved."))
            return redirect("family:client", client_id=client_id)
        status = 400
    elif request.method == "POST":
        status = 400
    page = selectors.family_client_page(membership=request.membership, client_id=client_id)
    return render(request, "family/client.html", {"page": page, "forms": bound}, status=status)


# Each form's one service: the form's fields are its arguments (a row's id under the argument name given).
_SAVES: dict[str, tuple[Callable[..., object], dict[str, str]]] = {
    "need": (services.family_need_add, {}),
    "task": (services.family_task_add, {}),
    "task_state": (services.family_task_set_state, {"task": "task_id"}),
    "note": (services.family_note_add, {}),
    "meeting": (services.family_meeting_schedule, {}),
    "referral": (services.family_referral_add, {}),
    "referral_state": (services.family_referral_set_state, {"referral": "referral_id"}),
}


def _write(request: AuthedRequest, client_id: str, which: str, data: dict[str, Any]) -> None:
    m = request.membership
    assert m is not None
    service, names = _SAVES[which]
    service(membership=m, client_id=client_id, **as_arguments(data, **names))

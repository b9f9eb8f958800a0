"""Logging contacts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from threadline.core.actions import Action
from threadline.http import AuthedRequest
from threadline.intake import selectors
from threadline.intake.forms import (
    ContactForm,
)
from threadline.intake.models import Contact
from threadline.intake.services.contacts import ContactInput, contact_record
from threadline.intake.views.base import _membership


@login_required
def contacts(request: AuthedRequest) -> HttpResponse:
    membership = _membership(request, Action.TAKE_REFERRALS)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contact_record(
                membership=membership,
                data=ContactInput(**data, anonymous=data["caller_role"] == Contact.CallerRole.UNKNOWN),
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Contact recorded."))
            return redirect("intake:contacts")
    context = {"form": form, "contacts": selectors.contacts_of(membership=membership)[:50]}
    return render(request, "intake/contacts.html", context, status=422 if form.errors else 200)

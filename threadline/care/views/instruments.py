"""Loading screening instruments (program admins)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from threadline.care import selectors
from threadline.care.forms import (
    InstrumentUploadForm,
)
from threadline.care.instruments import InstrumentInvalid
from threadline.care.instruments.validation import parse_text
from threadline.care.services.instruments import instrument_load
from threadline.core.actions import Action
from threadline.core.policy import require
from threadline.http import AuthedRequest

MAX_INSTRUMENT_BYTES = 512 * 1024


@login_required
def instruments(request: AuthedRequest) -> HttpResponse:
    """Program admins load the instruments their agency is licensed to use. A malformed file is
    refused with every problem and where it is; nothing is stored."""
    require(request.membership, Action.MANAGE_PROGRAM)
    form = InstrumentUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            name = upload.name or ""
            suffix = name[name.rfind(".") :].lower() if "." in name else ""
            try:
                if suffix not in {".yaml", ".yml", ".json"}:
                    raise InstrumentInvalid([_("Choose a .yaml, .yml or .json file.")])
                if upload.size > MAX_INSTRUMENT_BYTES:
                    raise InstrumentInvalid([_("The file is too large for an instrument.")])
                try:
                    raw = upload.read().decode("utf-8")
                except UnicodeDecodeError:
                    raise InstrumentInvalid([_("The file is not UTF-8 text.")]) from None
                loaded = instrument_load(
                    definition=parse_text(raw, suffix=suffix),
                    licence_attestation=form.cleaned_data["licence_attestation"],
                    loaded_by=request.user,
                    activate=form.cleaned_data["activate"],
                    source=name,
                )
            except InstrumentInvalid as exc:
                problems = exc.problems
            except ValidationError as exc:
                problems = exc.messages
            else:
                if loaded.created:
                    messages.success(request, _("Instrument loaded."))
                else:
                    messages.info(request, _("That version was already loaded with the same content."))
                return redirect("care:instruments")
        status = 400
    return render(
        request,
        "care/instruments.html",
        {"form": form, "problems": problems, "instruments": selectors.instruments_all()},
        status=status,
    )

"""Screenings: the questions in the person's language, the results."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from threadline.care import selectors
from threadline.care.instruments import text as instrument_text
from threadline.care.models import Instrument
from threadline.care.services.screenings import screening_record
from threadline.care.views.base import YouthWorkRequest, youth_work


def _questions(instrument: Instrument, language: str) -> list[dict[str, Any]]:
    data = instrument.definition
    sections = []
    for section in data["sections"]:
        items = []
        for item in section["items"]:
            options = data["scales"][item["scale"]]["options"]
            items.append(
                {
                    "id": item["id"],
                    "text": instrument_text(item["text"], language),
                    "options": [(o["value"], instrument_text(o["label"], language)) for o in options],
                }
            )
        sections.append({"title": instrument_text(section["title"], language), "items": items})
    return sections


@youth_work
def screenings(request: YouthWorkRequest, youth_id: str) -> HttpResponse:
    rows = selectors.screenings_of(membership=request.membership, youth_id=youth_id)
    youth_pk = youth_id
    instruments = list(selectors.instruments_active())
    language = translation.get_language() or "en"
    chosen = None
    wanted = request.POST.get("instrument") or request.GET.get("instrument")
    if wanted:
        chosen = next((i for i in instruments if str(i.pk) == wanted), None)
    answers: dict[str, str] = {}
    errors: list[str] = []
    status = 200
    if request.method == "POST" and chosen is not None:
        answers = {
            key.removeprefix("item:"): str(request.POST.get(key, ""))
            for key in request.POST
            if key.startswith("item:") and request.POST.get(key)
        }
        try:
            recorded = screening_record(
                membership=request.membership,
                youth_id=youth_pk,
                instrument_id=chosen.pk,
                answers=answers,
            )
        except ValidationError as exc:
            errors = exc.messages
            status = 400
        else:
            messages.success(
                request,
                _("Screening saved. %(count)s next step(s) added to the plan.")
                % {"count": len(recorded.tasks)},
            )
            return redirect("care:screenings", youth_id=youth_pk)
    bands: dict[str, str] = {}
    for row in rows:
        for band in row.result.instrument.definition["bands"]:
            bands[f"{row.result.instrument.pk}:{band['id']}"] = instrument_text(band["label"], language)
    return render(
        request,
        "care/screenings.html",
        {
            "youth_id": youth_pk,
            "rows": [
                (
                    row,
                    bands.get(f"{row.result.instrument.pk}:{row.result.band}", ""),
                    bands.get(f"{row.result.instrument.pk}:{row.result.band_at_least}", ""),
                )
                for row in rows
            ],
            "instruments": instruments,
            "chosen": chosen,
            "chosen_title": instrument_text(chosen.definition["title"], language) if chosen else "",
            "questions": _questions(chosen, language) if chosen else [],
            "answers": answers,
            "errors": errors,
        },
        status=status,
    )

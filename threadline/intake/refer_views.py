"""The public thank-you page (issue 13): after a referral is sent, the page shows its reference and
what happens next; a refresh shows the same page again (post/redirect/get), never the form refilled."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from threadline.intake.routing import CALL_911
from threadline.intake.views.public import hotline


def refer_thanks(request: HttpRequest) -> HttpResponse:
    sent = request.session.get("refer_sent")
    if not isinstance(sent, dict):
        return redirect("intake:refer")
    context = {
        "reference": str(sent.get("reference", "")),
        "danger": bool(sent.get("danger")),
        "call_911": CALL_911,
        "hotline": hotline(),
    }
    response = render(request, "intake/refer_thanks.html", context)
    response["Cache-Control"] = "no-store"
    return response

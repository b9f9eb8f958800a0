"""The public referral form and hotline numbers."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.csrf import csrf_protect

from threadline.intake import pow
from threadline.intake.eligibility import program_by_slug
from threadline.intake.forms import (
    PublicReferralForm,
)
from threadline.intake.models import Referral
from threadline.intake.refer_wording import is_first_person, wordings
from threadline.intake.services.referrals import referral_submit
from threadline.intake.views.base import no_store, referral_input

# Without JavaScript the proof-of-work cannot be solved, so the page offers a phone line instead. The
# defaults are the National Human Trafficking Hotline (24/7, English and Spanish): a program sets its
# own line with INTAKE_HOTLINE_PHONE and INTAKE_HOTLINE_TEXT.
DEFAULT_HOTLINE_PHONE = "1-888-373-7888"


DEFAULT_HOTLINE_TEXT = "233733"


def hotline() -> dict[str, str]:
    phone = str(getattr(settings, "INTAKE_HOTLINE_PHONE", DEFAULT_HOTLINE_PHONE) or DEFAULT_HOTLINE_PHONE)
    text = str(getattr(settings, "INTAKE_HOTLINE_TEXT", DEFAULT_HOTLINE_TEXT) or "")
    return {
        "phone": phone,
        "phone_href": "tel:+" + "".join(ch for ch in phone if ch.isdigit()),
        "text": text,
        "text_href": "sms:" + "".join(ch for ch in text if ch.isdigit()) if text else "",
    }


def _client_ip(request: HttpRequest) -> str:
    from threadline.accounts.network import client_ip_or_unknown  # the one proxy-aware helper

    return client_ip_or_unknown(request)


@csrf_protect
def refer(request: HttpRequest) -> HttpResponse:
    """Anyone may refer: no login, few fields, plain words, a quick exit, no third-party script. The
    answer never says whether the young person is already known."""
    program = program_by_slug(str(getattr(settings, "INTAKE_PUBLIC_PROGRAM", "demo-five-county")))
    if program is None:
        raise Http404
    # Issue 13: "this is me" (the "Who are you?" answer, or the link that needs no JavaScript) asks
    # every question in the first person.
    first_person = is_first_person(request.POST or None, request.GET)
    form = PublicReferralForm(request.POST or None, first_person=first_person)
    problem = ""
    if request.method == "POST":
        if pow.rate_limited(_client_ip(request)):
            problem = "rate"
        elif not request.POST.get("altcha", "").strip():
            problem = "noscript"  # the page's script never ran: nothing to verify
        elif not pow.verify(request.POST.get("altcha", "")):
            problem = "pow"
        if problem in ("rate", "pow"):
            from threadline.accounts.security_log import log_event

            log_event(
                "intake_rate_limited" if problem == "rate" else "intake_proof_of_work_refused",
                request=request,
            )
        if problem:
            pass
        elif form.is_valid():
            data = form.cleaned_data
            referral = referral_submit(
                program=program,
                channel=Referral.Channel.WEB_FORM,
                data=referral_input(
                    data,
                    source=data["source"] or Referral.Source.OTHER,
                    language=translation.get_language() or "en",
                    urgency=data.get("urgency") or "other",
                ),
            )
            # Issue 13: post/redirect/get; the thank-you page shows the reference (session, not URL).
            request.session["refer_sent"] = {
                "reference": referral.reference,
                "danger": referral.urgency == "immediate_danger",
            }
            return redirect("intake:refer_thanks")
    status = {"rate": 429, "pow": 400, "noscript": 400}.get(problem, 422 if form.errors else 200)
    if problem:
        form.is_valid()  # show what else needs fixing now, so the next try goes through
    context = {
        "form": form,
        "problem": problem,
        "challenge": pow.challenge_json(),
        "program": program,
        "hotline": hotline(),
        "first_person": first_person,
        "wordings": json.dumps(wordings()),
    }
    return no_store(render(request, "intake/refer.html", context, status=status))

"""Service referral pages. Thin: every read through selectors, every write through services; a
referral or youth the person may not see answers exactly like a missing one (404).

- the referring side: the dashboard, a youth's referrals, suggestions for a need, one referral;
- the provider's inbox (its organization's own queue) and capacity;
- the one-time link for a provider without accounts (a public page, the token is all it carries).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from threadline.access.categories import Category
from threadline.accounts.selectors import people_of
from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.directory.audience import scope_for
from threadline.directory.taxonomy import ACCESS, LANGUAGES
from threadline.formflow import form_errors
from threadline.http import AuthedRequest
from threadline.referrals import (
    forms,
    provider_services,
    selectors,
    sending_services,
    services,
    work_selectors,
)
from threadline.referrals.states import TERMINAL, ReferralState, Side, next_states
from threadline.youth import sharing as access_services

S = ReferralState


def _require(request: AuthedRequest, action: Action) -> None:
    if not may(request.membership, action):
        raise Http404


def _link_url(request: HttpRequest) -> Any:
    return lambda raw: request.build_absolute_uri(reverse("referrals:answer", kwargs={"token": raw}))


# --- the referring side ------------------------------------------------------------------------------


@login_required
def dashboard(request: AuthedRequest) -> HttpResponse:
    _require(request, Action.SEND_SERVICE_REFERRALS)
    board = work_selectors.referral_dashboard(membership=request.membership)
    states = [(value, label, board.counts.get(value, 0)) for value, label in S.choices]
    return render(request, "referrals/dashboard.html", {"board": board, "states": states})


@login_required
def youth_referrals(request: AuthedRequest, youth_id: str) -> HttpResponse:
    _require(request, Action.SEND_SERVICE_REFERRALS)
    context = selectors.need_context(membership=request.membership, youth_id=youth_id)
    _opened, rows = work_selectors.referrals_of_youth(membership=request.membership, youth_id=youth_id)
    return render(
        request,
        "referrals/youth.html",
        {"youth": context.opened.youth, "needs": context.needs, "referrals": rows},
    )


def _need_label(need: Any) -> str:
    text = need.description or ""
    return f"{need.get_domain_display()}: {text[:60]}" if text else str(need.get_domain_display())


@login_required
def suggest(request: AuthedRequest, youth_id: str) -> HttpResponse:
    """Suggestions for one need, with reasons; "Refer" starts a draft. Searches are POSTed so a ZIP
    code never travels in a URL."""
    _require(request, Action.SEND_SERVICE_REFERRALS)
    assert request.membership is not None
    need_id = request.POST.get("need") or request.GET.get("need") or ""
    context = selectors.need_context(membership=request.membership, youth_id=youth_id, need_id=need_id)
    youth = context.opened.youth
    needs = [(str(n.pk), _need_label(n)) for n in context.needs]
    if request.method == "POST" and request.POST.get("action") == "refer":
        try:
            referral = services.referral_draft(
                membership=request.membership,
                youth_id=youth.pk,
                service_id=request.POST.get("service_id", ""),
                need_id=need_id or None,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Draft referral started. Check the packet, then send it."))
            return redirect("referrals:detail", referral_id=referral.pk)
    initial: dict[str, Any] = {
        "need": str(context.need.pk) if context.need else (needs[0][0] if needs else ""),
        "age": context.age,
        "languages": [code for code in context.languages if code in LANGUAGES],
        "county": context.counties[0] if context.counties else "",
        "radius": 25,
    }
    bound = request.method == "POST" and request.POST.get("action") == "suggest"
    form = forms.SuggestForm(request.POST if bound else None, needs=needs, initial=initial)
    suggestions: list[selectors.Suggestion] | None = None
    chosen = None
    status = 200
    if bound and form.is_valid():
        data = form.cleaned_data
        chosen = next((n for n in context.needs if str(n.pk) == data["need"]), None)
        if chosen is not None:
            suggestions = selectors.suggest(
                selectors.SuggestQuery(
                    service_types=selectors.NEED_SERVICE_TYPES.get(chosen.domain, ()),
                    age=data.get("age"),
                    languages=tuple(data.get("languages") or ()),
                    counties=(data["county"],) if data.get("county") else tuple(context.counties),
                    zip_code=data.get("zip_code") or "",
                    radius_miles=data.get("radius") or 25,
                    gender=data.get("gender") or "",
                    access=tuple(data.get("access") or ()),
                    populations=tuple(data.get("populations") or ()),
                ),
                scope_for(request.membership),
            )
    elif bound:
        status = 400
    elif needs:
        # First visit: suggest at once from what the record says.
        chosen = context.need or context.needs[0]
        suggestions = selectors.suggest(
            selectors.SuggestQuery(
                service_types=selectors.NEED_SERVICE_TYPES.get(chosen.domain, ()),
                age=context.age,
                languages=tuple(str(code) for code in initial["languages"]),
                counties=tuple(context.counties),
            ),
            scope_for(request.membership),
        )
    return render(
        request,
        "referrals/suggest.html",
        {"youth": youth, "form": form, "suggestions": suggestions, "need": chosen, "has_needs": bool(needs)},
        status=status,
    )


@login_required
def from_listing(request: AuthedRequest, service_id: str) -> HttpResponse:
    """From a staff directory listing: pick the youth (and need), then the usual draft."""
    _require(request, Action.SEND_SERVICE_REFERRALS)
    assert request.membership is not None
    listing = work_selectors.listing_for(membership=request.membership, service_id=service_id)
    youths = work_selectors.youths_for_referral(membership=request.membership)
    form = forms.FromListingForm(request.POST or None, youths=[(str(y.pk), y.reference) for y in youths])
    if request.method == "POST" and form.is_valid():
        return redirect(
            reverse("referrals:youth", kwargs={"youth_id": form.cleaned_data["youth"]})
            + f"?service={listing.service_id}"
        )
    return render(request, "referrals/from_listing.html", {"listing": listing, "form": form})


def _people(request: AuthedRequest) -> list[tuple[int, str]]:
    assert request.membership is not None
    rows = people_of(organization=request.membership.organization).select_related("user")
    seen: dict[int, str] = {}
    for membership in rows:
        if membership.is_active and membership.user.is_active:
            seen.setdefault(membership.user.pk, membership.user.get_full_name() or membership.user.email)
    return sorted(seen.items(), key=lambda row: row[1])


@login_required
def detail(request: AuthedRequest, referral_id: str) -> HttpResponse:
    _require(request, Action.SEND_SERVICE_REFERRALS)
    assert request.membership is not None
    view = work_selectors.referral_for_sender(membership=request.membership, referral_id=referral_id)
    referral = view.referral
    action = request.POST.get("action", "") if request.method == "POST" else ""
    data = request.POST if action else None
    packet_form = forms.PacketForm(
        data if action == "packet" else None,
        people=_people(request),
        initial={
            "categories": [c for c in referral.categories if c != Category.CARE_PLAN],
            "follow_up_by": referral.follow_up_by_id,
            **{f"note_{k}": v for k, v in (referral.notes or {}).items()},
        },
    )
    release_form = forms.ReleaseForm(
        data if action == "release" else None,
        household=view.household,
        initial={"expires_on": timezone.localdate() + datetime.timedelta(days=365)},
    )
    checklist_form = forms.ChecklistForm(
        data if action == "checklist" else None,
        initial={
            "introduced_in_person": referral.introduced_in_person,
            "first_appointment_on": referral.first_appointment_on,
            "transport_arranged": referral.transport_arranged,
        },
    )
    move_form = forms.MoveForm(data if action == "move" else None)
    contact_form = forms.ContactAttemptForm(data if action == "contact" else None)
    feedback_form = forms.FeedbackForm(data if action == "feedback" else None)
    bound: dict[str, Any] = {
        "packet": packet_form,
        "release": release_form,
        "checklist": checklist_form,
        "move": move_form,
        "contact": contact_form,
        "feedback": feedback_form,
    }
    status = 200
    if action:
        try:
            done = _sender_act(request, action, referral.pk, view, bound)
        except ValidationError as exc:
            target = bound.get(action)
            if target is not None:
                form_errors(target, exc)
            else:
                messages.error(request, " ".join(exc.messages))
            status = 400
        else:
            if done is not None:
                return done
            status = 400
    moves = [(s, S(s).label) for s in next_states(referral.state, Side.SENDER) if s != S.SENT]
    nxt = None
    if referral.state in (S.DECLINED_BY_PROVIDER, S.EXPIRED):
        nxt = work_selectors.next_suggestion(
            membership=request.membership, referral=referral, opened=view.opened
        )
    return render(
        request,
        "referrals/detail.html",
        {
            "view": view,
            "referral": referral,
            "youth": view.opened.youth,
            **{f"{name}_form": form for name, form in bound.items()},
            "moves": moves,
            "next": nxt,
            "terminal": referral.state in TERMINAL,
            "categories": work_selectors.categories_labels(referral.categories),
            "missing": work_selectors.categories_labels(view.missing_consent),
            "access_labels": ACCESS,
        },
        status=status,
    )


def _sender_act(
    request: AuthedRequest, action: str, referral_id: Any, view: work_selectors.SenderView, f: dict[str, Any]
) -> HttpResponse | None:
    """One action from the referral page. A response: done, go back. None: show the form's errors."""
    m = request.membership
    assert m is not None
    referral = view.referral
    back = redirect("referrals:detail", referral_id=referral_id)
    form: Any = f.get(action)
    if form is not None and not form.is_valid():
        return None
    if action == "next":
        new = _next_draft(m, referral, request.POST.get("service_id", ""))
        messages.success(request, _("Draft referral started. Check the packet, then send it."))
        return redirect("referrals:detail", referral_id=new.pk)
    if action == "packet":
        services.referral_packet_update(
            membership=m,
            referral_id=referral_id,
            categories=[Category.CARE_PLAN, *form.cleaned_data["categories"]],
            notes=form.notes(),
            follow_up_by_id=form.cleaned_data["follow_up_by"],
        )
        done = _("Saved.")
    elif action == "release":
        _release_record(m, referral, form.cleaned_data)
        done = _("Release recorded.")
    elif action == "send":
        try:
            sending_services.referral_send(membership=m, referral_id=referral_id, link_url=_link_url(request))
        except services.ConsentMissing as exc:
            messages.error(request, " ".join(exc.messages))
            return back
        done = _("Referral sent.")
    elif action == "checklist":
        sending_services.referral_checklist_update(membership=m, referral_id=referral_id, **form.cleaned_data)
        done = _("Saved.")
    elif action == "move":
        sending_services.referral_transition(membership=m, referral_id=referral_id, **form.cleaned_data)
        done = _("Saved.")
    elif action == "contact":
        provider_services.referral_contact_attempt(membership=m, referral_id=referral_id, **form.cleaned_data)
        done = _("Contact attempt recorded.")
    elif action == "feedback":
        _feedback_leave(m, referral_id, form.cleaned_data)
        done = _("Thank you: directory admins will see it at the yearly audit.")
    elif action == "relink":
        sending_services.referral_link_reissue(
            membership=m, referral_id=referral_id, link_url=_link_url(request)
        )
        done = _("A new link was sent to the provider.")
    else:
        raise Http404
    messages.success(request, done)
    return back


def _release_record(m: Any, referral: Any, d: dict[str, Any]) -> None:
    tz = timezone.get_current_timezone()
    access_services.consent_record(
        membership=m,
        youth_id=referral.youth_id,
        organization_id=referral.provider_id,
        categories=referral.categories,
        purpose=f"Service referral to {referral.service_name}",
        given_by=d["given_by"],
        guardian_id=d["guardian"] or None,
        minor_may_consent_alone=d["minor_may_consent_alone"],
        expires_at=datetime.datetime.combine(d["expires_on"], datetime.time.max, tz),
        signed_form_name=d["signed_form_name"],
    )


def _feedback_leave(m: Any, referral_id: Any, d: dict[str, Any]) -> None:
    sending_services.referral_feedback_leave(
        membership=m,
        referral_id=referral_id,
        treated_with_respect=forms.to_null_bool(d["treated_with_respect"]),
        would_refer_again=forms.to_null_bool(d["would_refer_again"]),
        barriers_met=d["barriers_met"],
        comment=d["comment"],
    )


def _next_draft(m: Any, referral: Any, service_id: str) -> Any:
    return services.referral_draft(
        membership=m,
        youth_id=referral.youth_id,
        service_id=service_id,
        need_id=referral.need_id,
        need_domain=referral.need_domain,
        categories=referral.categories,
        notes=referral.notes or {},
        replaces_id=referral.pk,
    )


# --- the provider's inbox -----------------------------------------------------------------------------


@login_required
def inbox(request: AuthedRequest) -> HttpResponse:
    _require(request, Action.ANSWER_SERVICE_REFERRALS)
    assert request.membership is not None
    rows = work_selectors.inbox(membership=request.membership)
    listings = list(work_selectors.provider_services(membership=request.membership))
    form = forms.CapacityForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                provider_services.provider_capacity_update(
                    membership=request.membership,
                    service_id=form.cleaned_data["service_id"],
                    available=form.cleaned_data["available"],
                )
            except PermissionDenied:
                raise Http404 from None
            messages.success(request, _("Capacity updated."))
            return redirect("referrals:inbox")
        messages.error(request, _("Enter a number from 0 to 10000."))
    return render(request, "referrals/inbox.html", {"rows": rows, "listings": listings})


@login_required
def inbox_detail(request: AuthedRequest, referral_id: str) -> HttpResponse:
    _require(request, Action.ANSWER_SERVICE_REFERRALS)
    assert request.membership is not None
    m = request.membership
    action = request.POST.get("action", "") if request.method == "POST" else ""
    move_form = forms.MoveForm(request.POST if action == "move" else None)
    contact_form = forms.ContactAttemptForm(request.POST if action == "contact" else None)
    status = 200
    if action:
        # Refuse before reading anything: not this organization's referral answers like a missing one.
        provider_services.referral_provider_open(membership=m, referral_id=referral_id)
        try:
            if action == "move" and move_form.is_valid():
                sending_services.referral_transition(
                    membership=m, referral_id=referral_id, **move_form.cleaned_data
                )
                messages.success(request, _("Saved."))
                return redirect("referrals:inbox_detail", referral_id=referral_id)
            if action == "contact" and contact_form.is_valid():
                provider_services.referral_contact_attempt(
                    membership=m, referral_id=referral_id, **contact_form.cleaned_data
                )
                messages.success(request, _("Contact attempt recorded."))
                return redirect("referrals:inbox_detail", referral_id=referral_id)
        except ValidationError as exc:
            form_errors(move_form if action == "move" else contact_form, exc)
        status = 400
    view = provider_services.referral_provider_open(membership=m, referral_id=referral_id)
    moves = (
        [] if view.withdrawn else [(s, S(s).label) for s in next_states(view.referral.state, Side.PROVIDER)]
    )
    return render(
        request,
        "referrals/inbox_detail.html",
        {
            "view": view,
            "referral": view.referral,
            "packet": view.packet,
            "moves": moves,
            "move_form": move_form,
            "contact_form": contact_form,
            "categories": work_selectors.categories_labels(view.referral.categories),
            "can_contact": not view.withdrawn and view.referral.state in (S.SENT, S.RECEIVED, S.ACCEPTED),
        },
        status=status,
    )


# --- the one-time link --------------------------------------------------------------------------------


def answer(request: HttpRequest, token: str) -> HttpResponse:
    """A provider without accounts: the packet and accept/decline, nothing more. Unknown, used and
    expired links look alike."""
    form = forms.AnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = provider_services.referral_link_answer(
                raw_token=token,
                accept=form.cleaned_data["decision"] == "accept",
                reason=form.cleaned_data["reason"],
            )
        except PermissionDenied:
            return render(request, "referrals/answer_invalid.html", status=404)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            return render(request, "referrals/answer_done.html", {"accepted": referral.state == S.ACCEPTED})
    view = provider_services.referral_link_open(raw_token=token)
    if view is None:
        return render(request, "referrals/answer_invalid.html", status=404)
    return render(
        request,
        "referrals/answer.html",
        {
            "view": view,
            "referral": view.referral,
            "packet": view.packet,
            "form": form,
            "categories": work_selectors.categories_labels(view.referral.categories),
        },
        status=400 if form.is_bound else 200,
    )

"""Intake pages: the coordinator's dashboard (who is on call, open alerts and their clocks), the
eligibility check, and the program admin's service-area rules and on-call rota.

One view renders the full page, or for an HTMX request the part of it that changed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from threadline.accounts.models import Membership
from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.http import AuthedRequest
from threadline.intake import oncall, pow, selectors, services
from threadline.intake.eligibility import AGE_READING, EligibilityInputError, Question, program_by_slug
from threadline.intake.forms import (
    ContactForm,
    CountyRuleFormSet,
    EligibilityCheckForm,
    MandatoryReportForm,
    PhoneForm,
    PublicReferralForm,
    ReferOutDoneForm,
    ReferralStatusForm,
    RegionForm,
    RulesForm,
    ShiftForm,
    TestAlertForm,
)
from threadline.intake.models import Alert, Contact, MandatoryReport, Program, ReferOutTask, Referral, Shift
from threadline.intake.services import CountyLimit


def _membership(request: AuthedRequest, action: Action) -> Membership:
    membership = getattr(request, "membership", None)
    if membership is None or not may(membership, action):
        raise PermissionDenied
    return membership


def _is_htmx(request: AuthedRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _program(membership: Membership, slug: str) -> Program:
    program = selectors.program_for(membership=membership, slug=slug)
    if program is None:
        raise Http404
    return program


# --- coordinator dashboard -------------------------------------------------------------------------------


@login_required
def dashboard(request: AuthedRequest) -> HttpResponse:
    membership = _membership(request, Action.TAKE_REFERRALS)
    now = timezone.now()
    alerts = [
        {"alert": alert, "clock": oncall.clock(alert, now), "mine": alert.assigned_to_id == request.user.pk}
        for alert in oncall.open_alerts(membership=membership)
    ]
    done = [
        {"alert": alert, "clock": oncall.clock(alert, now)}
        for alert in oncall.recently_acknowledged(membership=membership)
    ]
    context = {
        "board": oncall.on_call_board(membership=membership, now=now),
        "alerts": alerts,
        "done": done,
        "tasks": selectors.open_refer_out_tasks(membership=membership),
        "reports": selectors.mandatory_reports_open(membership=membership),
        "escalation_minutes": oncall.escalation_minutes(),
        "medians": selectors.clock_medians(membership=membership, now=now),
        "now": now,
    }
    template = "intake/dashboard.html#board" if _is_htmx(request) else "intake/dashboard.html"
    return render(request, template, context)


@login_required
@require_POST
def acknowledge(request: AuthedRequest, alert_id: int) -> HttpResponse:
    membership = getattr(request, "membership", None)
    if membership is None:
        raise PermissionDenied
    try:
        oncall.alert_acknowledge(actor=membership, alert_id=alert_id)
    except Alert.DoesNotExist as exc:
        raise Http404 from exc
    if _is_htmx(request):
        return dashboard(request)
    messages.success(request, _("Acknowledged. The clock has stopped."))
    return redirect("intake:dashboard")


@login_required
@require_POST
def refer_out_done(request: AuthedRequest, task_id: int) -> HttpResponse:
    membership = _membership(request, Action.TAKE_REFERRALS)
    form = ReferOutDoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say which agency you connected them with."))
        return redirect("intake:dashboard")
    try:
        services.refer_out_task_complete(
            actor=membership, task_id=task_id, agency=form.cleaned_data["agency"]
        )
    except ReferOutTask.DoesNotExist as exc:
        raise Http404 from exc
    messages.success(request, _("Marked as referred out."))
    return redirect("intake:dashboard")


# --- eligibility check ------------------------------------------------------------------------------------


@login_required
def check(request: AuthedRequest) -> HttpResponse:
    membership = _membership(request, Action.TAKE_REFERRALS)
    programs = list(selectors.programs_for(membership=membership))
    form = EligibilityCheckForm(request.POST or None, programs=[(p.slug, p.name) for p in programs])
    result: Any = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        program = _program(membership, data["program"])
        question = Question(
            county=data["county"] or None,
            zip_code=data["zip_code"] or None,
            age=data["age"],
            connection=data["connection"] or None,
            entered_before_18=data["entered_before_18"],
        )
        try:
            _row, result = services.eligibility_decision_record(
                actor=membership, program=program, question=question
            )
        except EligibilityInputError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        except ValidationError as exc:
            form.add_error(None, exc)
    context = {"form": form, "result": result, "age_reading": AGE_READING}
    template = "intake/check.html#result" if _is_htmx(request) else "intake/check.html"
    return render(request, template, context)


# --- program admin: rules --------------------------------------------------------------------------------


@login_required
def programs(request: AuthedRequest) -> HttpResponse:
    membership = _membership(request, Action.MANAGE_PROGRAM)
    rows = [
        {"program": program, "rules": program.current_rules()}
        for program in selectors.programs_for(membership=membership)
    ]
    return render(request, "intake/programs.html", {"rows": rows})


def _county_initial(program: Program) -> list[dict[str, Any]]:
    rules = program.current_rules()
    if rules is None:
        return []
    return [
        {"county": row.county, "max_age": row.max_age, "extended_max_age": row.extended_max_age}
        for row in selectors.counties_of(version=rules)
    ]


@login_required
def program_rules(request: AuthedRequest, slug: str) -> HttpResponse:
    membership = _membership(request, Action.MANAGE_PROGRAM)
    program = _program(membership, slug)
    rules = program.current_rules()
    initial = {
        "based_on": rules.number if rules else 0,
        "connections": rules.connections if rules else [],
        "extension_entry_age": rules.extension_entry_age if rules else 18,
    }
    if request.method == "POST":
        form = RulesForm(request.POST, initial=initial)
        counties = CountyRuleFormSet(request.POST, prefix="counties")
        if form.is_valid() and counties.is_valid():
            limits = [
                CountyLimit(row["county"], row["max_age"], row.get("extended_max_age"))
                for row in counties.cleaned_data
                if row.get("county")
            ]
            try:
                version = services.rules_version_create(
                    actor=membership,
                    program=program,
                    based_on=form.cleaned_data["based_on"],
                    counties=limits,
                    connections=form.cleaned_data["connections"],
                    extension_entry_age=form.cleaned_data["extension_entry_age"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("Saved as version %(number)s.") % {"number": version.number})
                if _is_htmx(request):
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = request.path
                    return response
                return redirect("intake:program_rules", slug=program.slug)
    else:
        form = RulesForm(initial=initial)
        counties = CountyRuleFormSet(initial=_county_initial(program), prefix="counties")
    context = {
        "program": program,
        "rules": rules,
        "form": form,
        "counties": counties,
        "versions": selectors.rule_versions_of(program=program)[:20],
        "age_reading": AGE_READING,
    }
    template = "intake/program_rules.html#rules-form" if _is_htmx(request) else "intake/program_rules.html"
    # A refused save answers 422 to a plain form post; HTMX only swaps 2xx answers, so it gets 200.
    status = 422 if request.method == "POST" and not _is_htmx(request) else 200
    return render(request, template, context, status=status)


# --- program admin: on-call rota -------------------------------------------------------------------------


@login_required
def rota(request: AuthedRequest, slug: str) -> HttpResponse:
    membership = _membership(request, Action.MANAGE_PROGRAM)
    program = _program(membership, slug)
    regions = oncall.regions_of(program=program)
    people = oncall.staff_choices(program=program)
    post = request.POST if request.method == "POST" else None
    which = request.POST.get("form", "") if post else ""
    region_form = RegionForm(post if which == "region" else None, prefix="region")
    shift_form = ShiftForm(post if which == "shift" else None, prefix="shift", regions=regions, people=people)
    phone_form = PhoneForm(post if which == "phone" else None, prefix="phone", people=people)
    test_form = TestAlertForm(post if which == "test" else None, prefix="test", regions=regions)
    bound = {"region": region_form, "shift": shift_form, "phone": phone_form, "test": test_form}.get(which)
    if bound is not None and bound.is_valid():
        data = bound.cleaned_data
        try:
            if which == "region":
                oncall.region_create(actor=membership, program=program, name=data["name"])
                messages.success(request, _("Region added."))
            elif which == "shift":
                oncall.shift_create(
                    actor=membership,
                    region=data["region"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    primary=data["primary"],
                    backup=data["backup"],
                    supervisor=data["supervisor"],
                )
                messages.success(request, _("Shift added."))
            elif which == "phone":
                oncall.oncall_phone_set(
                    actor=membership, program=program, user=data["user"], sms_number=data["sms_number"]
                )
                messages.success(request, _("Number saved."))
            else:
                oncall.alert_raise(
                    region=data["region"], kind=Alert.Kind.TEST, now=timezone.now(), actor=membership
                )
                messages.success(request, _("Test alert sent to whoever is on call."))
        except ValidationError as exc:
            bound.add_error(None, exc.messages)
        else:
            return redirect("intake:rota", slug=program.slug)
    now = timezone.now()
    context = {
        "program": program,
        "board": [
            row
            for row in oncall.on_call_board(membership=membership, now=now)
            if row.region.program_id == program.pk
        ],
        "shifts": oncall.shifts_of(program=program, since=now),
        "region_form": region_form,
        "shift_form": shift_form,
        "phone_form": phone_form,
        "test_form": test_form,
    }
    status = 422 if bound is not None else 200
    return render(request, "intake/rota.html", context, status=status)


@login_required
@require_POST
def shift_delete(request: AuthedRequest, slug: str, shift_id: int) -> HttpResponse:
    membership = _membership(request, Action.MANAGE_PROGRAM)
    program = _program(membership, slug)
    if not oncall.shifts_of(program=program, since=timezone.now()).filter(pk=shift_id).exists():
        raise Http404
    try:
        oncall.shift_delete(actor=membership, shift_id=shift_id)
    except Shift.DoesNotExist as exc:
        raise Http404 from exc
    messages.success(request, _("Shift removed."))
    return redirect("intake:rota", slug=program.slug)


# --- referrals: the Coordinator's queue ------------------------------------------------------------------


@login_required
def referrals(request: AuthedRequest) -> HttpResponse:
    membership = _membership(request, Action.TAKE_REFERRALS)
    queue = selectors.referral_queue(membership=membership)
    status = request.GET.get("status", "open")
    if status == "open":
        # Issue 13: an accepted referral stays open until the first contact with the young person.
        queue = queue.filter(
            Q(status__in=[Referral.Status.RECEIVED, Referral.Status.UNDER_REVIEW])
            | Q(status=Referral.Status.ACCEPTED, first_contact_at__isnull=True)
        )
    return render(request, "intake/referrals.html", {"referrals": queue[:200], "status": status})


def _with_prefill(reports: list[MandatoryReport]) -> list[MandatoryReport]:
    """Issue 13: "told whom" starts from the county's notification protocol."""
    from threadline.intake.protocol_services import prefill_for

    for report in reports:
        report.prefill = prefill_for(report)  # type: ignore[attr-defined]  # template-only attribute
    return reports


# Buttons of the referral page other than "What happens next" (which moves the status).
REFERRAL_ACTIONS = {"search_youth", "link_youth", "create_youth", "first_contact", "mandatory_report"}


@login_required
def referral_detail(request: AuthedRequest, referral_id: str) -> HttpResponse:
    membership = _membership(request, Action.TAKE_REFERRALS)
    action = request.POST.get("action") if request.method == "POST" else None
    # Searching for the youth's record is a POST: a name never goes into a URL (or a server log).
    query = request.POST.get("q", "")[:200] if action == "search_youth" else ""
    moves_status = request.method == "POST" and action not in REFERRAL_ACTIONS
    form = ReferralStatusForm(request.POST if moves_status else None)
    problems: list[str] = []  # refusals of the other buttons
    if request.method == "POST" and action != "search_youth":
        try:
            if action == "create_youth":
                services.referral_create_youth(actor=membership, referral_id=referral_id)
                messages.success(request, _("Youth record opened and linked."))
                return redirect("intake:referral_detail", referral_id=referral_id)
            if action == "link_youth":
                services.referral_link_youth(
                    membership=membership,
                    referral_id=referral_id,
                    youth_id=request.POST.get("youth", ""),
                )
                messages.success(request, _("Referral linked to the youth record."))
                return redirect("intake:referral_detail", referral_id=referral_id)
            if action == "first_contact":
                services.referral_first_contact(actor=membership, referral_id=referral_id)
                messages.success(request, _("First contact recorded. The clock has stopped."))
                return redirect("intake:referral_detail", referral_id=referral_id)
            if action == "mandatory_report":
                report_form = MandatoryReportForm(request.POST)
                if not report_form.is_valid():
                    raise ValidationError(_("Say who was told."))
                report = selectors.mandatory_report_for(
                    membership=membership,
                    referral_id=referral_id,
                    report_id=report_form.cleaned_data["report"],
                )
                if report is None:
                    raise Http404
                services.mandatory_report_record(
                    actor=membership,
                    report_id=report.pk,
                    reported_to=report_form.cleaned_data["reported_to"],
                    report_number=report_form.cleaned_data["report_number"],
                )
                messages.success(request, _("Saved."))
                return redirect("intake:referral_detail", referral_id=referral_id)
            if form.is_valid():
                services.referral_set_status(
                    actor=membership,
                    referral_id=referral_id,
                    status=form.cleaned_data["status"],
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, _("Saved."))
                return redirect("intake:referral_detail", referral_id=referral_id)
        except (Referral.DoesNotExist, MandatoryReport.DoesNotExist) as exc:
            raise Http404 from exc
        except ValidationError as exc:
            if moves_status:
                form.add_error(None, exc.messages)
            else:
                problems.extend(exc.messages)
    referral = selectors.referral_open(membership=membership, referral_id=referral_id)
    if referral is None:
        raise Http404
    if not form.is_bound:
        form.initial["status"] = referral.status  # issue 13: the control shows where it is now
    now = timezone.now()
    matches = (
        selectors.referral_youth_matches(membership=membership, referral=referral, query=query)
        if referral.youth_id is None
        else []
    )
    context = {
        "referral": referral,
        "matches": matches,
        "query": query,
        "reports": _with_prefill(list(selectors.mandatory_reports_of(referral=referral))),
        "now": now,
        "to_first_contact": (referral.first_contact_at or now) - referral.received_at,
        "form": form,
        "may_create_youth": bool(may(membership, Action.CREATE_YOUTH)),
        "problems": problems,
    }
    status = 422 if form.errors or problems else 200
    return render(request, "intake/referral_detail.html", context, status=status)


# --- the public referral page ----------------------------------------------------------------------------


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
    return str(request.META.get("REMOTE_ADDR", ""))


@csrf_protect
def refer(request: HttpRequest) -> HttpResponse:
    """Anyone may refer: no login, few fields, plain words, a quick exit, no third-party script. The
    answer never says whether the young person is already known."""
    program = program_by_slug(str(getattr(settings, "INTAKE_PUBLIC_PROGRAM", "demo-five-county")))
    if program is None:
        raise Http404
    form = PublicReferralForm(request.POST or None)
    problem = ""
    if request.method == "POST":
        if pow.rate_limited(_client_ip(request)):
            problem = "rate"
        elif not request.POST.get("altcha", "").strip():
            problem = "noscript"  # the page's script never ran: nothing to verify
        elif not pow.verify(request.POST.get("altcha", "")):
            problem = "pow"
        elif form.is_valid():
            data = form.cleaned_data
            referral = services.referral_submit(
                program=program,
                channel=Referral.Channel.WEB_FORM,
                data=services.ReferralInput(
                    what_is_known=data["what_is_known"],
                    youth_name=data["youth_name"],
                    youth_aliases=data["youth_aliases"],
                    youth_date_of_birth=data["youth_date_of_birth"],
                    youth_phone=data["youth_phone"],
                    referrer_contact=data["referrer_contact"],
                    source=data["source"] or Referral.Source.OTHER,
                    concern=data["concern"],
                    urgent=data["urgent"],
                    county=data["county"],
                    connection=data["connection"],
                    age=data["age"],
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
    }
    response = render(request, "intake/refer.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


# --- contact log ------------------------------------------------------------------------------------------


@login_required
def contacts(request: AuthedRequest) -> HttpResponse:
    membership = _membership(request, Action.TAKE_REFERRALS)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.contact_record(
                actor=membership,
                data=services.ContactInput(
                    channel=data["channel"],
                    caller_role=data["caller_role"],
                    crisis=data["crisis"],
                    outcome=data["outcome"],
                    language=data["language"],
                    message=data["message"],
                    anonymous=data["caller_role"] == Contact.CallerRole.UNKNOWN,
                ),
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Contact recorded."))
            return redirect("intake:contacts")
    context = {"form": form, "contacts": selectors.contacts_of(membership=membership)[:50]}
    return render(request, "intake/contacts.html", context, status=422 if form.errors else 200)

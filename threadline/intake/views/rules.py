"""Eligibility check, programs, rules and the on-call rota."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from threadline.core.actions import Action
from threadline.formflow import sent, sent_form
from threadline.http import AuthedRequest
from threadline.intake import oncall, selectors
from threadline.intake.eligibility import AGE_READING, EligibilityInputError, Question
from threadline.intake.forms import (
    CountyRuleFormSet,
    EligibilityCheckForm,
    PhoneForm,
    RegionCoordinatorForm,
    RegionForm,
    RulesForm,
    ShiftForm,
    TestAlertForm,
)
from threadline.intake.models import Alert, Program, Shift
from threadline.intake.services.rules import (
    CountyLimit,
    eligibility_decision_record,
    rules_version_create,
)
from threadline.intake.views.base import _is_htmx, _membership, _program


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
            _row, result = eligibility_decision_record(
                membership=membership, program=program, question=question
            )
        except EligibilityInputError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        except ValidationError as exc:
            form.add_error(None, exc)
    context = {"form": form, "result": result, "age_reading": AGE_READING}
    template = "intake/check.html#result" if _is_htmx(request) else "intake/check.html"
    return render(request, template, context)


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
                version = rules_version_create(
                    membership=membership,
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


@login_required
def rota(request: AuthedRequest, slug: str) -> HttpResponse:
    membership = _membership(request, Action.MANAGE_PROGRAM)
    program = _program(membership, slug)
    regions = oncall.regions_of(program=program)
    people = oncall.staff_choices(program=program)
    which = sent_form(request)
    region_form = RegionForm(sent(request, "region"), prefix="region")
    shift_form = ShiftForm(sent(request, "shift"), prefix="shift", regions=regions, people=people)
    phone_form = PhoneForm(sent(request, "phone"), prefix="phone", people=people)
    test_form = TestAlertForm(sent(request, "test"), prefix="test", regions=regions)
    lead_form = RegionCoordinatorForm(sent(request, "lead"), prefix="lead", regions=regions, people=people)
    forms_by_name = {"region": region_form, "shift": shift_form, "phone": phone_form, "test": test_form}
    bound = {**forms_by_name, "lead": lead_form}.get(which)
    if bound is not None and bound.is_valid():
        data = bound.cleaned_data
        # The forms whose fields are their service's own arguments, and what is said once saved.
        saves: dict[str, tuple[Callable[..., object], str]] = {
            "region": (partial(oncall.region_create, program=program), _("Region added.")),
            "shift": (oncall.shift_create, _("Shift added.")),
            "phone": (partial(oncall.oncall_phone_set, program=program), _("Number saved.")),
            "lead": (oncall.region_coordinator_set, _("Saved.")),
        }
        try:
            if which in saves:
                save, done = saves[which]
                save(membership=membership, **data)
            else:
                oncall.alert_raise(
                    region=data["region"], kind=Alert.Kind.TEST, now=timezone.now(), membership=membership
                )
                done = _("Test alert sent to whoever is on call.")
        except ValidationError as exc:
            bound.add_error(None, exc.messages)
        else:
            messages.success(request, done)
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
        "lead_form": lead_form,
        "regions": regions,
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
        oncall.shift_delete(membership=membership, shift_id=shift_id)
    except Shift.DoesNotExist as exc:
        raise Http404 from exc
    messages.success(request, _("Shift removed."))
    return redirect("intake:rota", slug=program.slug)

"""Youth pages. Thin: every read through selectors (scoped by ``access``), every write through services.
One view renders the full page or, for HTMX requests, just the partial that changed."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from threadline.access.categories import Category
from threadline.access.selectors import break_glass_for_review
from threadline.core.actions import Action
from threadline.core.errors import EditConflict
from threadline.core.policy import may
from threadline.http import AuthedRequest
from threadline.youth import selectors, services, sharing
from threadline.youth.forms import (
    GENDER_SUGGESTIONS,
    AliasForm,
    BreakGlassForm,
    ConsentForm,
    ContactWayForm,
    EditYouthForm,
    HouseholdForm,
    MissingNotifyForm,
    MissingStartForm,
    NewYouthForm,
    PlacementForm,
    TeamMemberForm,
    to_null_bool,
)
from threadline.youth.policy import require_youth


def _require(request: AuthedRequest, action: Action) -> None:
    if not may(request.membership, action):
        raise PermissionDenied


def _form_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        form.add_error(None, exc)


def _can_manage_team(request: AuthedRequest) -> bool:
    m = request.membership
    return bool(may(m, Action.MANAGE_SHARING))


@login_required
def youth_list(request: AuthedRequest) -> HttpResponse:
    _require(request, Action.WORK_WITH_YOUTH)
    # Searches are POSTed: a youth's name, birthday or phone must never sit in a URL, a browser history
    # or a server access log.
    query = request.POST.get("q", "").strip() if request.method == "POST" else ""
    if query:
        rows = selectors.youth_search(membership=request.membership, query=query)
    else:
        rows = selectors.youth_caseload(membership=request.membership)
    context = {
        "rows": rows,
        "query": query,
        "can_create": may(request.membership, Action.CREATE_YOUTH),
        "can_break_glass": may(request.membership, Action.BREAK_GLASS),
    }
    template = "youth/list.html#results" if request.htmx else "youth/list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
def youth_new(request: AuthedRequest) -> HttpResponse:
    _require(request, Action.CREATE_YOUTH)
    assert request.membership is not None
    form = NewYouthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            youth = services.youth_create(
                membership=request.membership,
                preferred_name=data["preferred_name"],
                legal_name=data["legal_name"],
                date_of_birth=data["date_of_birth"],
                estimated_age=data["estimated_age"],
                gender_identity=data["gender_identity"],
                pronouns=data["pronouns"],
                languages=data["languages"],
                legal_status=data["legal_status"],
                school=data["school"],
                aliases=[("street", data["alias"])] if data["alias"] else [],
                contact_ways=[
                    {
                        "kind": "phone",
                        "value": data["phone"],
                        "safe_to_contact": to_null_bool(data["phone_safe"]),
                        "safe_to_leave_message": to_null_bool(data["phone_message"]),
                    }
                ]
                if data["phone"]
                else [],
                counties=[(data["county"], data["connection"] or "physically_present")]
                if data["county"]
                else [],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Record opened."))
            return redirect("youth:detail", youth_id=youth.pk)
    return render(request, "youth/new.html", {"form": form, "gender_suggestions": GENDER_SUGGESTIONS})


@login_required
def youth_detail(request: AuthedRequest, youth_id: str) -> HttpResponse:
    record = selectors.youth_record(membership=request.membership, youth_id=youth_id)
    return render(
        request,
        "youth/detail.html",
        {
            "record": record,
            "youth": record.youth,
            "can": {c: record.allows(c) for c in Category.values},
            "shown": [Category(c).label for c in sorted(record.opened.categories) if c != Category.RECORD],
            "can_manage_team": _can_manage_team(request),
            "alias_form": AliasForm(),
            "contact_form": ContactWayForm(),
            "household_form": HouseholdForm(),
            "placement_form": PlacementForm(),
            "notify_form": MissingNotifyForm(),
        },
    )


@login_required
def youth_edit(request: AuthedRequest, youth_id: str) -> HttpResponse:
    assert request.membership is not None
    conflict = None
    if request.method == "POST":
        # Refuse before reading the form; a successful save opens the record once (one ledger row).
        require_youth(request.membership, youth_id, Category.IDENTITY, write=True)
        form = EditYouthForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.youth_update(
                    membership=request.membership, youth_id=youth_id, version=version, changes=data
                )
            except EditConflict as exc:
                conflict = exc
                form.add_error(
                    None,
                    _(
                        "Someone else saved this record while you were editing. Your changes are "
                        "still in the form; compare them with theirs below, then save again."
                    ),
                )
                data = request.POST.copy()
                data["version"] = str(exc.current_version)
                form.data = data
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("youth:detail", youth_id=youth_id)
    # Showing the form (again, with what was typed) opens the record to read it.
    record = selectors.youth_record(membership=request.membership, youth_id=youth_id, purpose="edit form")
    if not record.allows(Category.IDENTITY):
        raise Http404
    youth = record.youth
    if request.method != "POST":
        form = EditYouthForm(
            initial={
                "preferred_name": youth.preferred_name,
                "legal_name": youth.legal_name,
                "date_of_birth": youth.date_of_birth,
                "estimated_age": youth.estimated_age,
                "gender_identity": youth.gender_identity,
                "pronouns": youth.pronouns,
                "languages": ", ".join(youth.languages or []),
                "legal_status": youth.legal_status,
                "school": youth.school,
                "version": youth.version,
            }
        )
    return render(
        request,
        "youth/edit.html",
        {"form": form, "youth": youth, "conflict": conflict, "gender_suggestions": GENDER_SUGGESTIONS},
        status=409 if conflict else 200,
    )


def _post_child(
    request: AuthedRequest,
    youth_id: str,
    form_class: Any,
    save: Any,
    ok_message: str,
    category: str = Category.IDENTITY,
) -> HttpResponse:
    # Refuse before looking at the form: someone without access gets the 404 of a missing youth.
    require_youth(request.membership, youth_id, category, write=True)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
        else:
            messages.success(request, ok_message)
    else:
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(
                    request, f"{form.fields[field].label if field in form.fields else ''}: {error}"
                )
    return redirect("youth:detail", youth_id=youth_id)


@login_required
@require_POST
def alias_add(request: AuthedRequest, youth_id: str) -> HttpResponse:
    assert request.membership is not None
    m = request.membership
    return _post_child(
        request,
        youth_id,
        AliasForm,
        lambda d: services.alias_add(membership=m, youth_id=youth_id, name=d["name"], kind=d["kind"]),
        _("Name added."),
    )


@login_required
@require_POST
def contact_way_add(request: AuthedRequest, youth_id: str) -> HttpResponse:
    assert request.membership is not None
    m = request.membership
    return _post_child(
        request,
        youth_id,
        ContactWayForm,
        lambda d: services.contact_way_add(
            membership=m,
            youth_id=youth_id,
            kind=d["kind"],
            value=d["value"],
            safe_to_contact=to_null_bool(d["safe_to_contact"]),
            safe_to_leave_message=to_null_bool(d["safe_to_leave_message"]),
        ),
        _("Contact added."),
    )


@login_required
@require_POST
def household_add(request: AuthedRequest, youth_id: str) -> HttpResponse:
    assert request.membership is not None
    m = request.membership
    return _post_child(
        request,
        youth_id,
        HouseholdForm,
        lambda d: services.household_member_add(membership=m, youth_id=youth_id, **d),
        _("Household member added."),
    )


@login_required
@require_POST
def placement_add(request: AuthedRequest, youth_id: str) -> HttpResponse:
    assert request.membership is not None
    m = request.membership
    return _post_child(
        request,
        youth_id,
        PlacementForm,
        lambda d: services.placement_add(
            membership=m,
            youth_id=youth_id,
            placement_type=d["placement_type"],
            started_on=d["started_on"],
            address=d["address"],
            felt_safe=to_null_bool(d["felt_safe"]),
        ),
        _("Placement recorded."),
        category=Category.CARE_PLAN,
    )


@login_required
def team(request: AuthedRequest, youth_id: str) -> HttpResponse:
    record = selectors.youth_record(membership=request.membership, youth_id=youth_id, purpose="care team")
    if not _can_manage_team(request):
        raise Http404
    assert request.membership is not None
    form = TeamMemberForm(request.POST or None)
    if request.method == "POST":
        if "end" in request.POST:
            sharing.care_team_end(
                membership=request.membership, youth_id=record.youth.pk, member_id=request.POST["end"]
            )
            messages.success(request, _("Role ended."))
            return redirect("youth:team", youth_id=record.youth.pk)
        if form.is_valid():
            try:
                sharing.care_team_add(
                    membership=request.membership,
                    youth_id=record.youth.pk,
                    organization_id=form.cleaned_data["organization"].pk,
                    role=form.cleaned_data["role"],
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Added to the care team."))
                return redirect("youth:team", youth_id=record.youth.pk)
    return render(request, "youth/team.html", {"record": record, "youth": record.youth, "form": form})


@login_required
def consents(request: AuthedRequest, youth_id: str) -> HttpResponse:
    record = selectors.youth_record(membership=request.membership, youth_id=youth_id, purpose="consents")
    if not _can_manage_team(request):
        raise Http404
    assert request.membership is not None
    form = ConsentForm(
        request.POST or None,
        household=record.household,
        initial={"expires_on": timezone.localdate() + datetime.timedelta(days=365)},
    )
    if request.method == "POST":
        if "revoke" in request.POST:
            sharing.consent_revoke(
                membership=request.membership,
                youth_id=record.youth.pk,
                consent_id=request.POST["revoke"],
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("Consent revoked. It stops applying immediately."))
            return redirect("youth:consents", youth_id=record.youth.pk)
        if form.is_valid():
            d = form.cleaned_data
            tz = timezone.get_current_timezone()
            starts_at = (
                datetime.datetime.combine(d["starts_on"], datetime.time.min, tz)
                if d["starts_on"]
                else timezone.now()
            )
            expires_at = datetime.datetime.combine(d["expires_on"], datetime.time.max, tz)
            try:
                sharing.consent_record(
                    membership=request.membership,
                    youth_id=record.youth.pk,
                    organization_id=d["organization"].pk,
                    categories=d["categories"],
                    purpose=d["purpose"],
                    given_by=d["given_by"],
                    guardian_id=d["guardian"] or None,
                    minor_may_consent_alone=d["minor_may_consent_alone"],
                    starts_at=starts_at,
                    expires_at=expires_at,
                    signature=d["signature"],
                    signed_form_name=d["signed_form_name"],
                    state=d["state"],
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Consent recorded."))
                return redirect("youth:consents", youth_id=record.youth.pk)
    return render(
        request,
        "youth/consents.html",
        {"record": record, "youth": record.youth, "form": form, "now": timezone.now()},
    )


@login_required
def timeline(request: AuthedRequest, youth_id: str) -> HttpResponse:
    opened, entries = selectors.youth_timeline(membership=request.membership, youth_id=youth_id)
    return render(request, "youth/timeline.html", {"youth": opened.youth, "entries": entries})


@login_required
def access_history(request: AuthedRequest, youth_id: str) -> HttpResponse:
    opened, events, glass = selectors.youth_access_history(membership=request.membership, youth_id=youth_id)
    _, disclosures = selectors.youth_disclosures(membership=request.membership, youth_id=youth_id)
    template = "youth/disclosures_print.html" if request.GET.get("print") else "youth/access_history.html"
    return render(
        request,
        template,
        {"youth": opened.youth, "events": events, "glass": glass, "disclosures": disclosures},
    )


@login_required
def break_glass(request: AuthedRequest) -> HttpResponse:
    _require(request, Action.BREAK_GLASS)
    assert request.membership is not None
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = sharing.break_glass_by_reference(
                membership=request.membership,
                reference=form.cleaned_data["reference"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.warning(
                request,
                _("Emergency access is open until %(time)s. Your supervisor has been told.")
                % {"time": timezone.localtime(grant.expires_at).strftime("%H:%M")},
            )
            return redirect("youth:detail", youth_id=grant.youth_id)
    return render(request, "youth/break_glass.html", {"form": form})


@login_required
def break_glass_review(request: AuthedRequest, grant_id: str) -> HttpResponse:
    _require(request, Action.REVIEW_BREAK_GLASS)
    assert request.membership is not None
    grant = break_glass_for_review(membership=request.membership, grant_id=grant_id)
    if grant is None:
        raise Http404
    if request.method == "POST":
        try:
            sharing.break_glass_review(
                membership=request.membership, grant_id=grant.pk, note=request.POST.get("note", "")
            )
        except PermissionDenied:
            messages.error(request, _("Someone else must review your own emergency access."))
        else:
            messages.success(request, _("Review recorded."))
        return redirect("youth:break_glass_review", grant_id=grant.pk)
    return render(request, "youth/break_glass_review.html", {"grant": grant})


@login_required
@require_POST
def missing(request: AuthedRequest, youth_id: str) -> HttpResponse:
    """Report missing, record who was told, record the return (and offer the recovery roundtable)."""
    require_youth(request.membership, youth_id, Category.CARE_PLAN, write=True)
    assert request.membership is not None
    m = request.membership
    step = request.POST.get("step", "")
    if step == "start":
        return _post_child(
            request,
            youth_id,
            MissingStartForm,
            lambda d: services.missing_episode_open(
                membership=m, youth_id=youth_id, started_at=d["started_at"]
            ),
            _("Missing episode recorded."),
            category=Category.CARE_PLAN,
        )
    if step == "notify":
        return _post_child(
            request,
            youth_id,
            MissingNotifyForm,
            lambda d: services.missing_episode_notify(
                membership=m,
                youth_id=youth_id,
                episode_id=d["episode"],
                to=d["to"],
                at=d["at"],
                reference=d["reference"],
            ),
            _("Notification recorded."),
            category=Category.CARE_PLAN,
        )
    raise Http404

"""Directory pages: the public directory and application form, the audit link, staff search, and the
directory admin's queue. Thin: forms in, services and selectors out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _
from django_htmx.http import push_url

from threadline.core.actions import Action
from threadline.core.policy import may, require
from threadline.directory import forms, nearby, search_state, selectors, services, statistics
from threadline.directory.audience import PUBLIC, scope_for
from threadline.directory.geo import TEXAS_COUNTIES
from threadline.directory.hours import hours_in_words
from threadline.directory.models import AuditRequest, Organization
from threadline.directory.taxonomy import LANGUAGES, POPULATIONS, SERVICE_TYPES
from threadline.directory.translations import is_translation, localized
from threadline.discovery import app_modules
from threadline.http import AuthedRequest


def _labels() -> dict[str, Any]:
    return {
        "counties": TEXAS_COUNTIES,
        "languages": LANGUAGES,
        "populations": POPULATIONS,
        "service_types": SERVICE_TYPES,
    }


def _search(request: HttpRequest, form_class: type[forms.SearchForm], scope: Any, where: str) -> HttpResponse:
    """One search page, public or staff (``where``). A POST (the form: the ZIP code never goes in a
    URL) is stored and answered with the GET URL that shows it (search_state), so Back and history
    keep every filter."""
    fields = set(form_class().fields)
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            query_string = search_state.remember(request, form.cleaned_data, fields)
            if not getattr(request, "htmx", False):
                return redirect(f"{request.path}?{query_string}" if query_string else request.path)
            response = _results(request, form, scope, where, query_string)
            push_url(response, f"{request.path}?{query_string}")
            return response
        return _results(request, form, scope, where, None)
    data = search_state.restore(request, fields)
    form = form_class(data if data is not None else {"page": 1})
    shown = request.GET.urlencode() if data is not None and form.is_valid() else None
    return _results(request, form, scope, where, shown)


def _results(
    request: HttpRequest,
    form: forms.SearchForm,
    scope: Any,
    where: str,
    query_string: str | None,
) -> HttpResponse:
    page = None
    suggestions = None
    if form.is_bound and form.is_valid():
        query = form.to_query()
        page = selectors.search(query, scope)
        if not page.total and not page.unknown_zip:
            suggestions = nearby.suggest(query, scope)
    if query_string is not None:
        search_state.keep_last(request, where, query_string)
    base = search_state.without_page(query_string or "")
    context = {
        "form": form,
        "page": page,
        "suggestions": suggestions,
        "page_query": f"{base}&" if base else "",
        "wider_query": _wider(base, suggestions),
        "public": where == "public",
        **_labels(),
    }
    if getattr(request, "htmx", False) and not request.htmx.history_restore_request:  # type: ignore[attr-defined]
        return render(request, "directory/search.html#results", context)
    return render(request, "directory/search.html", context)


def _wider(base: str, suggestions: nearby.Suggestions | None) -> str:
    if suggestions is None or suggestions.wider_radius is None:
        return ""
    params = QueryDict(base, mutable=True)
    params["radius"] = str(suggestions.wider_radius)
    return params.urlencode()


# --- public --------------------------------------------------------------------------------------


def public_search(request: HttpRequest) -> HttpResponse:
    return _search(request, forms.PublicSearchForm, PUBLIC, "public")


def public_service(request: HttpRequest, service_id: str) -> HttpResponse:
    service = selectors.service_for(PUBLIC, service_id)
    if service is None:
        raise Http404
    return render(
        request, "directory/service.html", {"public": True, **_service_context(request, service, "public")}
    )


def _service_context(request: HttpRequest, service: dict[str, Any], where: str) -> dict[str, Any]:
    """One listing in the reader's language: its text where the listing has it, hours in words."""
    return {
        "service": service,
        "text": localized(service, get_language() or "en"),
        "hours": hours_in_words(service.get("schedules", [])),
        "badges": [a for a in service.get("attributes", []) if not is_translation(a)],
        "back_query": search_state.last(request, where),
        **_labels(),
    }


def public_summary(request: HttpRequest) -> HttpResponse:
    """The directory in numbers, for anyone: public listings only, small counts suppressed."""
    stats = statistics.statistics(public=True)
    return render(request, "directory/statistics.html", {"stats": stats, "public": True})


def apply(request: HttpRequest) -> HttpResponse:
    form = forms.ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not data.get("homepage"):
            services.application_submit(
                data=services.ApplicationData(
                    **{k: v for k, v in data.items() if k in services.ApplicationData.__dataclass_fields__}
                )
            )
        return redirect("directory:apply_thanks")
    return render(request, "directory/apply.html", {"form": form})


def apply_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/apply_thanks.html")


def audit_confirm(request: HttpRequest, token: str) -> HttpResponse:
    audit = services.audit_for_token(token)
    if audit is None:
        return render(request, "directory/confirm_invalid.html", status=404)
    org = audit.organization
    current = {"name": org.name, "description": org.description, "email": org.email, "website": org.website}
    form = forms.ConfirmForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        changes = {k: str(v) for k, v in form.cleaned_data.items() if v and str(v) != str(current.get(k, ""))}
        try:
            services.audit_confirm(raw_token=token, changes=changes)
        except PermissionDenied:
            return render(request, "directory/confirm_invalid.html", status=404)
        return render(request, "directory/confirm_done.html", {"changed": bool(changes)})
    return render(request, "directory/confirm.html", {"form": form, "organization": org})


# --- staff ---------------------------------------------------------------------------------------


@login_required
def staff_search(request: AuthedRequest) -> HttpResponse:
    require(request.membership, Action.SEARCH_DIRECTORY)
    return _search(request, forms.SearchForm, scope_for(request.membership), "staff")


@login_required
def staff_service(request: AuthedRequest, service_id: str) -> HttpResponse:
    require(request.membership, Action.SEARCH_DIRECTORY)
    assert request.membership is not None
    service = selectors.service_for_staff(request.membership, service_id)
    if service is None:
        raise Http404
    can_refer = bool(may(request.membership, Action.SEND_SERVICE_REFERRALS))  # issue 11
    return render(
        request,
        "directory/service.html",
        {"public": False, "can_refer": can_refer, **_service_context(request, service, "staff")},
    )


@login_required
def admin_queue(request: AuthedRequest) -> HttpResponse:
    require(request.membership, Action.MANAGE_DIRECTORY)
    return render(
        request,
        "directory/admin_queue.html",
        {
            "applications": selectors.applications(),
            "audits": selectors.audits_due(),
            "corrections": selectors.pending_corrections(),
            "today": timezone.localdate(),
        },
    )


@login_required
def admin_statistics(request: AuthedRequest) -> HttpResponse:
    require(request.membership, Action.MANAGE_DIRECTORY)
    stats = statistics.statistics(public=False)
    return render(request, "directory/statistics.html", {"stats": stats, "public": False})


ACTIONS = ("review", "onsite", "approve", "visibility", "suspend", "audit", "apply_changes")


@login_required
def admin_listing(request: AuthedRequest, organization_id: str) -> HttpResponse:
    require(request.membership, Action.MANAGE_DIRECTORY)
    org = selectors.organization(organization_id)
    if org is None:
        raise Http404
    membership = request.membership
    assert membership is not None
    bound = {name: None for name in ACTIONS}
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action:
        try:
            if _act(request, action, org, bound):
                return redirect("directory:admin_listing", organization_id=org.id)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    context: dict[str, Any] = {
        "org": org,
        "services": selectors.services_of(org.id),
        "applications": org.applications.all(),
        "audits": org.audits.all()[:5],
        "onsite_form": bound["onsite"] or forms.OnsiteForm(),
        "approve_form": bound["approve"] or forms.ApproveForm(initial={"visibility": org.visibility}),
        "visibility_form": bound["visibility"]
        or forms.VisibilityForm(initial={"visibility": org.visibility}),
        "suspend_form": bound["suspend"] or forms.SuspendForm(),
    }
    # Rooms above the directory add what they know of this provider (``<app>/listing_audit.py``), e.g.
    # what referring staff said after their service referrals (issue 11).
    for _label, module in app_modules("listing_audit"):
        context.update(module.panels(membership, org.id))
    return render(request, "directory/admin_listing.html", context)


# The vetting steps that take a form: the form's fields are the service's keywords; the message is
# translated when shown.
_FORM_STEPS: dict[str, tuple[type[django_forms.Form], Callable[..., Any], str]] = {
    "onsite": (forms.OnsiteForm, services.onsite_check_record, gettext_noop("On-site check recorded.")),
    "approve": (
        forms.ApproveForm,
        services.listing_approve,
        gettext_noop("Approved. The next yearly audit is due in a year."),
    ),
    "visibility": (
        forms.VisibilityForm,
        services.listing_set_visibility,
        gettext_noop("Visibility changed."),
    ),
    "suspend": (
        forms.SuspendForm,
        services.listing_suspend,
        gettext_noop("The listing left search. Nothing was deleted."),
    ),
}


def _act(request: AuthedRequest, action: str, org: Organization, bound: dict[str, Any]) -> bool:
    """Run one vetting step from the listing page. True: done, redirect. False: show the form errors."""
    membership = request.membership
    assert membership is not None
    if action == "review":
        services.review_start(membership=membership, organization_id=org.id)
        messages.success(request, _("Review started."))
        return True
    if action in _FORM_STEPS:
        form_class, step, done = _FORM_STEPS[action]
        form = form_class(request.POST)
        bound[action] = form
        if not form.is_valid():
            return False
        step(membership=membership, organization_id=org.id, **form.cleaned_data)
        messages.success(request, _(done))
        return True
    if action == "audit":
        services.audit_send(
            membership=membership,
            organization_id=org.id,
            confirm_url=lambda raw: request.build_absolute_uri(
                reverse("directory:confirm", kwargs={"token": raw})
            ),
        )
        messages.success(request, _("Audit link sent to the provider."))
        return True
    if action == "apply_changes":
        try:
            audit_id = int(request.POST.get("audit_id", ""))
            services.audit_changes_apply(membership=membership, audit_id=audit_id)
        except (ValueError, AuditRequest.DoesNotExist) as exc:
            raise Http404 from exc
        messages.success(request, _("Corrections applied."))
        return True
    raise Http404

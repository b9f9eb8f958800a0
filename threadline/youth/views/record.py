"""The youth list, a new youth, the record, its edit form, timeline and access history."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from threadline.access.categories import Category
from threadline.accounts.models import Membership
from threadline.core.actions import Action
from threadline.core.errors import EditConflict
from threadline.core.policy import may, require
from threadline.formflow import form_errors, refused_with_version, submitted
from threadline.http import AuthedRequest
from threadline.youth import selectors, services
from threadline.youth.fields import YOUTH_EDITABLE, youth_fields_in
from threadline.youth.forms import (
    GENDER_SUGGESTIONS,
    AliasForm,
    ContactWayForm,
    EditYouthForm,
    HouseholdForm,
    MeetingPreferenceForm,
    MissingNotifyForm,
    NewYouthForm,
    PlacementForm,
    to_null_bool,
)
from threadline.youth.merged import merged_record_leads_to
from threadline.youth.models import Youth
from threadline.youth.record_panels import record_panels
from threadline.youth.views.base import _can_manage_team


@login_required
def youth_list(request: AuthedRequest) -> HttpResponse:
    require(request.membership, Action.WORK_WITH_YOUTH)
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


def _youth_create(membership: Membership, data: dict[str, Any]) -> Youth:
    return services.youth_create(
        membership=membership,
        **{name: data[name] for name in YOUTH_EDITABLE},
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
        counties=[(data["county"], data["connection"] or "physically_present")] if data["county"] else [],
    )


@login_required
def youth_new(request: AuthedRequest) -> HttpResponse:
    membership = require(request.membership, Action.CREATE_YOUTH)
    form = NewYouthForm(request.POST or None)
    youth = submitted(request, form, partial(_youth_create, membership))
    if youth is not None:
        messages.success(request, _("Record opened."))
        return redirect("youth:detail", youth_id=youth.pk)
    return render(request, "youth/new.html", {"form": form, "gender_suggestions": GENDER_SUGGESTIONS})


@login_required
def youth_detail(request: AuthedRequest, youth_id: str) -> HttpResponse:
    survivor = merged_record_leads_to(membership=request.membership, youth_id=youth_id)
    if survivor is not None:
        messages.info(request, _("This record was merged: you are on the record kept."))
        return redirect("youth:detail", youth_id=survivor)
    return _detail_page(request, youth_id)


def _detail_page(
    request: AuthedRequest,
    youth_id: str,
    *,
    household_form: HouseholdForm | None = None,
    meeting_form: MeetingPreferenceForm | None = None,
) -> HttpResponse:
    record = selectors.youth_record(membership=request.membership, youth_id=youth_id)
    meeting = record.meeting
    return render(
        request,
        "youth/detail.html",
        {
            "record": record,
            "youth": record.youth,
            "can": {c: record.allows(c) for c in Category.values},
            "shown": [Category(c).label for c in sorted(record.opened.categories) if c != Category.RECORD],
            "can_manage_team": _can_manage_team(request),
            # The move page asks this (``intake.move_views.youth_move``): a partner who may read the
            # identity was offered a link that answered 403.
            "can_relocate": bool(may(request.membership, Action.RELOCATE_YOUTH)),
            "alias_form": AliasForm(),
            "contact_form": ContactWayForm(),
            "household_form": household_form or HouseholdForm(),
            "meeting": meeting,
            "meeting_form": meeting_form
            or MeetingPreferenceForm(
                initial={
                    "ways": meeting.ways,
                    "places": meeting.places,
                    "avoid": meeting.avoid,
                    "version": meeting.version,
                }
                if meeting is not None
                else {}
            ),
            "placement_form": PlacementForm(),
            "notify_form": MissingNotifyForm(),
            "panels": record_panels(membership=request.membership, opened=record.opened),
        },
    )


EDIT_CONFLICT = gettext_lazy(
    "Someone else saved this record while you were editing. Your changes are "
    "still in the form; compare them with theirs below, then save again."
)


@login_required
def youth_edit(request: AuthedRequest, youth_id: str) -> HttpResponse:
    assert request.membership is not None
    # Only the editable fields of the categories this person may write. A save opens the record once,
    # in the service (one ledger row for one action); the form is read only when it is shown again.
    conflict = None
    if request.method == "POST":
        categories = selectors.editable_categories_of(membership=request.membership, youth_id=youth_id)
        form = EditYouthForm(request.POST, categories=categories)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.youth_update(
                    membership=request.membership, youth_id=youth_id, version=version, changes=data
                )
            except EditConflict as exc:
                conflict = exc
                refused_with_version(form, exc, EDIT_CONFLICT)
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("youth:detail", youth_id=youth_id)
        youth = selectors.youth_for_edit(membership=request.membership, youth_id=youth_id).youth
    else:
        opened = selectors.youth_for_edit(membership=request.membership, youth_id=youth_id)
        youth = opened.youth
        values: dict[str, Any] = {name: getattr(youth, name) for name in youth_fields_in(opened.categories)}
        if "languages" in values:
            values["languages"] = ", ".join(youth.languages or [])
        form = EditYouthForm(initial={**values, "version": youth.version}, categories=opened.categories)
    return render(
        request,
        "youth/edit.html",
        {"form": form, "youth": youth, "conflict": conflict, "gender_suggestions": GENDER_SUGGESTIONS},
        status=409 if conflict else 200,
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

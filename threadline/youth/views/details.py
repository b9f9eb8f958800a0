"""Aliases, ways to reach the youth, household, placements and missing episodes."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from threadline.access.categories import Category
from threadline.core.errors import EditConflict
from threadline.formflow import refused_with_version, saved
from threadline.http import AuthedRequest
from threadline.youth import services
from threadline.youth.forms import (
    AliasForm,
    ContactWayForm,
    HouseholdForm,
    MeetingPreferenceForm,
    MissingNotifyForm,
    MissingStartForm,
    PlacementForm,
    to_null_bool,
)
from threadline.youth.meeting_services import meeting_preference_set
from threadline.youth.policy import require_youth
from threadline.youth.views.base import _post_child
from threadline.youth.views.record import _detail_page

CONFLICT = gettext_lazy(
    "Someone else changed this while you were typing. Your text is still here; check theirs above."
)


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
    require_youth(request.membership, youth_id, Category.IDENTITY, write=True)
    form = HouseholdForm(request.POST)
    m = request.membership
    add = services.household_member_add
    if saved(
        request, form, lambda d: add(membership=m, youth_id=youth_id, **d), _("Household member added.")
    ):
        return redirect("youth:detail", youth_id=youth_id)
    # Refused: the page again, with what was typed still in the form and the reason beside it.
    response = _detail_page(request, youth_id, household_form=form)
    response.status_code = 422
    return response


@login_required
@require_POST
def meeting_preference(request: AuthedRequest, youth_id: str) -> HttpResponse:
    """How the youth prefers to be met. Refused: the page again with what was typed kept."""
    assert request.membership is not None
    require_youth(request.membership, youth_id, Category.IDENTITY, write=True)
    form = MeetingPreferenceForm(request.POST)
    m = request.membership
    try:
        if saved(
            request, form, lambda d: meeting_preference_set(membership=m, youth_id=youth_id, **d), _("Saved.")
        ):
            return redirect("youth:detail", youth_id=youth_id)
    except EditConflict as exc:
        refused_with_version(form, exc, CONFLICT)
        response = _detail_page(request, youth_id, meeting_form=form)
        response.status_code = 409
        return response
    response = _detail_page(request, youth_id, meeting_form=form)
    response.status_code = 422
    return response


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
        category=Category.LOCATION,
    )


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

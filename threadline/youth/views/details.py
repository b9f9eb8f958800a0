"""Aliases, ways to reach the youth, household, placements and missing episodes."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from threadline.access.categories import Category
from threadline.core.errors import EditConflict
from threadline.formflow import as_arguments, refused_with_version, saved
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
)
from threadline.youth.meeting_services import meeting_preference_set
from threadline.youth.policy import require_youth
from threadline.youth.views.base import _post_child
from threadline.youth.views.record import _detail_page

CONFLICT = gettext_lazy(
    "Someone else changed this while you were typing. Your text is still here; check theirs above."
)


def _adds(form_class: Any, service: Any, done: Any, category: str = Category.IDENTITY) -> Any:
    """The view that adds one row to the youth's record from a small form on the record page: the
    form's cleaned data are the service's arguments."""

    @login_required
    @require_POST
    def view(request: AuthedRequest, youth_id: str) -> HttpResponse:
        m = request.membership
        return _post_child(
            request,
            youth_id,
            form_class,
            lambda d: service(membership=m, youth_id=youth_id, **d),
            done,
            category,
        )

    view.__name__ = view.__qualname__ = service.__name__
    return view


alias_add = _adds(AliasForm, services.alias_add, gettext_lazy("Name added."))
contact_way_add = _adds(ContactWayForm, services.contact_way_add, gettext_lazy("Contact added."))
placement_add = _adds(
    PlacementForm, services.placement_add, gettext_lazy("Placement recorded."), category=Category.LOCATION
)


def _save_on_record_page(
    request: AuthedRequest, youth_id: str, form_class: Any, service: Any, done: str, form_name: str
) -> HttpResponse:
    """A form shown on the record page: saved, back to the page; refused, the page again with what was
    typed still in the form and the reason beside it (409 when someone else saved first)."""
    assert request.membership is not None
    require_youth(request.membership, youth_id, Category.IDENTITY, write=True)
    form = form_class(request.POST)
    m = request.membership
    status = 422
    try:
        if saved(request, form, lambda d: service(membership=m, youth_id=youth_id, **d), done):
            return redirect("youth:detail", youth_id=youth_id)
    except EditConflict as exc:
        refused_with_version(form, exc, CONFLICT)
        status = 409
    response = _detail_page(request, youth_id, **{form_name: form})
    response.status_code = status
    return response


@login_required
@require_POST
def household_add(request: AuthedRequest, youth_id: str) -> HttpResponse:
    add = services.household_member_add
    return _save_on_record_page(
        request, youth_id, HouseholdForm, add, _("Household member added."), "household_form"
    )


@login_required
@require_POST
def meeting_preference(request: AuthedRequest, youth_id: str) -> HttpResponse:
    """How the youth prefers to be met."""
    return _save_on_record_page(
        request, youth_id, MeetingPreferenceForm, meeting_preference_set, _("Saved."), "meeting_form"
    )


# Each step of the missing-episode form: its form, its one service (the form's fields are the service's
# arguments, the episode as ``episode_id``) and what is said once it is saved.
_MISSING_STEPS: dict[str, tuple[Any, Any, Any]] = {
    "start": (MissingStartForm, services.missing_episode_open, gettext_lazy("Missing episode recorded.")),
    "notify": (MissingNotifyForm, services.missing_episode_notify, gettext_lazy("Notification recorded.")),
}


@login_required
@require_POST
def missing(request: AuthedRequest, youth_id: str) -> HttpResponse:
    """Report missing, record who was told, record the return (and offer the recovery roundtable)."""
    require_youth(request.membership, youth_id, Category.CARE_PLAN, write=True)
    assert request.membership is not None
    m = request.membership
    step = _MISSING_STEPS.get(request.POST.get("step", ""))
    if step is None:
        raise Http404
    form_class, service, done = step
    return _post_child(
        request,
        youth_id,
        form_class,
        lambda d: service(membership=m, youth_id=youth_id, **as_arguments(d, episode="episode_id")),
        done,
        category=Category.CARE_PLAN,
    )

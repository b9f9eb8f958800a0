"""Mentorship pages: my mentees, one mentee (with the phone-first contact form), and the coordinator's
mentor assignment. Under a youth id, whoever may not see it gets the 404 of a missing youth."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from threadline.access.categories import Category
from threadline.access.models import MentorAssignment
from threadline.core.actions import Action
from threadline.core.policy import may, require
from threadline.formflow import submit
from threadline.http import AuthedRequest
from threadline.mentoring import selectors, services
from threadline.mentoring.forms import MentorAssignForm, MentorContactForm
from threadline.youth.policy import YouthNotFound, require_youth


@login_required
def mentees(request: AuthedRequest) -> HttpResponse:
    require(request.membership, Action.MENTOR_YOUTH)
    return render(
        request, "mentoring/mentees.html", {"youths": selectors.mentees_of(membership=request.membership)}
    )


@login_required
def mentee(request: AuthedRequest, youth_id: str) -> HttpResponse:
    """One youth for mentoring: what the youth shares, the contacts, and "log a contact"."""
    m = request.membership
    if not (may(m, Action.MENTOR_YOUTH) or may(m, Action.WORK_WITH_YOUTH)):
        raise YouthNotFound
    assert m is not None
    form = MentorContactForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        require_youth(m, youth_id, Category.MENTORING, write=True)  # 404 before reading the form
        if submit(form, lambda d: services.mentor_contact_log(membership=m, youth_id=youth_id, **d)):
            messages.success(request, _("Contact logged."))
            return redirect("mentoring:mentee", youth_id=youth_id)
        status = 400
    page = selectors.mentee_page(membership=m, youth_id=youth_id)
    return render(request, "mentoring/mentee.html", {"page": page, "form": form}, status=status)


@login_required
def assign(request: AuthedRequest, youth_id: str) -> HttpResponse:
    """The coordinator pairs the youth with a mentor, or ends a mentorship."""
    m = request.membership
    if not may(m, Action.MANAGE_SHARING):
        raise YouthNotFound
    assert m is not None
    require_youth(m, youth_id, Category.RECORD, write=True)
    choices = [
        (x.pk, f"{x.user.full_name or x.user.email} ({x.get_role_display()}, {x.organization.name})")
        for x in services.mentors_available()
    ]
    form = MentorAssignForm(request.POST if request.method == "POST" else None, mentors=choices)
    status = 200
    if request.method == "POST":
        if "end" in request.POST:
            try:
                services.mentor_assignment_end(
                    membership=m, youth_id=youth_id, assignment_id=request.POST["end"]
                )
            except MentorAssignment.DoesNotExist:
                raise Http404 from None
            messages.success(request, _("Mentorship ended."))
            return redirect("mentoring:assign", youth_id=youth_id)
        if submit(
            form,
            lambda d: services.mentor_assign(
                membership=m, youth_id=youth_id, mentor_membership_id=d["mentor"]
            ),
        ):
            messages.success(request, _("Mentor assigned."))
            return redirect("mentoring:assign", youth_id=youth_id)
        status = 400
    youth, assignments = selectors.mentor_assignments_of(membership=m, youth_id=youth_id)
    return render(
        request,
        "mentoring/assign.html",
        {"youth": youth, "assignments": assignments, "form": form},
        status=status,
    )

"""Staff management (program admins) and a person's own API tokens."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from threadline.accounts import selectors, services
from threadline.accounts.forms import ApiTokenForm, StaffUserForm
from threadline.accounts.invitations import invitation_send
from threadline.accounts.models import ApiToken, FactorResetRequest, Membership
from threadline.core.actions import Action
from threadline.core.policy import require
from threadline.formflow import act
from threadline.http import AuthedRequest


@login_required
def people(request: AuthedRequest) -> HttpResponse:
    membership = require(request.membership, Action.MANAGE_USERS)
    form = StaffUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.staff_user_create(
                membership=membership,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                role=form.cleaned_data["role"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            invitation_send(request=request, user=user)
            messages.success(
                request, _("Invitation sent. They will set a password, then set up two-factor sign-in.")
            )
            return redirect("accounts:people")
    return render(
        request,
        "accounts/people.html",
        {
            "form": form,
            "people": selectors.people_of(organization=membership.organization),
            "factor_resets": selectors.open_factor_resets(organization=membership.organization),
        },
    )


def _person(request: AuthedRequest, user_id: int) -> tuple[Membership, Any]:
    """The admin's membership and one person of their own organization: any other id answers like a
    missing one."""
    require(request.membership, Action.MANAGE_USERS)
    assert request.membership is not None
    user = selectors.person_of_organization(organization=request.membership.organization, user_id=user_id)
    if user is None:
        raise Http404
    return request.membership, user


@login_required
@require_POST
def deactivate(request: AuthedRequest, user_id: int) -> HttpResponse:
    membership, user = _person(request, user_id)
    if user.pk == request.user.pk:
        raise Http404
    try:
        ended = services.user_deactivate(membership=membership, user=user)
    except Membership.DoesNotExist as exc:
        raise Http404 from exc
    if ended == "account":
        messages.success(request, _("Account disabled and signed out everywhere."))
    else:
        messages.success(
            request, _("Removed from your organization. They still work for another organization.")
        )
    return redirect("accounts:people")


@login_required
@require_POST
def sign_out_person(request: AuthedRequest, user_id: int) -> HttpResponse:
    membership, user = _person(request, user_id)
    sign_out = partial(services.sessions_end_for_person, membership=membership, user=user)
    act(request, sign_out, _("Signed out on every device."), missing=Membership.DoesNotExist)
    return redirect("accounts:people")


@login_required
@require_POST
def factor_reset_request(request: AuthedRequest, user_id: int) -> HttpResponse:
    membership, user = _person(request, user_id)
    check = request.POST.get("identity_check", "")
    ask = partial(services.factor_reset_request, membership=membership, user=user, identity_check=check)
    act(
        request,
        ask,
        _("Request saved. A second program admin must confirm it."),
        missing=Membership.DoesNotExist,
    )
    return redirect("accounts:people")


@login_required
@require_POST
def factor_reset_approve(request: AuthedRequest, reset_id: int) -> HttpResponse:
    require(request.membership, Action.MANAGE_USERS)
    assert request.membership is not None
    check = request.POST.get("identity_check", "")
    approve = partial(
        services.factor_reset_approve, membership=request.membership, reset_id=reset_id, identity_check=check
    )
    done = _("Second factor removed. They must set up a new one when they next sign in.")
    act(request, approve, done, missing=FactorResetRequest.DoesNotExist)
    return redirect("accounts:people")


@require_GET
def session_alive(request: HttpRequest) -> HttpResponse:
    """For the open page's check (app.js): 204 while the session lives, 401 once it has ended. It does
    not count as activity, so it never keeps an idle session alive."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "Unauthorized"}, status=401)
    return HttpResponse(status=204)


@login_required
def tokens(request: AuthedRequest) -> HttpResponse:
    require(request.membership, Action.USE_API_TOKENS)
    form = ApiTokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            assert request.membership is not None
            issued = services.api_token_issue(
                membership=request.membership,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            form = ApiTokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "issued": issued,
            "tokens": selectors.tokens_of(user=request.user),
        },
    )


@login_required
@require_POST
def token_revoke(request: AuthedRequest, token_id: int) -> HttpResponse:
    try:
        services.api_token_revoke(user=request.user, token_id=token_id)
    except ApiToken.DoesNotExist as exc:
        raise Http404 from exc
    messages.success(request, _("Token revoked."))
    return redirect("accounts:tokens")

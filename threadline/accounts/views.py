"""Staff management (program admins) and a person's own API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from threadline.accounts import selectors, services
from threadline.accounts.forms import ApiTokenForm, StaffUserForm
from threadline.accounts.invitations import invitation_send
from threadline.accounts.models import ApiToken, User
from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.http import AuthedRequest


def _require(request: HttpRequest, action: Action) -> None:
    if not may(getattr(request, "membership", None), action):
        raise PermissionDenied


@login_required
def people(request: AuthedRequest) -> HttpResponse:
    _require(request, Action.MANAGE_USERS)
    membership = request.membership
    assert membership is not None  # _require passed
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
        },
    )


@login_required
@require_POST
def deactivate(request: AuthedRequest, user_id: int) -> HttpResponse:
    _require(request, Action.MANAGE_USERS)
    user = User.objects.filter(pk=user_id).first()
    if user is None or user.pk == request.user.pk:
        raise Http404
    assert request.membership is not None
    services.user_deactivate(membership=request.membership, user=user)
    messages.success(request, _("Account disabled and signed out everywhere."))
    return redirect("accounts:people")


@login_required
def tokens(request: AuthedRequest) -> HttpResponse:
    _require(request, Action.USE_API_TOKENS)
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

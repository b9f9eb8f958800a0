"""Reads about people and organizations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import QuerySet

from threadline.accounts.models import ApiToken, Membership, Organization, User, hash_token

if TYPE_CHECKING:
    from django.contrib.sessions.backends.base import SessionBase

ACTIVE_MEMBERSHIP_KEY = "tl_membership"


def memberships_of(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user, is_active=True, organization__is_active=True)
        .select_related("organization", "user")
        .order_by("organization__name", "role")
    )


def active_membership_for_session(*, user: Any, session: SessionBase) -> Membership | None:
    """The membership the person chose; with only one, that one. Never a membership they lost."""
    memberships = list(memberships_of(user=user))
    chosen = session.get(ACTIVE_MEMBERSHIP_KEY)
    for membership in memberships:
        if membership.pk == chosen:
            return membership
    if len(memberships) >= 1:
        session[ACTIVE_MEMBERSHIP_KEY] = memberships[0].pk
        return memberships[0]
    return None


def user_has_second_factor(*, user: User) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


def user_needs_mfa_enrollment(*, user: User) -> bool:
    if settings.DEMO_MODE and user.is_demo:
        return False
    return not user_has_second_factor(user=user)


def token_by_raw_value(*, raw: str) -> ApiToken | None:
    """A usable token (not revoked, not expired, its person and membership still active), or None."""
    token = ApiToken.objects.select_related("user", "organization").filter(token_hash=hash_token(raw)).first()
    if token is None or not token.is_usable() or not token.user.is_active:
        return None
    return token


def membership_for_token(*, token: ApiToken) -> Membership | None:
    return memberships_of(user=token.user).filter(organization=token.organization).first()


def organizations() -> QuerySet[Organization]:
    return Organization.objects.filter(is_active=True)


def people_of(*, organization: Organization) -> QuerySet[Membership]:
    return Membership.objects.filter(organization=organization).select_related("user").order_by("user__email")


def tokens_of(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).select_related("organization")

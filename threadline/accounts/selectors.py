"""Reads about people and organizations."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from threadline.accounts.models import (
    ApiToken,
    FactorResetRequest,
    Membership,
    Organization,
    User,
    hash_token,
)
from threadline.core.ids import int_or_zero

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


def factor_verified_in_session(*, request: HttpRequest, user: User) -> bool:
    """Did this session use (or enroll) the person's second factor? allauth records every
    authentication step in the session; a sign-in that went through the factor has an "mfa" record.
    A factor created after this session's first sign-in step was enrolled in it, and enrolling takes a
    valid code from the device. Nothing enrolled yet: nothing to verify (enrollment is forced next)."""
    from allauth.account.internal.flows.login import get_authentication_records
    from allauth.mfa.models import Authenticator

    if settings.DEMO_MODE and user.is_demo:
        return True
    factors = Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    )
    created = list(factors.values_list("created_at", flat=True))
    if not created:
        return True
    records = get_authentication_records(request, user)
    if any(record.get("method") == "mfa" for record in records):
        return True
    stamps = [float(record["at"]) for record in records if "at" in record]
    if not stamps:
        return False
    first_step = datetime.fromtimestamp(min(stamps), tz=UTC)
    return any(when >= first_step for when in created)


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


def chosen_organization(organization_id: Any, *, field: str = "organization") -> Organization:
    """The active organization a person chose on a form or named in a body; a missing, inactive or
    malformed id is refused beside ``field``."""
    found = organizations().filter(pk=int_or_zero(organization_id)).first()
    if found is None:
        raise ValidationError({field: _("Choose an organization.")})
    return found


def people_of(*, organization: Organization) -> QuerySet[Membership]:
    return Membership.objects.filter(organization=organization).select_related("user").order_by("user__email")


def person_of_organization(*, organization: Organization, user_id: int) -> User | None:
    """A person who has (or had) a membership in this organization; anyone else is "not found"."""
    return User.objects.filter(pk=user_id, memberships__organization=organization).distinct().first()


def open_factor_resets(*, organization: Organization) -> QuerySet[FactorResetRequest]:
    return FactorResetRequest.objects.filter(
        organization=organization, approved_at__isnull=True, cancelled_at__isnull=True
    ).select_related("user", "requested_by")


def tokens_of(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).select_related("organization")

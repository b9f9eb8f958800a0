"""Every write about people, memberships and tokens. One transaction each, ledger row inside."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from threadline.accounts.models import ApiToken, Membership, Organization, User, hash_token
from threadline.audit import ledger
from threadline.core.actions import Action
from threadline.core.policy import may


def organization_create(
    *, name: str, org_type: str, is_care_coordinator: bool = False, county: str = ""
) -> Organization:
    with transaction.atomic():
        return Organization.objects.create(
            name=name, org_type=org_type, is_care_coordinator=is_care_coordinator, county=county
        )


def staff_user_create(
    *, membership: Membership, email: str, full_name: str, role: str, language: str = "en"
) -> User:
    """A program admin adds a person to their own organization. The person sets a password through
    an invitation link, then must enroll a second factor before reaching any page."""
    if not may(membership, Action.MANAGE_USERS):
        raise PermissionDenied
    email = email.strip().lower()
    with transaction.atomic():
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=None, full_name=full_name, preferred_language=language
            )
        if Membership.objects.filter(user=user, organization=membership.organization, role=role).exists():
            raise ValidationError({"email": "This person already has that role here."})
        added = Membership.objects.create(user=user, organization=membership.organization, role=role)
        ledger.record_by(
            membership,
            action="create",
            object_type="membership",
            object_id=added.pk,
            category="staff",
            purpose="add staff",
        )
    return user


def user_deactivate(*, membership: Membership, user: User) -> None:
    """Disable an account and end every session it has, at once (a departing worker, a lost phone)."""
    if not may(membership, Action.MANAGE_USERS):
        raise PermissionDenied
    if not Membership.objects.filter(user=user, organization=membership.organization).exists():
        raise PermissionDenied
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
        end_sessions_of(user=user)
        ledger.record_by(
            membership,
            action="deactivate",
            object_type="user",
            object_id=user.pk,
            category="staff",
            purpose="disable account",
        )


def end_sessions_of(*, user: User) -> int:
    """Delete every server-side session belonging to the user. Sessions are few and short-lived
    (12 h absolute), so scanning unexpired ones is cheap."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def user_set_language(*, user: User, language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": "Unknown language."})
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    raw: str  # shown once, never stored


def api_token_issue(*, membership: Membership, name: str, days: int | None = None) -> IssuedToken:
    if not may(membership, Action.USE_API_TOKENS):
        raise PermissionDenied
    days = days or settings.API_TOKEN_DEFAULT_DAYS
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationError({"days": f"Choose between 1 and {settings.API_TOKEN_MAX_DAYS} days."})
    raw = "tl_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=membership.user,
            organization=membership.organization,
            name=name.strip()[:100] or "token",
            prefix=raw[:10],
            token_hash=hash_token(raw),
            expires_at=timezone.now() + timedelta(days=days),
        )
        ledger.record_by(
            membership,
            action="create",
            object_type="api_token",
            object_id=token.pk,
            category="staff",
            purpose="issue API token",
        )
    return IssuedToken(token=token, raw=raw)


def api_token_revoke(*, user: User, token_id: int) -> None:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
        if token is None:
            raise ApiToken.DoesNotExist
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
        ledger.record(
            actor=user,
            organization=token.organization,
            action="revoke",
            object_type="api_token",
            object_id=token.pk,
            category="staff",
            purpose="revoke API token",
        )


def api_token_touch(*, token: ApiToken) -> None:
    # At most once a minute: avoid a write on every API call.
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)

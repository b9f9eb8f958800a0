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
from django.utils.translation import gettext as _

from threadline.accounts.models import (
    ROLE_NOT_HELD_MESSAGE,
    ApiToken,
    FactorResetRequest,
    Membership,
    Organization,
    User,
    hash_token,
)
from threadline.audit import ledger
from threadline.core.actions import Action, kind_of, role_held_by
from threadline.core.locks import locked
from threadline.core.policy import require


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
    require(membership, Action.MANAGE_USERS)
    if not role_held_by(kind_of(membership.organization), role):
        raise ValidationError({"role": ROLE_NOT_HELD_MESSAGE})
    email = email.strip().lower()
    with transaction.atomic():
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=None, full_name=full_name, preferred_language=language
            )
        if Membership.objects.filter(user=user, organization=membership.organization, role=role).exists():
            raise ValidationError({"email": _("This person already has that role here.")})
        added = Membership.objects.create(user=user, organization=membership.organization, role=role)
        ledger.entry(membership, "create", "membership", added.pk, "add staff", category="staff")
    return user


def account_owned_by(*, membership: Membership, user: User) -> bool:
    """Does the actor's organization own this account: does the person work for no other organization
    (or is the actor an installation admin)? Only then may it disable the account, sign it out of every
    device or reset its second factor; an admin who merely invited a person's e-mail may not."""
    if membership.user.is_superuser:
        return True
    return not (
        Membership.objects.filter(user=user, is_active=True, organization__is_active=True)
        .exclude(organization=membership.organization)
        .exists()
    )


def user_deactivate(*, membership: Membership, user: User) -> str:
    """A program admin takes a person off their organization (a departing worker, a lost phone).

    Memberships are per organization: the actor's organization ends only its own memberships of the
    person. The *account* is disabled (and every session and token ended at once) only when the
    person works for no other organization, or when the actor is an installation admin. Otherwise the
    account lives on at the other agencies; its tokens for this organization are revoked.
    Returns "account" or "membership": what was ended. Issue 9 item 4.
    """
    require(membership, Action.MANAGE_USERS)
    with transaction.atomic():
        own = list(
            Membership.objects.select_for_update().filter(user=user, organization=membership.organization)
        )
        if not own and not membership.user.is_superuser:
            raise Membership.DoesNotExist
        owned = account_owned_by(membership=membership, user=user)
        now = timezone.now()
        for held in own:
            if held.is_active:
                held.is_active = False
                held.ended_at = now
                held.save(update_fields=["is_active", "ended_at"])
        if not owned:
            ApiToken.objects.filter(
                user=user, organization=membership.organization, revoked_at__isnull=True
            ).update(revoked_at=now)
            ended = "membership"
        else:
            user.is_active = False
            user.save(update_fields=["is_active"])
            ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
            end_sessions_of(user=user)
            ended = "account"
        ledger.entry(
            membership,
            "deactivate",
            "user" if ended == "account" else "membership",
            user.pk,
            "disable account" if ended == "account" else "end membership",
            category="staff",
        )
    return ended


def sessions_end_for_person(*, membership: Membership, user: User) -> int:
    """A program admin signs one person of their organization out everywhere (a lost phone)."""
    require(membership, Action.MANAGE_USERS)
    with transaction.atomic():
        if not Membership.objects.filter(user=user, organization=membership.organization).exists():
            raise Membership.DoesNotExist
        if not account_owned_by(membership=membership, user=user):
            raise PermissionDenied  # they also work elsewhere: their own organization decides
        ended = end_sessions_of(user=user)
        ledger.entry(membership, "sign_out", "user", user.pk, "end all sessions", category="staff")
    return ended


def end_sessions_of(*, user: User, keep_session_key: str | None = None) -> int:
    """Delete every server-side session belonging to the user (but ``keep_session_key``). Sessions are
    few and short-lived (12 h absolute), so scanning unexpired ones is cheap."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.session_key == keep_session_key:
            continue
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    from allauth.usersessions.models import UserSession

    UserSession.objects.filter(user=user).exclude(session_key=keep_session_key or "").delete()
    return ended


def user_set_language(*, user: User, language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Unknown language.")})
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    raw: str  # shown once, never stored


def api_token_issue(*, membership: Membership, name: str, days: int | None = None) -> IssuedToken:
    require(membership, Action.USE_API_TOKENS)
    days = days or settings.API_TOKEN_DEFAULT_DAYS
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationError(
            {"days": _("Choose between 1 and %(max)s days.") % {"max": settings.API_TOKEN_MAX_DAYS}}
        )
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
        ledger.entry(membership, "create", "api_token", token.pk, "issue API token", category="staff")
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


FACTOR_RESET_HOURS = 24


def factor_reset_request(*, membership: Membership, user: User, identity_check: str) -> FactorResetRequest:
    """First of two program admins: asks to remove the second factor of a person of their organization
    who lost it, saying how they confirmed who is asking. Nothing is removed yet."""
    require(membership, Action.MANAGE_USERS)
    identity_check = identity_check.strip()
    if not identity_check:
        raise ValidationError({"identity_check": _("Say how you confirmed who is asking.")})
    if user.pk == membership.user_id:
        raise PermissionDenied  # nobody starts the reset of their own factor
    with transaction.atomic():
        if not Membership.objects.filter(
            user=user, organization=membership.organization, is_active=True
        ).exists():
            raise Membership.DoesNotExist
        if not account_owned_by(membership=membership, user=user):
            raise PermissionDenied  # they also work elsewhere: their own organization decides
        open_request = FactorResetRequest.objects.filter(
            user=user, approved_at__isnull=True, cancelled_at__isnull=True
        ).first()
        if open_request is not None:
            raise ValidationError(
                {"identity_check": _("A reset for this person is already waiting for a second admin.")}
            )
        reset = FactorResetRequest.objects.create(
            user=user,
            organization=membership.organization,
            requested_by=membership.user,
            identity_check=identity_check[:200],
        )
        ledger.entry(
            membership, "create", "factor_reset", reset.pk, "request second-factor reset", category="staff"
        )
    return reset


def factor_reset_approve(*, membership: Membership, reset_id: int, identity_check: str) -> int:
    """Second program admin: a different admin of the same organization, not the person, confirms
    identity again; then every authenticator of the person is removed and every session ended. They
    sign in with their password and must enroll a new factor before any page. Returns how many
    authenticators were removed."""
    from allauth.mfa.models import Authenticator

    require(membership, Action.MANAGE_USERS)
    identity_check = identity_check.strip()
    if not identity_check:
        raise ValidationError({"identity_check": _("Say how you confirmed who is asking.")})
    with transaction.atomic():
        reset = (
            FactorResetRequest.objects.select_for_update()
            .filter(pk=reset_id, organization=membership.organization)
            .select_related("user")
            .first()
        )
        if reset is None or not reset.is_open:
            raise FactorResetRequest.DoesNotExist
        if membership.user_id in (reset.requested_by_id, reset.user_id):
            raise PermissionDenied  # two different admins, neither of them the person
        if not account_owned_by(membership=membership, user=reset.user):
            raise PermissionDenied
        now = timezone.now()
        if now - reset.requested_at > timedelta(hours=FACTOR_RESET_HOURS):
            reset.cancelled_at = now
            reset.save(update_fields=["cancelled_at"])
            raise ValidationError({"identity_check": _("This request is more than a day old; start again.")})
        removed, _counts = Authenticator.objects.filter(user=reset.user).delete()
        reset.approved_by = membership.user
        reset.approval_identity_check = identity_check[:200]
        reset.approved_at = now
        reset.save(update_fields=["approved_by", "approval_identity_check", "approved_at"])
        end_sessions_of(user=reset.user)
        ledger.entry(
            membership,
            "approve",
            "factor_reset",
            reset.pk,
            "remove second factor after two-admin check",
            category="staff",
        )
    from threadline.accounts.security_log import log_event

    log_event(
        "factor_reset",
        user_id=reset.user_id,
        approved_by=membership.user_id,
        requested_by=reset.requested_by_id,
    )
    return removed


def factor_reset_cancel(*, membership: Membership, reset_id: int) -> None:
    require(membership, Action.MANAGE_USERS)
    with transaction.atomic():
        missing = FactorResetRequest.DoesNotExist
        reset = locked(FactorResetRequest, missing, pk=reset_id, organization=membership.organization)
        if not reset.is_open:
            raise missing
        reset.cancelled_at = timezone.now()
        reset.save(update_fields=["cancelled_at"])
        ledger.entry(
            membership, "cancel", "factor_reset", reset.pk, "cancel second-factor reset", category="staff"
        )

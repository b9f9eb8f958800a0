"""The provider's side of a service referral: its inbox answers, the one-time link, and the worker that\nmakes sure nobody falls through (reminders, expiry)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from threadline.accounts.models import Membership
from threadline.audit import ledger
from threadline.core.actions import Action
from threadline.core.policy import require
from threadline.referrals import timeline_messages as msg
from threadline.referrals.models import (
    EventKind,
    ProviderLink,
    ReferralEvent,
    ReferralLink,
    ServiceReferral,
)
from threadline.referrals.sending_services import _is_provider_of
from threadline.referrals.services import (
    NOTE_LIMIT,
    Actor,
    S,
    TransitionRefused,
    _event,
    _ledger,
    _move,
    _provider_referral,
    _sender_referral,
    _timeline,
    _uuid_or_404,
    expire_days,
    hash_token,
    no_answer_days,
    not_connected_days,
    packet_withdrawn,
)
from threadline.referrals.states import (
    WAITING_FOR_ANSWER,
    Side,
)

# --- the provider's side -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProviderView:
    referral: ServiceReferral
    withdrawn: bool
    packet: dict[str, Any] | None


def _provider_view(referral: ServiceReferral, actor: Actor) -> ProviderView:
    if packet_withdrawn(referral):
        return ProviderView(referral, True, None)
    if referral.state == S.SENT:
        _move(referral, S.RECEIVED, actor)
    _ledger(
        referral,
        user=actor.user,
        organization=actor.organization,
        action="disclose",
        purpose=f"service referral packet read ({actor.side})",
    )
    return ProviderView(referral, False, dict(referral.packet or {}))


def referral_provider_open(*, membership: Membership, referral_id: Any) -> ProviderView:
    """The provider's staff open a referral: the packet while a release covers it (a disclosure in the
    ledger), otherwise only that it was withdrawn. The first opening marks it received."""
    with transaction.atomic():
        referral = _provider_referral(membership, referral_id)
        return _provider_view(referral, Actor.of(membership, Side.PROVIDER))


def referral_contact_attempt(*, membership: Membership, referral_id: Any, note: str = "") -> ReferralEvent:
    """The provider (or the sender) tried to reach the youth."""
    note = (note or "").strip()[:NOTE_LIMIT]
    with transaction.atomic():
        if _is_provider_of(membership, referral_id):
            referral = _provider_referral(membership, referral_id)
            if packet_withdrawn(referral):
                raise TransitionRefused(_("This referral was withdrawn."))
            side = Side.PROVIDER
            _ledger(
                referral,
                user=membership.user,
                organization=membership.organization,
                action="referral_contact_attempt",
                purpose="contact attempt recorded",
            )
        else:
            referral = _sender_referral(membership, referral_id, purpose="contact attempt")
            side = Side.SENDER
        if referral.state not in (S.SENT, S.RECEIVED, S.ACCEPTED):
            raise TransitionRefused(_("Contact attempts are recorded while the referral is open."))
        event = _event(
            referral,
            kind=EventKind.CONTACT_ATTEMPT,
            actor=Actor.of(membership, side),
            reason=note,
        )
        _timeline(referral, msg.CONTACT_ATTEMPT(service=referral.service_name), membership)
    return event


def provider_capacity_update(*, membership: Membership, service_id: str, available: int) -> int:
    """The provider says how many beds (or places) it has free now, for one of its own listings."""
    from threadline.directory.services import service_capacity_set

    require(membership, Action.ANSWER_SERVICE_REFERRALS)
    if available < 0 or available > 10_000:
        raise ValidationError({"available": _("Enter a number from 0 to 10000.")})
    link = ProviderLink.objects.filter(organization=membership.organization).first()
    if link is None:
        raise PermissionDenied
    with transaction.atomic():
        service_capacity_set(
            organization_id=link.directory_organization_id, service_id=service_id, available=available
        )
        ledger.entry(
            membership,
            "capacity_update",
            "directory_listing",
            link.directory_organization_id,
            f"available capacity set to {available}",
            category="directory",
        )
    return available


# --- the one-time link -------------------------------------------------------------------------------


def _live_link(raw_token: str, *, lock: bool = False) -> ReferralLink | None:
    qs = ReferralLink.objects.select_related("referral__youth__data_key", "referral__provider")
    if lock:
        qs = qs.select_for_update()
    link = qs.filter(token_hash=hash_token(raw_token or "")).first()
    if link is None or link.used_at is not None or link.expires_at <= timezone.now():
        return None
    return link


def _locked_by_link(raw_token: str) -> tuple[ReferralLink, ServiceReferral] | None:
    """The live link and its referral, both locked; the referral keeps the youth the link loaded."""
    link = _live_link(raw_token, lock=True)
    if link is None:
        return None
    referral = ServiceReferral.objects.select_for_update().get(pk=link.referral_id)
    referral.youth = link.referral.youth
    return link, referral


def referral_link_open(*, raw_token: str) -> ProviderView | None:
    """What the link shows: the packet (while a release covers it) or that it was withdrawn. None: the
    link is unknown, used or expired, which all look alike."""
    with transaction.atomic():
        found = _locked_by_link(raw_token)
        if found is None:
            return None
        _link, referral = found
        return _provider_view(referral, Actor(Side.LINK, None, referral.provider))


def referral_link_answer(*, raw_token: str, accept: bool, reason: str = "") -> ServiceReferral:
    """Accept or decline through the link: its one and only use."""
    with transaction.atomic():
        found = _locked_by_link(raw_token)
        if found is None:
            raise PermissionDenied
        link, referral = found
        if packet_withdrawn(referral):
            raise TransitionRefused(_("This referral was withdrawn."))
        actor = Actor(Side.LINK, None, referral.provider)
        if referral.state == S.SENT:
            _move(referral, S.RECEIVED, actor)
        _move(referral, S.ACCEPTED if accept else S.DECLINED_BY_PROVIDER, actor, reason)
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
    return referral


# --- nobody falls through (the worker) ---------------------------------------------------------------

NO_ANSWER = "no_answer"
NOT_CONNECTED = "not_connected"


def referrals_due_for_reminder(*, now: datetime.datetime | None = None) -> list[tuple[str, str]]:
    """(referral id, kind) of every referral whose wait has run out and that was not yet reminded."""
    now = now or timezone.now()
    no_answer = ServiceReferral.objects.filter(
        state__in=sorted(WAITING_FOR_ANSWER),
        sent_at__lte=now - datetime.timedelta(days=no_answer_days()),
        reminded_no_answer_at__isnull=True,
    ).values_list("pk", flat=True)
    not_connected = ServiceReferral.objects.filter(
        state=S.ACCEPTED,
        sent_at__lte=now - datetime.timedelta(days=not_connected_days()),
        reminded_not_connected_at__isnull=True,
    ).values_list("pk", flat=True)
    return [(str(pk), NO_ANSWER) for pk in no_answer] + [(str(pk), NOT_CONNECTED) for pk in not_connected]


def referral_remind(*, referral_id: Any, kind: str, now: datetime.datetime | None = None) -> bool:
    """Remind the person who follows up, once per wait. Idempotent: a second call does nothing. The
    e-mail carries a count and where to look, never the youth or the need."""
    now = now or timezone.now()
    with transaction.atomic():
        referral = (
            ServiceReferral.objects.select_for_update()
            .select_related("follow_up_by", "youth__data_key")
            .filter(pk=_uuid_or_404(referral_id))
            .first()
        )
        if referral is None:
            return False
        if kind == NO_ANSWER:
            if referral.reminded_no_answer_at is not None or referral.state not in WAITING_FOR_ANSWER:
                return False
            referral.reminded_no_answer_at = now
            field = "reminded_no_answer_at"
            message = gettext_noop(
                "A service referral has had no answer from the provider for %(days)s days."
            )
            days = no_answer_days()
        elif kind == NOT_CONNECTED:
            if referral.reminded_not_connected_at is not None or referral.state != S.ACCEPTED:
                return False
            referral.reminded_not_connected_at = now
            field = "reminded_not_connected_at"
            message = gettext_noop("An accepted service referral is not connected after %(days)s days.")
            days = not_connected_days()
        else:
            return False
        referral.save(update_fields=[field])
        _event(referral, kind=EventKind.REMINDER, actor=Actor(Side.SYSTEM, None, None), reason=kind)
        person = referral.follow_up_by
        if person.is_active:
            with translation.override(person.preferred_language):
                subject = _("Threadline: a referral needs a follow-up")
                body = " ".join([_(message) % {"days": days}, _("Sign in and open My work to see it.")])
            transaction.on_commit(lambda: send_mail(subject, body, None, [person.email]))
    return True


def referrals_expire(*, now: datetime.datetime | None = None) -> int:
    """Referrals that waited for an answer past the limit expire (the sender then picks another)."""
    now = now or timezone.now()
    ids = list(
        ServiceReferral.objects.filter(
            state__in=sorted(WAITING_FOR_ANSWER), sent_at__lte=now - datetime.timedelta(days=expire_days())
        ).values_list("pk", flat=True)
    )
    expired = 0
    for pk in ids:
        with transaction.atomic():
            referral = (
                ServiceReferral.objects.select_for_update()
                .select_related("youth__data_key", "provider")
                .filter(pk=pk, state__in=sorted(WAITING_FOR_ANSWER))
                .first()
            )
            if referral is None:
                continue
            _move(referral, S.EXPIRED, Actor(Side.SYSTEM, None, None))
            expired += 1
    return expired

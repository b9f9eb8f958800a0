"""Every write about service referrals: typed, keyword-only, one transaction each, ledger row inside.

Three kinds of actor move a referral (``states.Side``): the referring staff (through ``access``, the
youth's care plan, write), the provider's own staff (their organization is the referral's provider;
they read only the packet, and only while a release covers it), and a provider without accounts
through its one-time link. The worker expires and reminds.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from threadline.access.categories import Category
from threadline.access.models import ConsentScope
from threadline.accounts.models import Membership, Organization, User
from threadline.audit import ledger
from threadline.core.actions import Action
from threadline.core.ids import uuid_or_raise
from threadline.core.policy import may, require
from threadline.core.roles import OrganizationType
from threadline.referrals import timeline_messages as msg
from threadline.referrals.models import (
    EventKind,
    ProviderLink,
    ReferralEvent,
    ServiceReferral,
)
from threadline.referrals.states import (
    NEEDS_REASON,
    ReferralState,
    Side,
    allowed,
    may_move,
)
from threadline.youth.policy import active_consents, open_youth
from threadline.youth.said import Choice, Said
from threadline.youth.sharing import CONSENT_CATEGORIES

S = ReferralState
NOTE_LIMIT = 1000


def days(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def no_answer_days() -> int:
    return days("REFERRAL_NO_ANSWER_DAYS", 3)


def not_connected_days() -> int:
    return days("REFERRAL_NOT_CONNECTED_DAYS", 14)


def link_days() -> int:
    return days("REFERRAL_LINK_DAYS", 7)


def expire_days() -> int:
    return days("REFERRAL_EXPIRE_DAYS", 30)


class ReferralNotFound(Http404):
    """A referral this person may not see answers exactly like one that does not exist."""


class TransitionRefused(ValidationError):
    """An illegal move, with a message the person can read in their language."""


class ConsentMissing(ValidationError):
    def __init__(self, categories: list[str]) -> None:
        labels = ", ".join(str(Category(c).label) for c in categories)
        super().__init__(
            _("No active release to this provider covers: %(categories)s. Record one first.")
            % {"categories": labels}
        )
        self.categories = categories


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# --- consent -----------------------------------------------------------------------------------------


def uncovered_categories(
    *, youth_id: Any, organization_id: int, categories: Iterable[str], now: datetime.datetime | None = None
) -> list[str]:
    """The packet's categories that no active release to this organization covers (now)."""
    consents = active_consents(now or timezone.now()).filter(
        youth_id=youth_id, organization_id=organization_id
    )
    covered = set(ConsentScope.objects.filter(consent__in=consents).values_list("category", flat=True))
    return [c for c in categories if c not in covered]


def packet_withdrawn(referral: ServiceReferral, now: datetime.datetime | None = None) -> bool:
    """The provider sees the packet only while every category it carries is still released to it, and
    while the referral is neither a draft nor cancelled."""
    if referral.state in (S.DRAFT, S.CANCELLED):
        return True
    return bool(
        uncovered_categories(
            youth_id=referral.youth_id,
            organization_id=referral.provider_id,
            categories=referral.categories,
            now=now,
        )
    )


# --- providers ---------------------------------------------------------------------------------------


def provider_link_ensure(*, directory_organization_id: str, name: str) -> ProviderLink:
    """The Threadline organization that answers for a directory provider: the one already linked, an
    organization of the same name, or a new one without accounts (it answers by one-time link)."""
    link = (
        ProviderLink.objects.select_related("organization")
        .filter(directory_organization_id=directory_organization_id)
        .first()
    )
    if link is not None:
        return link
    organization = Organization.objects.filter(name=name[:200]).first()
    if organization is None or ProviderLink.objects.filter(organization=organization).exists():
        base = name[:180] or "Provider"
        candidate, n = base, 1
        while Organization.objects.filter(name=candidate).exists():
            n += 1
            candidate = f"{base} ({n})"
        organization = Organization.objects.create(name=candidate, org_type=OrganizationType.NON_PROFIT)
    return ProviderLink.objects.create(
        directory_organization_id=directory_organization_id, organization=organization
    )


def provider_answers_in_threadline(organization: Organization) -> bool:
    """Whether someone at the provider may work its inbox; if not, it gets a one-time link."""
    memberships = Membership.objects.filter(organization=organization, is_active=True, user__is_active=True)
    return any(
        may(m, Action.ANSWER_SERVICE_REFERRALS) for m in memberships.select_related("user", "organization")
    )


# --- helpers -----------------------------------------------------------------------------------------


def _uuid_or_404(value: Any) -> Any:
    return uuid_or_raise(value, ReferralNotFound)


def _timeline(referral: ServiceReferral, summary: Said, membership: Membership | None) -> None:
    from threadline.youth.timeline import timeline_add

    timeline_add(
        youth=referral.youth,
        kind="service_referral",
        category=Category.CARE_PLAN,
        summary=summary,
        membership=membership,
        object_type="service_referral",
        object_id=referral.pk,
    )


def _ledger(
    referral: ServiceReferral,
    *,
    user: User | None,
    organization: Organization | None,
    action: str,
    purpose: str,
) -> None:
    ledger.record(
        actor=user,
        organization=organization,
        action=action,
        object_type="service_referral",
        object_id=referral.pk,
        youth_id=referral.youth_id,
        category=",".join(referral.categories),
        purpose=purpose,
    )


def _event(
    referral: ServiceReferral,
    *,
    kind: str,
    actor: Actor,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    at: datetime.datetime | None = None,
) -> ReferralEvent:
    event = ReferralEvent(
        youth=referral.youth,
        referral=referral,
        kind=kind,
        side=actor.side,
        by=actor.user,
        organization=actor.organization,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        at=at or timezone.now(),
    )
    event.save(force_insert=True)
    return event


def _sender_referral(membership: Membership, referral_id: Any, *, purpose: str) -> ServiceReferral:
    """The referral, locked, for the referring side: the person may send referrals and may write the
    youth's care plan. Anything else answers like a missing referral."""
    require(membership, Action.SEND_SERVICE_REFERRALS)
    pk = _uuid_or_404(referral_id)
    youth_id = ServiceReferral.objects.filter(pk=pk).values_list("youth_id", flat=True).first()
    if youth_id is None:
        raise ReferralNotFound
    try:
        youth = open_youth(membership, youth_id, [Category.CARE_PLAN], write=True, purpose=purpose).youth
    except Http404:
        raise ReferralNotFound from None
    referral = ServiceReferral.objects.select_for_update().select_related("provider").get(pk=pk)
    referral.youth = youth
    return referral


def _provider_referral(membership: Membership, referral_id: Any) -> ServiceReferral:
    """The referral, locked, for the provider's own staff. Drafts were never sent: not found."""
    require(membership, Action.ANSWER_SERVICE_REFERRALS)
    pk = _uuid_or_404(referral_id)
    referral = (
        ServiceReferral.objects.select_for_update()
        .select_related("youth__data_key", "provider")
        .filter(pk=pk, provider=membership.organization)
        .exclude(state=S.DRAFT)
        .first()
    )
    if referral is None:
        raise ReferralNotFound
    return referral


@dataclass(frozen=True)
class Actor:
    side: Side
    user: User | None
    organization: Organization | None
    membership: Membership | None = None

    @classmethod
    def of(cls, membership: Membership, side: Side) -> Actor:
        """The person acting, on one side of the referral."""
        return cls(side, membership.user, membership.organization, membership)


def _check(current: str, wanted: str, side: Side, reason: str) -> str:
    """Refuse an illegal move with a message the person can read; returns the cleaned reason."""
    if wanted not in S.values:
        raise TransitionRefused(_("Unknown state."))
    if not allowed(current, wanted):
        raise TransitionRefused(
            _("A referral that is “%(current)s” cannot become “%(wanted)s”.")
            % {"current": S(current).label, "wanted": S(wanted).label}
        )
    if not may_move(side, wanted):
        raise TransitionRefused(
            _("“%(wanted)s” is not yours to record on this referral.") % {"wanted": S(wanted).label}
        )
    reason = (reason or "").strip()
    if wanted in NEEDS_REASON and not reason:
        raise TransitionRefused({"reason": _("Say why, in a few words.")})
    if len(reason) > NOTE_LIMIT:
        raise TransitionRefused({"reason": _("Please keep this under 1000 characters.")})
    return reason


def _move(referral: ServiceReferral, wanted: str, actor: Actor, reason: str = "") -> ServiceReferral:
    current = referral.state
    reason = _check(current, wanted, actor.side, reason)
    now = timezone.now()
    referral.state = wanted
    referral.state_changed_at = now
    referral.version += 1
    fields = ["state", "state_changed_at", "version"]
    if wanted == S.SENT:
        referral.sent_at = now
        fields.append("sent_at")
    if wanted in (S.ACCEPTED, S.DECLINED_BY_PROVIDER) and referral.answered_at is None:
        referral.answered_at = now
        fields.append("answered_at")
    if wanted == S.ACCEPTED:
        referral.accepted_at = now
        fields.append("accepted_at")
    if wanted == S.CONNECTED:
        referral.connected_at = now
        fields.append("connected_at")
    referral.save(update_fields=fields)
    _event(
        referral,
        kind=EventKind.STATE,
        actor=actor,
        from_state=current,
        to_state=wanted,
        reason=reason,
        at=now,
    )
    by: str | Said = actor.organization.name if actor.organization else msg.BY_LINK()
    if actor.side == Side.SYSTEM:
        by = "Threadline"
    _timeline(
        referral,
        msg.REFERRAL_STATE_BY(service=referral.service_name, state=Choice(S(wanted)), by=by),
        actor.membership,
    )
    if actor.side != Side.SENDER:  # the sender's own ledger row was written when the youth was opened
        _ledger(
            referral,
            user=actor.user,
            organization=actor.organization,
            action=f"referral_{wanted}",
            purpose=f"service referral {current} -> {wanted} ({actor.side})",
        )
    return referral


# --- the referring side ------------------------------------------------------------------------------


def _clean_categories(categories: Iterable[str]) -> list[str]:
    chosen = {c for c in categories if c in CONSENT_CATEGORIES}
    chosen.add(Category.CARE_PLAN)  # the need is part of the care plan
    return sorted(chosen)


def _clean_notes(notes: Mapping[str, str], categories: list[str]) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    for category, text in notes.items():
        text = (text or "").strip()
        if category in categories and text:
            if len(text) > NOTE_LIMIT:
                raise ValidationError({"notes": _("Please keep each note under 1000 characters.")})
            cleaned[category] = text
    return cleaned


def referral_draft(
    *,
    membership: Membership,
    youth_id: Any,
    service_id: str,
    need_id: Any = None,
    need_domain: str = "",
    categories: Iterable[str] = (Category.IDENTITY,),
    notes: Mapping[str, str] | None = None,
    replaces_id: Any = None,
) -> ServiceReferral:
    """Start a referral of this youth to a listed service, for a need of the plan."""
    from threadline.care.models import PlanNeed
    from threadline.directory.audience import scope_for
    from threadline.directory.models import ListingIndex

    require(membership, Action.SEND_SERVICE_REFERRALS)
    chosen = _clean_categories(categories)
    cleaned_notes = _clean_notes(notes or {}, chosen)
    with transaction.atomic():
        youth = open_youth(
            membership, youth_id, [Category.CARE_PLAN], write=True, purpose="draft service referral"
        ).youth
        need = None
        if need_id:
            need = PlanNeed.objects.filter(pk=_uuid_or_404(need_id), youth=youth).first()
            if need is None:
                raise ValidationError({"need": _("Choose a need from this youth's plan.")})
            need_domain = need.domain
        if not need_domain:
            raise ValidationError({"need": _("Choose a need from this youth's plan.")})
        scope = scope_for(membership)
        listing = ListingIndex.objects.filter(
            service_id=str(service_id)[:64], listed=True, visibility__in=sorted(scope.levels)
        ).first()
        if listing is None:
            raise ValidationError({"service": _("That service is not in the directory you can see.")})
        link = provider_link_ensure(
            directory_organization_id=listing.organization_id, name=listing.organization_name
        )
        replaces = None
        if replaces_id:
            replaces = ServiceReferral.objects.filter(pk=_uuid_or_404(replaces_id), youth=youth).first()
        referral = ServiceReferral(
            youth=youth,
            need=need,
            need_domain=need_domain,
            directory_service_id=listing.service_id,
            directory_organization_id=listing.organization_id,
            service_name=listing.name,
            provider=link.organization,
            sender_organization=membership.organization,
            follow_up_by=membership.user,
            categories=chosen,
            notes=cleaned_notes,
            packet={},
            replaces=replaces,
            created_by=membership.user,
        )
        referral.save(force_insert=True)
        _event(referral, kind=EventKind.STATE, actor=Actor.of(membership, Side.SENDER), to_state=S.DRAFT)
        _timeline(
            referral, msg.REFERRAL_STATE(service=referral.service_name, state=Choice(S.DRAFT)), membership
        )
    return referral


def referral_packet_update(
    *,
    membership: Membership,
    referral_id: Any,
    categories: Iterable[str],
    notes: Mapping[str, str],
    follow_up_by_id: int | None = None,
) -> ServiceReferral:
    """Change what a draft will carry (and who follows up). Once sent, the packet is fixed."""
    chosen = _clean_categories(categories)
    cleaned = _clean_notes(notes, chosen)
    with transaction.atomic():
        referral = _sender_referral(membership, referral_id, purpose="edit service referral")
        if referral.state != S.DRAFT:
            raise TransitionRefused(_("The packet was sent: it can no longer change."))
        referral.categories = chosen
        referral.notes = cleaned
        fields = ["categories", "notes", "version"]
        if follow_up_by_id is not None:
            person = User.objects.filter(
                pk=follow_up_by_id,
                is_active=True,
                memberships__organization=membership.organization,
                memberships__is_active=True,
            ).first()
            if person is None:
                raise ValidationError({"follow_up_by": _("Choose someone in your organization.")})
            referral.follow_up_by = person
            fields.append("follow_up_by")
        referral.version += 1
        referral.save(update_fields=fields)
    return referral

"""Every write about service referrals: typed, keyword-only, one transaction each, ledger row inside.

Three kinds of actor move a referral (``states.Side``): the referring staff (through ``access``, the
youth's care plan, write), the provider's own staff (their organization is the referral's provider;
they read only the packet, and only while a release covers it), and a provider without accounts
through its one-time link. The worker expires and reminds.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from threadline.access.actions import Action
from threadline.access.categories import Category
from threadline.access.models import ConsentScope
from threadline.access.policy import may
from threadline.access.services import CONSENT_CATEGORIES
from threadline.access.youth_access import active_consents, open_youth
from threadline.accounts.models import Membership, Organization, User
from threadline.accounts.roles import OrganizationType
from threadline.audit import ledger
from threadline.referrals.models import (
    EventKind,
    ProviderFeedback,
    ProviderLink,
    ReferralEvent,
    ReferralLink,
    ServiceReferral,
)
from threadline.referrals.states import (
    NEEDS_REASON,
    TERMINAL,
    WAITING_FOR_ANSWER,
    ReferralState,
    Side,
    allowed,
    may_move,
)
from threadline.youth.models import Youth

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


def _require(membership: Membership | None, action: Action) -> Membership:
    if membership is None or not may(membership, action):
        raise PermissionDenied
    return membership


def _uuid_or_404(value: Any) -> Any:
    import uuid

    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise ReferralNotFound from None


def _timeline(referral: ServiceReferral, summary: str, membership: Membership | None) -> None:
    from threadline.youth.services import timeline_add

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
    side: Side,
    user: User | None,
    organization: Organization | None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    at: datetime.datetime | None = None,
) -> ReferralEvent:
    event = ReferralEvent(
        youth=referral.youth,
        referral=referral,
        kind=kind,
        side=side,
        by=user,
        organization=organization,
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
    _require(membership, Action.SEND_SERVICE_REFERRALS)
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
    _require(membership, Action.ANSWER_SERVICE_REFERRALS)
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
        side=actor.side,
        user=actor.user,
        organization=actor.organization,
        from_state=current,
        to_state=wanted,
        reason=reason,
        at=now,
    )
    by = actor.organization.name if actor.organization else _("the provider (one-time link)")
    if actor.side == Side.SYSTEM:
        by = "Threadline"
    _timeline(
        referral,
        f"Service referral to {referral.service_name}: {S(wanted).label} ({by})",
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

    _require(membership, Action.SEND_SERVICE_REFERRALS)
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
        _event(
            referral,
            kind=EventKind.STATE,
            side=Side.SENDER,
            user=membership.user,
            organization=membership.organization,
            to_state=S.DRAFT,
        )
        _timeline(referral, f"Service referral to {referral.service_name}: {S.DRAFT.label}", membership)
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


def _packet(referral: ServiceReferral, youth: Youth, identity_ok: bool, follow_up: User) -> dict[str, Any]:
    """What the provider will read: the need, the consented categories' fields, only the contact ways
    marked safe, language, and who follows up. Nothing else about the youth."""
    need = referral.need
    packet: dict[str, Any] = {
        "need": {"domain": referral.need_domain, "description": need.description if need else ""},
        "age": youth.estimated_age,
        "languages": list(youth.languages or []),
        "follow_up": {
            "name": follow_up.get_full_name() or follow_up.email,
            "email": follow_up.email,
            "organization": referral.sender_organization.name,
        },
        "categories": list(referral.categories),
        "notes": dict(referral.notes or {}),
        "hand_off": {
            "introduced_in_person": referral.introduced_in_person,
            "first_appointment_on": referral.first_appointment_on.isoformat()
            if referral.first_appointment_on
            else None,
            "transport_arranged": referral.transport_arranged,
        },
    }
    if Category.IDENTITY in referral.categories:
        if not identity_ok:
            raise ValidationError(_("You may not share identity details you cannot see yourself."))
        packet["identity"] = {
            "preferred_name": youth.preferred_name or "",
            "pronouns": youth.pronouns or "",
            "gender_identity": youth.gender_identity or "",
        }
        packet["contact_ways"] = [
            {
                "kind": way.kind,
                "value": way.value,
                "leave_message": bool(way.safe_to_leave_message),
            }
            for way in youth.contact_ways.all()
            if way.safe_to_contact is True  # unknown is not safe
        ]
    return packet


def referral_send(
    *, membership: Membership, referral_id: Any, link_url: Callable[[str], str] | None = None
) -> ServiceReferral:
    """Send a draft: only with an active release to the provider for every category the packet
    carries. A provider without accounts gets a one-time link by e-mail."""
    with transaction.atomic():
        referral = _sender_referral(membership, referral_id, purpose="send service referral")
        _check(referral.state, S.SENT, Side.SENDER, "")
        missing = uncovered_categories(
            youth_id=referral.youth_id, organization_id=referral.provider_id, categories=referral.categories
        )
        if missing:
            raise ConsentMissing(missing)
        opened = open_youth(
            membership,
            referral.youth_id,
            [Category.CARE_PLAN, Category.IDENTITY],
            purpose="build service referral packet",
        )
        for way in opened.youth.contact_ways.all():
            way.youth = opened.youth
        referral.youth = opened.youth
        referral.packet = _packet(
            referral, opened.youth, opened.allows(Category.IDENTITY), referral.follow_up_by
        )
        referral.save(update_fields=["packet"])
        _move(referral, S.SENT, Actor(Side.SENDER, membership.user, membership.organization, membership))
        ledger.record(
            actor=membership.user,
            organization=membership.organization,
            action="disclose",
            object_type="service_referral",
            object_id=referral.pk,
            youth_id=referral.youth_id,
            category=",".join(referral.categories),
            purpose=f"service referral packet to {referral.provider_id}",
        )
        if not provider_answers_in_threadline(referral.provider):
            _link_issue(referral, link_url)
    return referral


def _link_issue(referral: ServiceReferral, link_url: Callable[[str], str] | None) -> ReferralLink:
    from threadline.directory.models import Organization as Listing

    raw = secrets.token_urlsafe(32)
    email = (
        Listing.objects.filter(id=referral.directory_organization_id).values_list("email", flat=True).first()
        or ""
    )
    link = ReferralLink.objects.create(
        referral=referral,
        token_hash=hash_token(raw),
        sent_to=email,
        expires_at=timezone.now() + datetime.timedelta(days=link_days()),
    )
    if email and link_url is not None:
        url = link_url(raw)
        # The e-mail says only that a referral waits: no name, no need, nothing about the youth.
        # The provider has no account, so no language of its own: the message goes in both languages.
        subject, body = _link_mail(url)
        transaction.on_commit(lambda: send_mail(subject, body, None, [email]))
    return link


def _link_mail(url: str) -> tuple[str, str]:
    """Subject and body of the one-time-link e-mail, in English and Spanish. It says only that a
    referral waits: no name, no need, nothing about the youth."""
    subjects, bodies = [], []
    for language in ("en", "es"):
        with translation.override(language):
            subjects.append(_("A referral is waiting for your answer"))
            bodies.append(
                _(
                    "A care coordinator has referred someone to your service through Threadline. Open this "
                    "link within %(days)s days to read the referral and accept or decline it:"
                )
                % {"days": link_days()}
                + f"\n\n{url}\n\n"
                + _("The link works for one answer only.")
            )
    return " / ".join(subjects), "\n\n----\n\n".join(bodies)


def referral_link_reissue(
    *, membership: Membership, referral_id: Any, link_url: Callable[[str], str]
) -> ReferralLink:
    """A fresh one-time link (the old ones stop working), for a provider without accounts."""
    with transaction.atomic():
        referral = _sender_referral(membership, referral_id, purpose="re-send referral link")
        if referral.state not in WAITING_FOR_ANSWER:
            raise TransitionRefused(_("Only a referral waiting for an answer gets a new link."))
        ReferralLink.objects.filter(referral=referral, used_at__isnull=True).update(expires_at=timezone.now())
        return _link_issue(referral, link_url)


def referral_transition(
    *,
    membership: Membership,
    referral_id: Any,
    to_state: str,
    reason: str = "",
    link_url: Callable[[str], str] | None = None,
) -> ServiceReferral:
    """Move a referral, from whichever side this person is on. Sending goes through ``referral_send``."""
    provider = _is_provider_of(membership, referral_id)
    if to_state == S.SENT and not provider:
        return referral_send(membership=membership, referral_id=referral_id, link_url=link_url)
    with transaction.atomic():
        if provider:
            referral = _provider_referral(membership, referral_id)
            if packet_withdrawn(referral):
                raise TransitionRefused(_("This referral was withdrawn."))
            side = Side.PROVIDER
        else:
            referral = _sender_referral(membership, referral_id, purpose=f"service referral: {to_state}")
            side = Side.SENDER
        return _move(
            referral, to_state, Actor(side, membership.user, membership.organization, membership), reason
        )


def _is_provider_of(membership: Membership, referral_id: Any) -> bool:
    if not may(membership, Action.ANSWER_SERVICE_REFERRALS):
        return False
    pk = _uuid_or_404(referral_id)
    return ServiceReferral.objects.filter(pk=pk, provider=membership.organization).exists()


def referral_checklist_update(
    *,
    membership: Membership,
    referral_id: Any,
    introduced_in_person: bool,
    first_appointment_on: datetime.date | None,
    transport_arranged: bool,
) -> ServiceReferral:
    """The warm hand-off: introduced in person, first appointment booked (date), transport arranged."""
    with transaction.atomic():
        referral = _sender_referral(membership, referral_id, purpose="warm hand-off checklist")
        if referral.state in TERMINAL:
            raise TransitionRefused(_("This referral is closed."))
        referral.introduced_in_person = introduced_in_person
        referral.first_appointment_on = first_appointment_on
        referral.transport_arranged = transport_arranged
        referral.version += 1
        referral.save(
            update_fields=["introduced_in_person", "first_appointment_on", "transport_arranged", "version"]
        )
        _event(
            referral,
            kind=EventKind.CHECKLIST,
            side=Side.SENDER,
            user=membership.user,
            organization=membership.organization,
        )
    return referral


def referral_feedback_leave(
    *,
    membership: Membership,
    referral_id: Any,
    treated_with_respect: bool | None,
    would_refer_again: bool | None,
    barriers_met: Iterable[str] = (),
    comment: str = "",
) -> ProviderFeedback:
    """The referring side's word on the provider after completion or a decline. About the service,
    never about the youth: directory admins read it at the listing's yearly audit."""
    from threadline.directory.taxonomy import ACCESS

    comment = (comment or "").strip()
    if len(comment) > 500:
        raise ValidationError({"comment": _("Please keep this under 500 characters.")})
    with transaction.atomic():
        referral = _sender_referral(membership, referral_id, purpose="provider feedback")
        if referral.state not in (S.COMPLETED, S.DECLINED_BY_PROVIDER):
            raise TransitionRefused(_("Feedback is asked for after completion or a decline."))
        if ProviderFeedback.objects.filter(referral=referral).exists():
            raise TransitionRefused(_("Feedback for this referral was already given."))
        feedback = ProviderFeedback.objects.create(
            referral=referral,
            directory_organization_id=referral.directory_organization_id,
            treated_with_respect=treated_with_respect,
            would_refer_again=would_refer_again,
            barriers_met=sorted({b for b in barriers_met if b in ACCESS}),
            comment=comment,
            by=membership.user,
            organization=membership.organization,
        )
        _timeline(referral, f"Feedback on {referral.service_name} recorded", membership)
    return feedback


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
        return _provider_view(
            referral, Actor(Side.PROVIDER, membership.user, membership.organization, membership)
        )


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
            side=side,
            user=membership.user,
            organization=membership.organization,
            reason=note,
        )
        _timeline(referral, f"Service referral to {referral.service_name}: contact attempt", membership)
    return event


def provider_capacity_update(*, membership: Membership, service_id: str, available: int) -> int:
    """The provider says how many beds (or places) it has free now, for one of its own listings."""
    from threadline.directory.services import service_capacity_set

    _require(membership, Action.ANSWER_SERVICE_REFERRALS)
    if available < 0 or available > 10_000:
        raise ValidationError({"available": _("Enter a number from 0 to 10000.")})
    link = ProviderLink.objects.filter(organization=membership.organization).first()
    if link is None:
        raise PermissionDenied
    with transaction.atomic():
        service_capacity_set(
            organization_id=link.directory_organization_id, service_id=service_id, available=available
        )
        ledger.record(
            actor=membership.user,
            organization=membership.organization,
            action="capacity_update",
            object_type="directory_listing",
            object_id=link.directory_organization_id,
            category="directory",
            purpose=f"available capacity set to {available}",
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


def referral_link_open(*, raw_token: str) -> ProviderView | None:
    """What the link shows: the packet (while a release covers it) or that it was withdrawn. None: the
    link is unknown, used or expired, which all look alike."""
    with transaction.atomic():
        link = _live_link(raw_token, lock=True)
        if link is None:
            return None
        referral = ServiceReferral.objects.select_for_update().get(pk=link.referral_id)
        referral.youth = link.referral.youth
        return _provider_view(referral, Actor(Side.LINK, None, referral.provider))


def referral_link_answer(*, raw_token: str, accept: bool, reason: str = "") -> ServiceReferral:
    """Accept or decline through the link: its one and only use."""
    with transaction.atomic():
        link = _live_link(raw_token, lock=True)
        if link is None:
            raise PermissionDenied
        referral = ServiceReferral.objects.select_for_update().get(pk=link.referral_id)
        referral.youth = link.referral.youth
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
            message, days = (
                gettext_noop("A service referral has had no answer from the provider for %(days)s days."),
                no_answer_days(),
            )
        elif kind == NOT_CONNECTED:
            if referral.reminded_not_connected_at is not None or referral.state != S.ACCEPTED:
                return False
            referral.reminded_not_connected_at = now
            field = "reminded_not_connected_at"
            message, days = (
                gettext_noop("An accepted service referral is not connected after %(days)s days."),
                not_connected_days(),
            )
        else:
            return False
        referral.save(update_fields=[field])
        _event(referral, kind=EventKind.REMINDER, side=Side.SYSTEM, user=None, organization=None, reason=kind)
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

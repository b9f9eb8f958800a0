"""The referring side of a service referral after the draft: the packet, sending it, the link, the moves,\nthe checklist and the feedback."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from threadline.access.categories import Category
from threadline.accounts.models import Membership, User
from threadline.audit import ledger
from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.referrals import timeline_messages as msg
from threadline.referrals.models import (
    EventKind,
    ProviderFeedback,
    ReferralLink,
    ServiceReferral,
)
from threadline.referrals.services import (
    Actor,
    ConsentMissing,
    S,
    TransitionRefused,
    _check,
    _event,
    _move,
    _provider_referral,
    _sender_referral,
    _timeline,
    _uuid_or_404,
    hash_token,
    link_days,
    packet_withdrawn,
    provider_answers_in_threadline,
    uncovered_categories,
)
from threadline.referrals.states import (
    TERMINAL,
    WAITING_FOR_ANSWER,
    Side,
)
from threadline.youth.models import Youth
from threadline.youth.policy import open_youth


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
        _move(referral, S.SENT, Actor.of(membership, Side.SENDER))
        ledger.entry(
            membership,
            "disclose",
            "service_referral",
            referral.pk,
            f"service referral packet to {referral.provider_id}",
            category=",".join(referral.categories),
            youth_id=referral.youth_id,
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
        return _move(referral, to_state, Actor.of(membership, side), reason)


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
        _event(referral, kind=EventKind.CHECKLIST, actor=Actor.of(membership, Side.SENDER))
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
        _timeline(referral, msg.FEEDBACK_RECORDED(service=referral.service_name), membership)
    return feedback


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

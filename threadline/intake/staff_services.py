"""Staff intake from any channel (issue 13): a hotline taker, an advocate or a partner with an account
enters a referral (phone, walk-in, text, e-mail, partner system), or turns a logged contact into one in
one step. Signed-in staff are not held to the anonymous page's per-address limit: each account has its
own, wider one (``INTAKE_STAFF_REFERRALS_PER_HOUR``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from threadline.accounts.models import Membership
from threadline.core.actions import Action
from threadline.core.ids import uuid_or_raise
from threadline.core.policy import may, require
from threadline.intake.ledger_rows import record_row
from threadline.intake.models import Contact, Program, Referral, Urgency
from threadline.intake.selectors import programs_for
from threadline.intake.services.referrals import ReferralInput, referral_submit

STAFF_CHANNELS = [
    Referral.Channel.HOTLINE,
    Referral.Channel.WALK_IN,
    Referral.Channel.TEXT,
    Referral.Channel.EMAIL,
    Referral.Channel.PARTNER_SYSTEM,
]

# A logged contact's channel -> the referral's channel.
CONTACT_CHANNEL: dict[str, str] = {
    Contact.Channel.HOTLINE_CALL: Referral.Channel.HOTLINE,
    Contact.Channel.TEXT: Referral.Channel.TEXT,
    Contact.Channel.CHAT: Referral.Channel.TEXT,
    Contact.Channel.WEB_FORM: Referral.Channel.WEB_FORM,
    Contact.Channel.EMAIL: Referral.Channel.EMAIL,
    Contact.Channel.WALK_IN: Referral.Channel.WALK_IN,
    Contact.Channel.IN_FIELD: Referral.Channel.STAFF,
}


class TooManyReferrals(PermissionDenied):
    """This account sent more referrals in the last hour than its limit (answered 429)."""


def staff_referrals_per_hour() -> int:
    return int(getattr(settings, "INTAKE_STAFF_REFERRALS_PER_HOUR", 60))


def programs_to_refer_to(*, membership: Membership) -> QuerySet[Program]:
    """Intake staff refer to their own programs; a partner agency to any program that is run by a Care
    Coordinator (a single point of contact for referrals from any agency)."""
    if may(membership, Action.TAKE_REFERRALS):
        return programs_for(membership=membership)
    return Program.objects.filter(organization__isnull=False).order_by("name")


def _count_against_limit(membership: Membership) -> None:
    key = f"intake:staff-referrals:{membership.user_id}:{timezone.now():%Y%m%d%H}"
    cache.add(key, 0, timeout=3700)
    if cache.incr(key) > staff_referrals_per_hour():
        raise TooManyReferrals


def referral_enter(
    *,
    membership: Membership,
    program_id: int,
    channel: str,
    data: ReferralInput,
    now: datetime | None = None,
) -> Referral:
    """Staff enter a referral heard by phone, in person, by text or e-mail, or from a partner's system."""
    require(membership, Action.ENTER_REFERRAL)
    program = programs_to_refer_to(membership=membership).filter(pk=program_id).first()
    if program is None:
        raise ValidationError({"program": _("Choose the program to refer to.")})
    if channel not in STAFF_CHANNELS:
        raise ValidationError({"channel": _("Choose how the referral came in.")})
    if not data.what_is_known.strip():
        raise ValidationError({"what_is_known": _("Say what is known, in the caller's words.")})
    _count_against_limit(membership)
    return referral_submit(program=program, data=data, channel=channel, now=now, membership=membership)


def contact_to_referral(
    *,
    membership: Membership,
    contact_id: object,
    program_id: int,
    data: ReferralInput,
    now: datetime | None = None,
) -> Referral:
    """One step: the logged contact becomes a referral (its words carried over when none are given,
    "immediate danger" kept as the urgency) and is marked as having become one."""
    require(membership, Action.ENTER_REFERRAL)
    require(membership, Action.TAKE_REFERRALS)
    pk = uuid_or_raise(contact_id, Contact.DoesNotExist)
    program = programs_for(membership=membership).filter(pk=program_id).first()
    if program is None:
        raise ValidationError({"program": _("Choose the program to refer to.")})
    with transaction.atomic():
        contact = (
            Contact.objects.select_for_update()
            .select_related("data_key")
            .filter(pk=pk, organization=membership.organization)
            .first()
        )
        if contact is None:
            raise Contact.DoesNotExist
        if contact.referral_id is not None:
            existing = contact.referral
            assert existing is not None
            return existing
        if not data.what_is_known.strip():
            data = replace(data, what_is_known=contact.message or _("Logged contact"))
        if contact.crisis == Contact.Crisis.IMMEDIATE and data.urgency == Urgency.OTHER:
            data = replace(data, urgency=Urgency.IMMEDIATE_DANGER)
        if data.language == "en" and contact.language:
            data = replace(data, language=contact.language)
        referral = referral_submit(
            program=program,
            data=data,
            channel=CONTACT_CHANNEL.get(contact.channel, Referral.Channel.STAFF),
            now=now,
            membership=membership,
        )
        contact.referral = referral
        contact.outcome = Contact.ContactOutcome.REFERRAL
        contact.save(update_fields=["referral", "outcome"])
        record_row(membership, contact, "link", "contact became a referral")
    return referral

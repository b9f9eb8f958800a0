"""Contacts by any channel, delivered once (idempotency keys)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from threadline.accounts.models import Membership
from threadline.core.actions import Action
from threadline.core.errors import Conflict
from threadline.core.policy import require
from threadline.intake.ledger_rows import record_row
from threadline.intake.models import (
    Contact,
)


class IdempotencyConflict(Conflict):
    """The same Idempotency-Key came back with a different body."""

    def __str__(self) -> str:
        return "This Idempotency-Key was already used with a different body."


@dataclass(frozen=True)
class ContactInput:
    channel: str
    message: str = ""
    sender: str = ""
    caller_role: str = "unknown"
    anonymous: bool = True
    language: str = "en"
    crisis: str = "none"
    outcome: str = "pending"
    received_at: datetime | None = None


def _contact_hash(data: ContactInput) -> str:
    import hashlib
    import json

    payload = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in data.__dict__.items()}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def contact_record(
    *, membership: Membership, data: ContactInput, idempotency_key: str = ""
) -> tuple[Contact, bool]:
    """Log one contact. With an idempotency key, a repeated delivery returns the first contact and
    ``created`` False; the same key with a different body is refused."""
    from django.db import IntegrityError

    from threadline.crypto.datakeys import data_key_create

    require(membership, Action.TAKE_REFERRALS)
    errors: dict[str, str] = {}
    if data.channel not in Contact.Channel.values:
        errors["channel"] = _("Choose how the contact came in.")
    if data.caller_role not in Contact.CallerRole.values:
        errors["caller_role"] = _("Choose who got in touch.")
    if data.crisis not in Contact.Crisis.values:
        errors["crisis"] = _("Choose the crisis level.")
    if data.outcome not in Contact.ContactOutcome.values:
        errors["outcome"] = _("Choose what came of the contact.")
    if len(data.message) > 10_000 or len(data.sender) > 300:
        errors["message"] = _("The message is too long.")
    key = idempotency_key.strip()
    if len(key) > 100:
        errors["idempotency_key"] = _("An Idempotency-Key is at most 100 characters.")
    if errors:
        raise ValidationError(errors)
    digest = _contact_hash(data)

    def existing() -> Contact | None:
        found = Contact.objects.filter(organization=membership.organization, idempotency_key=key).first()
        if found is not None and found.request_hash != digest:
            raise IdempotencyConflict
        return found

    if key and (found := existing()) is not None:
        return found, False
    try:
        with transaction.atomic():
            contact = Contact(
                organization=membership.organization,
                data_key=data_key_create(),
                channel=data.channel,
                caller_role=data.caller_role,
                anonymous=data.anonymous,
                language=data.language[:8],
                crisis=data.crisis,
                outcome=data.outcome,
                message=data.message,
                sender=data.sender.strip(),
                # In UTC: PostgreSQL refuses a time-zone offset beyond ±15:59 that a gateway may send.
                received_at=data.received_at.astimezone(UTC) if data.received_at else timezone.now(),
                recorded_by=membership.user,
                idempotency_key=key,
                request_hash=digest if key else "",
            )
            contact.save(force_insert=True)
            record_row(membership, contact, "create", f"contact ({data.channel})")
    except IntegrityError:
        # Two deliveries raced: the other one won; answer with it.
        if key and (found := existing()) is not None:
            return found, False
        raise
    return contact, True

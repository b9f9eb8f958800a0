"""Transfer to another program on the same installation (issue 14). Each function is one transaction
with its ledger row.

- ``transfer_request``: the sending coordinator records the youth's consent to share chosen categories
  with the receiving program's organization (purpose "transfer", an expiry: the same release of
  information as any other) and asks. Nothing else changes: the sending advocate stays responsible
  until the receiving program accepts, so the youth is never between owners.
- ``transfer_accept``: the receiving coordinator accepts while that consent is active. The receiving
  program gets its own record carrying exactly the consented categories
  (``youth.handoff_services``); the sending team keeps its record, its own history, and sees nothing
  written on the new one. Both timelines show the hand-off.
- ``transfer_decline``: the receiving coordinator declines, with a reason; the sending program keeps
  the youth as before.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from threadline.access.categories import Category
from threadline.accounts.models import Membership
from threadline.audit import ledger
from threadline.core.actions import Action
from threadline.core.ids import int_or_zero
from threadline.core.policy import require
from threadline.intake import timeline_messages as msg
from threadline.intake.models import Transfer
from threadline.intake.move_selectors import program_of_youth, programs_to_transfer_to
from threadline.youth.handoff_services import youth_handoff_copy
from threadline.youth.policy import access_youth, active_consents, parse_youth_id, youth_for_transfer
from threadline.youth.said import Choice
from threadline.youth.sharing import consent_record
from threadline.youth.timeline import timeline_add, timeline_note

TRANSFER_PURPOSE = "transfer"


def _ledger_row(
    membership: Membership,
    transfer: Transfer,
    action: str,
    purpose: str,
    *,
    youth_id: Any,
    categories: Iterable[str] = (),
) -> None:
    """A transfer's ledger row; where records move, it names the categories they carry."""
    ledger.entry(
        membership, action, "transfer", transfer.pk, purpose, category=",".join(categories), youth_id=youth_id
    )


def transfer_request(
    *,
    membership: Membership,
    youth_id: Any,
    to_program_id: Any,
    categories: Iterable[str],
    given_by: str,
    guardian_id: Any = None,
    minor_may_consent_alone: bool = False,
    expires_at: datetime.datetime | None = None,
    signed_form_name: str = "",
) -> Transfer:
    """Ask another program to take the youth on, carrying only what the youth consented to share."""
    require(membership, Action.TRANSFER_YOUTH)
    with transaction.atomic():
        youth = access_youth(
            membership, youth_id, Category.RECORD, write=True, purpose="transfer request", lock=True
        )
        to_program = (
            programs_to_transfer_to(membership=membership).filter(pk=int_or_zero(to_program_id)).first()
        )
        if to_program is None or to_program.organization is None:
            raise ValidationError({"to_program": _("Choose a program run by another organization.")})
        from_program = program_of_youth(membership=membership, youth=youth)
        if from_program is None:
            raise ValidationError({"to_program": _("Your organization runs no program to transfer from.")})
        if Transfer.objects.filter(youth=youth, state=Transfer.State.PENDING).exists():
            raise ValidationError(
                {"to_program": _("A transfer of this youth is already waiting for an answer.")}
            )
        consent = consent_record(
            membership=membership,
            youth_id=youth.pk,
            organization_id=to_program.organization.pk,
            categories=categories,
            purpose=TRANSFER_PURPOSE,
            given_by=given_by,
            guardian_id=guardian_id,
            minor_may_consent_alone=minor_may_consent_alone,
            expires_at=expires_at,
            signed_form_name=signed_form_name,
        )
        transfer = Transfer.objects.create(
            youth=youth,
            from_program=from_program,
            to_program=to_program,
            consent=consent,
            categories=consent.category_list,
            requested_by=membership.user,
        )
        _ledger_row(
            membership,
            transfer,
            "transfer_request",
            f"transfer to program {to_program.pk}",
            youth_id=youth.pk,
            categories=transfer.categories,
        )
        timeline_note(
            membership,
            youth,
            Category.RECORD,
            "transfer_requested",
            msg.TRANSFER_REQUESTED(program=to_program.name),
            ("transfer", transfer.pk),
        )
    return transfer


def _pending_for(membership: Membership, transfer_id: Any) -> Transfer:
    """A pending transfer to one of this person's organization's programs, locked; else the 404 of
    a transfer that does not exist."""
    transfer = (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("from_program", "to_program")
        .filter(pk=parse_youth_id(transfer_id), to_program__organization=membership.organization)
        .first()
    )
    if transfer is None:
        raise Transfer.DoesNotExist
    if transfer.state != Transfer.State.PENDING:
        raise ValidationError(_("This transfer was already answered."))
    return transfer


def transfer_accept(*, membership: Membership, transfer_id: Any) -> Transfer:
    require(membership, Action.TRANSFER_YOUTH)
    now = timezone.now()
    with transaction.atomic():
        transfer = _pending_for(membership, transfer_id)
        if not active_consents(now).filter(pk=transfer.consent_id).exists():
            raise ValidationError(
                _("The youth's consent to this transfer has ended or was withdrawn. Ask the sending program.")
            )
        source = youth_for_transfer(transfer.youth_id)
        _ledger_row(
            membership,
            transfer,
            "transfer_receive",
            f"consented transfer from program {transfer.from_program_id}",
            youth_id=source.pk,
            categories=transfer.categories,
        )
        received = youth_handoff_copy(membership=membership, source=source, categories=transfer.categories)
        transfer.state = Transfer.State.ACCEPTED
        transfer.decided_at = now
        transfer.decided_by = membership.user
        transfer.received_youth = received
        transfer.save(update_fields=["state", "decided_at", "decided_by", "received_youth"])
        timeline_add(
            youth=source,
            kind="transfer_accepted",
            category=Category.RECORD,
            summary=msg.TRANSFER_ACCEPTED(
                program=transfer.to_program.name, from_program=transfer.from_program.name
            ),
            membership=membership,
            object_type="transfer",
            object_id=transfer.pk,
        )
        timeline_add(
            youth=received,
            kind="transfer_received",
            category=Category.RECORD,
            summary=msg.TRANSFER_RECEIVED(
                from_program=transfer.from_program.name,
                categories=tuple(Choice(Category(code)) for code in transfer.categories),
            ),
            membership=membership,
            object_type="transfer",
            object_id=transfer.pk,
        )
    return transfer


def transfer_decline(*, membership: Membership, transfer_id: Any, reason: str = "") -> Transfer:
    require(membership, Action.TRANSFER_YOUTH)
    with transaction.atomic():
        transfer = _pending_for(membership, transfer_id)
        transfer.state = Transfer.State.DECLINED
        transfer.decided_at = timezone.now()
        transfer.decided_by = membership.user
        transfer.decline_reason = reason.strip()[:300]
        transfer.save(update_fields=["state", "decided_at", "decided_by", "decline_reason"])
        _ledger_row(
            membership,
            transfer,
            "transfer_decline",
            f"declined by program {transfer.to_program_id}",
            youth_id=transfer.youth_id,
        )
        timeline_note(
            membership,
            youth_for_transfer(transfer.youth_id),
            Category.RECORD,
            "transfer_declined",
            msg.TRANSFER_DECLINED(program=transfer.to_program.name),
            ("transfer", transfer.pk),
        )
    return transfer

"""Referral -> record as one thread (issue 13): accepting a referral opens (or uses the linked) youth
record and carries the referral into it: the referrer's story as the record's first case note
(encrypted with the youth's key), the language, and (through ``referral_create_youth``) the name,
other names, phone and counties. One service, one transaction; the view is one call.

Lives in ``care`` because a case note is care's: intake may not import care (room order), care may
import intake.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from threadline.access.categories import Category
from threadline.accounts.models import Membership
from threadline.care.choices import ContactType
from threadline.care.models import CaseNote, NoteState
from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.http import AuthedRequest
from threadline.intake import timeline_messages as intake_msg
from threadline.intake.ledger_rows import record_row, referral_on_timeline
from threadline.intake.models import Referral
from threadline.intake.selectors import referral_for_update
from threadline.intake.services.referrals import referral_create_youth
from threadline.youth.policy import access_youth

_CONTACT_TYPE: dict[str, str] = {
    Referral.Channel.HOTLINE: ContactType.PHONE,
    Referral.Channel.TEXT: ContactType.TEXT,
    Referral.Channel.WALK_IN: ContactType.IN_PERSON,
}


def referral_accept(*, membership: Membership, referral_id: object, now: datetime | None = None) -> Referral:
    """Accept the referral into the program. Idempotent: accepting twice adds no second note."""
    if not (may(membership, Action.TAKE_REFERRALS) and may(membership, Action.CREATE_YOUTH)):
        raise PermissionDenied
    now = now or timezone.now()
    with transaction.atomic():
        referral = referral_for_update(membership=membership, referral_id=referral_id)
        if referral is None:
            raise Referral.DoesNotExist
        if referral.status == Referral.Status.ACCEPTED and referral.youth_id is not None:
            return referral
        if referral.youth_id is None:
            referral_create_youth(membership=membership, referral_id=referral.pk)
            referral.refresh_from_db(fields=["youth", "status"])
        youth = access_youth(
            membership, referral.youth_id, Category.CASE_NOTES, write=True, purpose="accept referral"
        )
        if referral.language and referral.language not in youth.languages:
            youth.languages = [*youth.languages, referral.language]
            youth.version += 1  # an edit open elsewhere sees the change instead of overwriting it
            youth.save(update_fields=["languages", "version"])
        note = CaseNote(
            youth=youth,
            author=membership.user,
            organization=membership.organization,
            state=NoteState.FINAL,
            contact_type=_CONTACT_TYPE.get(referral.channel, ""),
            contact_at=referral.received_at,
            with_whom=referral.get_source_display(),
            narrative=f"Referral {referral.reference} ({referral.get_channel_display()}):\n{referral.what_is_known}",
            created_at=now,
            updated_at=now,
            finalized_at=now,
        )
        note.save(force_insert=True)
        referral.status = Referral.Status.ACCEPTED
        referral.updated_at = now
        referral.save(update_fields=["status", "updated_at"])
        accepted = intake_msg.REFERRAL_ACCEPTED(reference=referral.reference)
        referral_on_timeline(
            membership, youth, referral, "referral_accepted", accepted, at=referral.received_at
        )
        carried = "referral accepted: story carried into the record"
        record_row(membership, referral, "update", carried, youth_id=youth.pk)
    return referral


@login_required
@require_POST
def referral_accept_view(request: AuthedRequest, referral_id: str) -> HttpResponse:
    membership = getattr(request, "membership", None)
    if membership is None or not may(membership, Action.TAKE_REFERRALS):
        raise PermissionDenied
    try:
        referral = referral_accept(membership=membership, referral_id=referral_id)
    except Referral.DoesNotExist as exc:
        raise Http404 from exc
    return redirect("care:notes", youth_id=referral.youth_id)

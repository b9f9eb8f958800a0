"""Partner agreements: record, change, end; remind the program admin before one ends.

The agreement rows live in ``access.agreements`` (the consent service reads them on every release);
every write is here, one transaction each, with its ledger row."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from threadline.access.agreements import KINDS_WITHOUT_SHARING, AgreementKind, PartnerAgreement
from threadline.access.categories import Category
from threadline.accounts.models import Membership, Organization, User
from threadline.accounts.selectors import chosen_organization
from threadline.audit import ledger
from threadline.core.actions import Action, organization_may, roles_allowed
from threadline.core.cleaning import clean_text
from threadline.core.errors import expect_version
from threadline.core.policy import require
from threadline.network.base import check_dates, create_owned, own_for_update

SHAREABLE = tuple(c for c in Category.values if c != Category.RECORD)


def _clean(
    kind: str, categories: Iterable[str], signed_on: datetime.date | None, expires_on: datetime.date | None
) -> list[str]:
    if kind not in AgreementKind.values:
        raise ValidationError({"kind": _("Choose the kind of agreement.")})
    chosen = sorted(set(categories))
    if not set(chosen) <= set(SHAREABLE):
        raise ValidationError({"categories": _("Unknown kind of information.")})
    if kind in KINDS_WITHOUT_SHARING and chosen:
        raise ValidationError(
            {"categories": _("A letter of support does not cover sharing information about youths.")}
        )
    check_dates(signed_on, expires_on, field="expires_on")
    return chosen


def agreement_record(
    *,
    membership: Membership,
    partner_id: Any,
    kind: str,
    categories: Iterable[str] = (),
    signed_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
    contacts: str = "",
    note: str = "",
) -> PartnerAgreement:
    require(membership, Action.MANAGE_PARTNERSHIPS)
    chosen = _clean(kind, categories, signed_on, expires_on)
    contacts = clean_text(contacts, field="contacts", limit=2000)
    note = clean_text(note, field="note", limit=4000)
    with transaction.atomic():
        organization = chosen_organization(partner_id, field="partner")
        if organization.pk == membership.organization_id:
            raise ValidationError({"partner": _("Choose a partner organization, not your own.")})
        return create_owned(
            PartnerAgreement,
            membership,
            action="agreement_record",
            object_type="agreement",
            category=",".join(chosen),
            purpose=f"agreement with {organization.pk}: {kind}",
            partner=organization,
            kind=kind,
            categories=chosen,
            signed_on=signed_on,
            expires_on=expires_on,
            contacts=contacts,
            note=note,
        )


def agreement_change(
    *,
    membership: Membership,
    agreement_id: Any,
    version: int,
    categories: Iterable[str],
    signed_on: datetime.date | None,
    expires_on: datetime.date | None,
    contacts: str = "",
    note: str = "",
) -> PartnerAgreement:
    """Renew (a new end date), narrow or widen an agreement. Narrowing never ends releases already
    given: it bounds the next ones. Versioned: two people never overwrite each other."""
    require(membership, Action.MANAGE_PARTNERSHIPS)
    with transaction.atomic():
        agreement = own_for_update(PartnerAgreement, membership, agreement_id)
        expect_version(agreement, version)
        agreement.categories = _clean(agreement.kind, categories, signed_on, expires_on)
        agreement.signed_on = signed_on
        agreement.expires_on = expires_on
        agreement.contacts = clean_text(contacts, field="contacts", limit=2000)
        agreement.note = clean_text(note, field="note", limit=4000)
        agreement.version += 1
        agreement.save(update_fields=["categories", "signed_on", "expires_on", "contacts", "note", "version"])
        ledger.record_by(
            membership,
            action="agreement_change",
            object_type="agreement",
            object_id=agreement.pk,
            category=",".join(agreement.categories),
            purpose=f"ends {agreement.expires_on or 'open'}",
        )
    return agreement


def reminder_days() -> int:
    return int(getattr(settings, "AGREEMENT_REMINDER_DAYS", 60))


def agreements_remind_expiring(*, today: datetime.date | None = None) -> int:
    """E-mail each program's admins (``RECEIVE_AGREEMENT_REMINDERS``) once about the agreements that end
    within ``AGREEMENT_REMINDER_DAYS``. Idempotent: an agreement is reminded once per end date (a
    renewal with a new end date is reminded again when that one comes near). Returns how many
    agreements were reminded. The e-mail names partner agencies only: no youth is in an agreement."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=reminder_days())
    reminded = 0
    with transaction.atomic():
        due = list(
            PartnerAgreement.objects.select_for_update()
            .select_related("program_organization", "partner")
            .filter(expires_on__gte=today, expires_on__lte=horizon)
            .exclude(reminded_for=F("expires_on"))
        )
        by_program: dict[int, list[PartnerAgreement]] = {}
        for agreement in due:
            by_program.setdefault(agreement.program_organization_id, []).append(agreement)
        for agreements in by_program.values():
            program = agreements[0].program_organization
            _send(program, agreements)
            for agreement in agreements:
                PartnerAgreement.objects.filter(pk=agreement.pk).update(reminded_for=agreement.expires_on)
                ledger.record(
                    actor=None,
                    organization=program,
                    action="agreement_remind",
                    object_type="agreement",
                    object_id=agreement.pk,
                    purpose=f"ends {agreement.expires_on}",
                )
            reminded += len(agreements)
    return reminded


def _send(program: Organization, agreements: list[PartnerAgreement]) -> None:
    if not organization_may(program, Action.RECEIVE_AGREEMENT_REMINDERS):
        return
    admins = User.objects.filter(
        memberships__organization=program,
        memberships__is_active=True,
        is_active=True,
        memberships__role__in=roles_allowed(Action.RECEIVE_AGREEMENT_REMINDERS),
    ).distinct()
    link = reverse("network:partners")
    for person in admins:
        with translation.override(person.preferred_language):
            lines = [
                _("%(partner)s: %(kind)s ends on %(day)s")
                % {"partner": a.partner.name, "kind": a.get_kind_display(), "day": a.expires_on}
                for a in agreements
            ]
            send_mail(
                _("Threadline: partner agreements ending soon"),
                _("These partner agreements end soon. Renew them or let them end: %(link)s") % {"link": link}
                + "\n\n"
                + "\n".join(lines),
                None,
                [person.email],
            )

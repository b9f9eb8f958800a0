"""Per-county notification protocol (issue 13): which child-welfare office, which law-enforcement
agency, the state police copy and a backup agency, per county of a program. The program admin keeps
it; the mandatory-report form pre-fills "told whom" from it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from threadline.accounts.models import Membership
from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.intake.ledger_rows import record_row
from threadline.intake.models import CountyProtocol, MandatoryReport, Program
from threadline.intake.selectors import program_is_managed_by


def _county(name: str) -> str:
    return " ".join(name.split()).removesuffix(" County")[:80]


def county_protocol_set(
    *,
    membership: Membership,
    program: Program,
    county: str,
    child_welfare: str = "",
    law_enforcement: str = "",
    state_police_copy: str = "",
    backup_agency: str = "",
) -> CountyProtocol:
    if not may(membership, Action.MANAGE_PROGRAM) or not program_is_managed_by(
        program=program, membership=membership
    ):
        raise PermissionDenied
    with transaction.atomic():
        row, _created = CountyProtocol.objects.update_or_create(
            program=program,
            county=_county(county),
            defaults={
                "child_welfare": child_welfare.strip()[:200],
                "law_enforcement": law_enforcement.strip()[:200],
                "state_police_copy": state_police_copy.strip()[:200],
                "backup_agency": backup_agency.strip()[:200],
                "updated_at": timezone.now(),
            },
        )
        record_row(membership, row, "update", "notification protocol", category="program")
    return row


def protocols_of(*, program: Program) -> QuerySet[CountyProtocol]:
    return program.county_protocols.order_by("county")


def prefill_for(report: MandatoryReport) -> str:
    """The "told whom" a report form starts with, from the referral county's protocol."""
    row = (
        CountyProtocol.objects.filter(
            program_id=report.referral.program_id, county__iexact=_county(report.referral.county)
        ).first()
        if report.referral.county
        else None
    )
    if row is None:
        return ""
    if report.agency == MandatoryReport.Agency.CHILD_WELFARE:
        return row.child_welfare
    parts = [row.law_enforcement, row.state_police_copy and f"copy: {row.state_police_copy}"]
    return "; ".join(part for part in parts if part)[:200]

"""The intake room's ledger rows (and timeline lines about referrals), written one way: each kind of row names itself the same way in every
service (``referral``, ``oncall_shift``, ...), so a write records its row in one short line."""

from __future__ import annotations

from typing import Any

from django.db import models

from threadline.access.categories import Category
from threadline.accounts.models import Membership
from threadline.audit import ledger
from threadline.audit.models import AccessEvent
from threadline.intake.duty_models import Contact, CountyProtocol, FieldResponse
from threadline.intake.models import (
    Alert,
    EligibilityDecision,
    MandatoryReport,
    ReferOutTask,
    Referral,
    Region,
    RuleVersion,
    Shift,
)
from threadline.youth.models import Youth
from threadline.youth.said import Said
from threadline.youth.timeline import timeline_note

# What the ledger calls each kind of row (the names the ledger has always used).
OBJECT_TYPES: dict[type[models.Model], str] = {
    Alert: "alert",
    Contact: "contact",
    CountyProtocol: "county_protocol",
    EligibilityDecision: "eligibility_decision",
    FieldResponse: "field_response",
    MandatoryReport: "mandatory_report",
    ReferOutTask: "refer_out_task",
    Referral: "referral",
    Region: "oncall_region",
    RuleVersion: "rule_version",
    Shift: "oncall_shift",
}


def record_row(
    membership: Membership,
    row: models.Model,
    action: str,
    purpose: str,
    *,
    category: str = "intake",
    youth_id: Any = None,
) -> AccessEvent:
    """One ledger row for a write to ``row`` by the person acting, inside the write's transaction."""
    return ledger.record_by(
        membership,
        action=action,
        object_type=OBJECT_TYPES[type(row)],
        object_id=row.pk,
        youth_id=youth_id,
        category=category,
        purpose=purpose,
    )


def record_referral(
    membership: Membership, referral: Referral, action: str, purpose: str, *, category: str = "intake"
) -> AccessEvent:
    """A ledger row for a referral: it names the youth the referral is linked to (if any)."""
    return record_row(membership, referral, action, purpose, category=category, youth_id=referral.youth_id)


def referral_on_timeline(
    membership: Membership, youth: Youth, referral: Referral, kind: str, summary: Said, *, at: Any = None
) -> None:
    """A line about a referral on the youth's timeline. Never the referrer's words: those stay on the
    referral (readable by intake staff only) or go into a case note, under its own category."""
    timeline_note(membership, youth, Category.RECORD, kind, summary, ("referral", referral.pk), at=at)

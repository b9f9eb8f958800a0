"""Reads of programs, rules, decisions and refer-out tasks, scoped to the person's organization."""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet

from threadline.accounts.models import Membership
from threadline.intake.models import (
    Contact,
    CountyRule,
    MandatoryReport,
    Program,
    ReferOutTask,
    Referral,
    RuleVersion,
)


def program_is_managed_by(*, program: Program, membership: Membership) -> bool:
    """A program belongs to one Care Coordinator organization. An unowned program (a freshly
    migrated demo program) may be taken care of by any organization's program admin."""
    return program.organization_id is None or program.organization_id == membership.organization_id


def programs_for(*, membership: Membership) -> QuerySet[Program]:
    return Program.objects.filter(
        Q(organization__isnull=True) | Q(organization_id=membership.organization_id)
    ).order_by("name")


def program_for(*, membership: Membership, slug: str) -> Program | None:
    return programs_for(membership=membership).filter(slug=slug).first()


def rule_versions_of(*, program: Program) -> QuerySet[RuleVersion]:
    return program.rule_versions.select_related("created_by").order_by("-number")


def counties_of(*, version: RuleVersion) -> QuerySet[CountyRule]:
    return version.counties.order_by("county")


def open_refer_out_tasks(*, membership: Membership) -> QuerySet[ReferOutTask]:
    return (
        ReferOutTask.objects.filter(
            status=ReferOutTask.Status.OPEN,
            program__in=programs_for(membership=membership),
        )
        .select_related("program", "decision")
        .order_by("created_at")
    )


def referral_queue(*, membership: Membership) -> QuerySet[Referral]:
    """The Coordinator's queue: only coarse, non-identifying columns are shown in lists."""
    return (
        Referral.objects.filter(program__in=programs_for(membership=membership))
        .select_related("program", "decision")
        .defer("youth_name", "what_is_known", "referrer_contact")
        .order_by("-urgent", "-received_at")
    )


def referral_for_update(*, membership: Membership, referral_id: object) -> Referral | None:
    """Inside the caller's transaction: the referral locked, or None (missing and forbidden alike)."""
    try:
        pk = uuid.UUID(str(referral_id))
    except ValueError:
        return None
    return (
        Referral.objects.select_for_update(of=("self",))
        .filter(pk=pk, program__in=programs_for(membership=membership))
        .select_related("program", "decision", "data_key")
        .first()
    )


def referral_open(*, membership: Membership, referral_id: object) -> Referral | None:
    """Open one referral to read what the referrer wrote. Identifying: one ledger row per read."""
    from django.db import transaction

    from threadline.access.actions import Action
    from threadline.access.policy import may
    from threadline.audit import ledger

    if not may(membership, Action.TAKE_REFERRALS):
        return None
    try:
        pk = uuid.UUID(str(referral_id))
    except ValueError:
        return None
    with transaction.atomic():
        referral = (
            Referral.objects.filter(pk=pk, program__in=programs_for(membership=membership))
            .select_related("program", "decision__rule_version", "data_key", "youth")
            .first()
        )
        if referral is None:
            return None
        ledger.record(
            actor=membership.user,
            organization=membership.organization,
            action="read",
            object_type="referral",
            object_id=referral.pk,
            youth_id=referral.youth_id,
            category="identity",
            purpose="review referral",
        )
    return referral


def contacts_of(*, membership: Membership) -> QuerySet[Contact]:
    """The organization's contact log; lists never decrypt the words."""
    return (
        Contact.objects.filter(organization_id=membership.organization_id)
        .defer("message", "sender")
        .order_by("-received_at")
    )


def mandatory_reports_open(*, membership: Membership) -> QuerySet[MandatoryReport]:
    return (
        MandatoryReport.objects.filter(
            reported_at__isnull=True, referral__program__in=programs_for(membership=membership)
        )
        .select_related("referral")
        .order_by("due_at")
    )


def mandatory_reports_of(*, referral: Referral) -> QuerySet[MandatoryReport]:
    return referral.mandatory_reports.select_related("reported_by").order_by("agency")


def mandatory_report_for(
    *, membership: Membership, referral_id: object, report_id: int
) -> MandatoryReport | None:
    try:
        pk = uuid.UUID(str(referral_id))
    except ValueError:
        return None
    return (
        MandatoryReport.objects.filter(
            pk=report_id, referral_id=pk, referral__program__in=programs_for(membership=membership)
        )
        .select_related("referral__program")
        .first()
    )

"""Reads of programs, rules, decisions and refer-out tasks, scoped to the person's organization."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from threadline.accounts.models import Membership
from threadline.intake.models import CountyRule, Program, ReferOutTask, RuleVersion


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

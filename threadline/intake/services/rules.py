"""Eligibility rules, decisions and refer-out tasks of a program."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from threadline.accounts.models import Membership
from threadline.core.actions import Action
from threadline.core.policy import may, require
from threadline.intake.choices import Connection, Outcome
from threadline.intake.eligibility import Decision, Question, decide
from threadline.intake.ledger_rows import record_row
from threadline.intake.models import CountyRule, EligibilityDecision, Program, ReferOutTask, RuleVersion
from threadline.intake.selectors import managed_row_locked, program_is_managed_by
from threadline.intake.text import said


@dataclass(frozen=True)
class CountyLimit:
    county: str
    max_age: int
    extended_max_age: int | None = None


def _require_manage(membership: Membership, program: Program) -> None:
    if not may(membership, Action.MANAGE_PROGRAM) or not program_is_managed_by(
        program=program, membership=membership
    ):
        raise PermissionDenied


def _clean_counties(counties: list[CountyLimit], state: str, errors: dict[str, str]) -> list[CountyLimit]:
    """The counties as the state names them, each once, with plausible ages (problems into ``errors``)."""
    from threadline.intake.eligibility import canonical_county

    seen: set[str] = set()
    cleaned: list[CountyLimit] = []
    for row in counties:
        name = canonical_county(row.county, state)
        if name is None:
            errors["counties"] = _("We could not find a county called “%(county)s” in %(state)s.") % {
                "county": row.county,
                "state": state,
            }
            continue
        if name.lower() in seen:
            errors["counties"] = _("%(county)s County is listed twice.") % {"county": name}
            continue
        seen.add(name.lower())
        if not 0 <= row.max_age <= 120:
            errors["counties"] = _("Ages are whole numbers from 0 to 120.")
        if row.extended_max_age is not None and not row.max_age < row.extended_max_age <= 120:
            errors["counties"] = _(
                "The age for youth who started services young must be above the usual age."
            )
        cleaned.append(CountyLimit(name, row.max_age, row.extended_max_age))
    return cleaned


def rules_version_create(
    *,
    membership: Membership,
    program: Program,
    based_on: int,
    counties: list[CountyLimit],
    connections: list[str],
    extension_entry_age: int = 18,
    note: str = "",
) -> RuleVersion:
    """Save an edit of the service area as a new, immutable version. ``based_on`` is the version the
    editor saw: if someone saved a newer one meanwhile, refuse rather than silently overwrite."""
    _require_manage(membership, program)
    errors: dict[str, str] = {}
    if not counties:
        errors["counties"] = _("Add at least one county.")
    cleaned = _clean_counties(counties, program.state, errors)
    kinds = [kind for kind in Connection.values if kind in set(connections)]
    if not kinds or len(set(connections)) != len(kinds):
        errors["connections"] = _("Choose at least one kind of connection to the area.")
    if not 1 <= extension_entry_age <= 120:
        errors["extension_entry_age"] = _("Ages are whole numbers from 0 to 120.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Program.objects.select_for_update().get(pk=program.pk)
        latest = locked.rule_versions.order_by("-number").values_list("number", flat=True).first() or 0
        if latest != based_on:
            raise ValidationError(
                _(
                    "Someone else saved these rules while you were editing (now version %(number)s). "
                    "Your changes are still in the form: check them against the new version and save again."
                )
                % {"number": latest}
            )
        version = RuleVersion.objects.create(
            program=locked,
            number=latest + 1,
            connections=kinds,
            extension_entry_age=extension_entry_age,
            note=note.strip()[:300],
            created_by=membership.user,
        )
        CountyRule.objects.bulk_create(
            [
                CountyRule(
                    version=version,
                    county=row.county,
                    max_age=row.max_age,
                    extended_max_age=row.extended_max_age,
                )
                for row in sorted(cleaned, key=lambda r: r.county)
            ]
        )
        record_row(membership, version, "create", f"eligibility rules v{version.number}", category="program")
    return version


def decision_keep(
    program: Program, rules: RuleVersion, decision: Decision, **extra: Any
) -> EligibilityDecision:
    """The decision kept with the rule version it was made under (``extra``: who decided, and how)."""
    return EligibilityDecision.objects.create(
        program=program,
        rule_version=rules,
        outcome=decision.outcome,
        reason_code=decision.code,
        reason_params=decision.params,
        county=decision.county,
        state=decision.state,
        age=decision.age,
        connection=decision.connection,
        **extra,
    )


def eligibility_decision_record(
    *, membership: Membership, program: Program, question: Question
) -> tuple[EligibilityDecision, Decision]:
    """A coordinator decides and keeps the decision with the rule version used. Not eligible opens a
    refer-out task at once, so the young person is never left at a dead end."""
    require(membership, Action.TAKE_REFERRALS)
    with transaction.atomic():
        rules = program.current_rules()
        decision = decide(program, question, rules)
        if rules is None:
            raise ValidationError(_("This program has no service area yet. Ask the program admin."))
        row = decision_keep(
            program,
            rules,
            decision,
            entered_before_18=decision.entered_before_18,
            decided_by=membership.user,
        )
        if decision.outcome == Outcome.NOT_ELIGIBLE:
            ReferOutTask.objects.create(
                program=program,
                decision=row,
                county=decision.county,
                state=decision.state,
                created_by=membership.user,
            )
        record_row(membership, row, "create", f"eligibility {decision.outcome}")
    return row, decision


def refer_out_task_complete(*, membership: Membership, task_id: int, agency: str) -> ReferOutTask:
    require(membership, Action.TAKE_REFERRALS)
    agency = said(agency, field="agency", limit=200, missing=_("Say which agency you connected them with."))
    with transaction.atomic():
        task = managed_row_locked(ReferOutTask, task_id, membership=membership, program="program")
        if task.status == ReferOutTask.Status.OPEN:
            task.status = ReferOutTask.Status.DONE
            task.completed_at = timezone.now()
            task.completed_by = membership.user
            task.agency = agency
            task.save(update_fields=["status", "completed_at", "completed_by", "agency"])
            record_row(membership, task, "update", "referred out")
    return task


def program_attach(*, program: Program, organization_id: int) -> None:
    """Demo setup: give an unowned program to a Care Coordinator organization."""
    with transaction.atomic():
        Program.objects.filter(pk=program.pk, organization__isnull=True).update(
            organization_id=organization_id
        )

"""Reads of programs, rules, decisions and refer-out tasks, scoped to the person's organization."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from threadline.accounts.models import Membership, Organization
from threadline.core.actions import Action, organization_may
from threadline.core.ids import uuid_or_none
from threadline.core.policy import may
from threadline.intake.models import (
    Contact,
    CountyRule,
    MandatoryReport,
    Program,
    ReferOutTask,
    Referral,
    RuleVersion,
)

if TYPE_CHECKING:
    from threadline.matching.selectors import Candidate

M = TypeVar("M", bound=Model)


def program_is_managed_by(*, program: Program, membership: Membership) -> bool:
    """A program belongs to one Care Coordinator organization. An unowned program (a freshly migrated
    demo program, before anyone takes it on) is looked after only by the Care Coordinator: people of
    a Care Coordinator organization (``is_care_coordinator``), never a partner agency's staff, whatever
    their role. A partner's program admin manages their own users, not the region's intake: otherwise
    they could rewrite who is eligible, or read the referrals and alerts of every unowned program.
    To hand a program to another organization, give it an owner first (``services.program_attach``,
    as the demo loader does, from the command line)."""
    if program.organization_id is None:
        return bool(may(membership, Action.RUN_REGIONAL_INTAKE))
    return program.organization_id == membership.organization_id


def managed_row_locked(model: type[M], row_id: Any, *, membership: Membership, program: str) -> M:
    """Inside the caller's transaction: a row of ``model`` locked, when the program it belongs to (the
    related path ``program``, e.g. ``referral__program``) is one this person manages. A missing row and
    another program's raise the model's ``DoesNotExist`` alike."""
    row = (
        model._default_manager.select_for_update(of=("self",))
        .select_related(program)
        .filter(pk=row_id)
        .first()
    )
    if row is None or not program_is_managed_by(
        program=attrgetter(program.replace("__", "."))(row), membership=membership
    ):
        raise cast(Any, model).DoesNotExist  # the concrete model's own (``Model`` declares none)
    return row


def programs_for(*, membership: Membership) -> QuerySet[Program]:
    """The programs this person works on: their organization's own, and (Care Coordinator only)
    unowned ones. The same rule as ``program_is_managed_by``, as a query."""
    mine = Q(organization_id=membership.organization_id)
    if may(membership, Action.RUN_REGIONAL_INTAKE):
        mine |= Q(organization__isnull=True)
    return Program.objects.filter(mine).order_by("name")


def programs_of_organization(*, organization: Organization) -> QuerySet[Program]:
    """The same programs for an organization with no person acting (the command line): its own, and
    unowned ones where every role may run regional intake (a Care Coordinator organization)."""
    mine = Q(organization_id=organization.pk)
    if organization_may(organization, Action.RUN_REGIONAL_INTAKE):
        mine |= Q(organization__isnull=True)
    return Program.objects.filter(mine).order_by("name")


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
        .defer(
            "youth_name",
            "youth_aliases",
            "youth_date_of_birth",
            "youth_phone",
            "what_is_known",
            "referrer_contact",
        )
        .order_by("-urgent", "-received_at")
    )


def referral_for_update(*, membership: Membership, referral_id: object) -> Referral | None:
    """Inside the caller's transaction: the referral locked, or None (missing and forbidden alike)."""
    pk = uuid_or_none(referral_id)
    if pk is None:
        return None
    return (
        Referral.objects.select_for_update(of=("self",))
        .filter(pk=pk, program__in=programs_for(membership=membership))
        .select_related("program", "decision", "data_key")
        .first()
    )


def referral_locked(*, membership: Membership, referral_id: object) -> Referral:
    """:func:`referral_for_update` for a write: a referral that is missing, or not of this person's
    programs, raises ``Referral.DoesNotExist`` (one answer for both)."""
    referral = referral_for_update(membership=membership, referral_id=referral_id)
    if referral is None:
        raise Referral.DoesNotExist
    return referral


def referral_open(*, membership: Membership, referral_id: object) -> Referral | None:
    """Open one referral to read what the referrer wrote. Identifying: one ledger row per read."""
    from django.db import transaction

    from threadline.core.actions import Action
    from threadline.core.policy import may
    from threadline.intake.ledger_rows import record_referral

    if not may(membership, Action.TAKE_REFERRALS):
        return None
    pk = uuid_or_none(referral_id)
    if pk is None:
        return None
    with transaction.atomic():
        referral = (
            Referral.objects.filter(pk=pk, program__in=programs_for(membership=membership))
            .select_related("program", "decision__rule_version", "data_key", "youth")
            .first()
        )
        if referral is None:
            return None
        record_referral(membership, referral, "read", "review referral", category="identity")
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
    pk = uuid_or_none(referral_id)
    if pk is None:
        return None
    return (
        MandatoryReport.objects.filter(
            pk=report_id, referral_id=pk, referral__program__in=programs_for(membership=membership)
        )
        .select_related("referral__program")
        .first()
    )


# --- likely matches: is this young person already known? ---------------------------------------------


def referral_alias_names(referral: Referral) -> list[str]:
    """The other names a referrer gave, one per line or separated by commas."""
    names = [name.strip() for name in re.split(r"[\n,;]", str(referral.youth_aliases or ""))]
    return list(dict.fromkeys(name[:200] for name in names if name))


def referral_youth_phone(referral: Referral) -> str:
    """The young person's number: the one given for them, or, when the young person referred
    themself, the way they said to reach them (if it is a phone number)."""
    if referral.youth_phone:
        return str(referral.youth_phone)
    contact = str(referral.referrer_contact or "")
    if referral.source == Referral.Source.SELF and sum(ch.isdigit() for ch in contact) >= 7:
        return contact
    return ""


MATCH_LIMIT = 10


def referral_youth_matches(
    *, membership: Membership, referral: Referral, query: str = "", limit: int = MATCH_LIMIT
) -> list[Candidate]:
    """Likely matches for a referral among the youths this person may identify: the matcher's scored,
    explained candidates (``threadline/matching``, plugged in as ``matching/referral_matcher.py``), only
    those worth a look, each one ledgered. No matcher installed: no candidates."""
    from threadline.discovery import app_modules

    found: list[Candidate] = []
    for _label, module in app_modules("referral_matcher"):
        found += module.candidates(membership=membership, referral=referral, query=query, limit=limit)
    return found


def referral_known_elsewhere(*, membership: Membership, referral: Referral) -> list[Any]:
    """Other programs on this installation that may know the referral's youth: their contact only
    (``matching/elsewhere.py``, plugged in as ``matching/referral_matcher.py``), never the record."""
    from threadline.discovery import app_modules

    found: list[Any] = []
    for _label, module in app_modules("referral_matcher"):
        ask = getattr(module, "known_elsewhere", None)
        if ask is not None:
            found += ask(membership=membership, referral=referral)
    return found


# --- the program's pulse: medians of the last 30 days ---------------------------------------------------


@dataclass(frozen=True)
class ClockMedian:
    """The median of the clocks that stopped in the window, how many stopped, and how many are still
    running (those are not in the median: say so rather than hide them)."""

    median: timedelta | None
    stopped: int
    running: int


def _median(durations: list[timedelta]) -> timedelta | None:
    if not durations:
        return None
    return timedelta(seconds=statistics.median(d.total_seconds() for d in durations))


def clock_medians(
    *, membership: Membership, now: datetime | None = None, days: int = 30
) -> dict[str, ClockMedian]:
    """Referral to acknowledgment by the on-call advocate (urgent referrals) and referral to first
    contact with the young person, over the referrals received in the last ``days`` days of this
    person's programs. Only times are read: no name, no referral is opened."""
    from threadline.intake.models import Alert

    now = now or timezone.now()
    since = now - timedelta(days=days)
    programs = programs_for(membership=membership)
    acknowledged: list[timedelta] = []
    waiting = 0
    for started, acked in Alert.objects.filter(
        kind=Alert.Kind.URGENT_REFERRAL, region__program__in=programs, started_at__gte=since
    ).values_list("started_at", "acknowledged_at"):
        if acked is None:
            waiting += 1
        else:
            acknowledged.append(max(acked - started, timedelta(0)))
    reached: list[timedelta] = []
    not_yet = 0
    for received, first, status in Referral.objects.filter(
        program__in=programs, received_at__gte=since
    ).values_list("received_at", "first_contact_at", "status"):
        if first is not None:
            reached.append(max(first - received, timedelta(0)))
        elif status not in CLOSED_WITHOUT_CONTACT:
            not_yet += 1
    return {
        "acknowledgment": ClockMedian(_median(acknowledged), len(acknowledged), waiting),
        "first_contact": ClockMedian(_median(reached), len(reached), not_yet),
    }


# A referral declined, referred out or withdrawn without contact is not waiting for one.
CLOSED_WITHOUT_CONTACT = {Referral.Status.DECLINED, Referral.Status.REDIRECTED, Referral.Status.WITHDRAWN}


def referrals_concerning(*, membership: Membership, youth: Any) -> list[Referral]:
    """The referrals linked to a youth already opened through ``access``, in this person's programs
    (the queue's scope): coarse columns only, the words stay encrypted and unread."""
    return list(
        Referral.objects.filter(youth=youth, program__in=programs_for(membership=membership))
        .only("pk", "reference", "channel", "status", "urgent", "received_at", "program__name")
        .select_related("program")
        .order_by("-received_at")[:20]
    )

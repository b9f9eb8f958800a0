"""The "Today" page (issue 13) for the coordinator and the on-call advocate: what needs doing now,
gathered from intake (new and urgent referrals with their clocks, advocates in the field, overdue
mandatory reports, accepted referrals not yet contacted), care (due tasks) and the youth record
(consents ending within 14 days). Lives in ``care``, the highest room it reads from.

Youth appear by record code and, for people who may see their identity, initials; no story, no
place. Each youth whose initials are shown is one ledger row, like any list of youth data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from threadline.access.categories import Category
from threadline.access.models import Consent
from threadline.accounts.models import Membership
from threadline.audit import ledger
from threadline.care.models import Task
from threadline.care.selectors import my_work
from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.intake.field_services import in_field
from threadline.intake.models import FieldResponse, MandatoryReport, Referral
from threadline.intake.selectors import mandatory_reports_open, referral_queue
from threadline.youth.models import Youth
from threadline.youth.policy import visible_youth
from threadline.youth.selectors import consents_expiring

CONSENT_DAYS = 14


@dataclass(frozen=True)
class ReferralRow:
    referral: Referral
    clock: datetime.timedelta
    youth_label: str  # record code (+ initials), or "" when no record yet


@dataclass
class Today:
    now: datetime.datetime
    new_referrals: list[ReferralRow] = field(default_factory=list)
    accepted_not_contacted: list[ReferralRow] = field(default_factory=list)
    in_field: list[FieldResponse] = field(default_factory=list)
    overdue_reports: list[MandatoryReport] = field(default_factory=list)
    due_tasks: list[Task] = field(default_factory=list)
    consents_ending: list[Consent] = field(default_factory=list)
    labels: dict[object, str] = field(default_factory=dict)


def initials(name: str) -> str:
    return "".join(part[0].upper() + "." for part in name.split() if part[:1].isalpha())[:6]


def _labels(membership: Membership, youths: list[Youth]) -> dict[object, str]:
    """Record code, plus initials for a youth whose identity this person may see (ledgered)."""
    pks = {y.pk for y in youths}
    may_see = set(
        visible_youth(membership, Category.IDENTITY).filter(pk__in=pks).values_list("pk", flat=True)
    )
    labels: dict[object, str] = {}
    shown: list[dict[str, object]] = []
    for youth in youths:
        label = youth.reference
        if youth.pk in may_see:
            short = initials(youth.preferred_name or youth.legal_name or "")
            label = f"{youth.reference} · {short}" if short else youth.reference
            shown.append(
                {
                    "actor": membership.user,
                    "organization": membership.organization,
                    "action": "list",
                    "object_type": "youth",
                    "object_id": youth.pk,
                    "youth_id": youth.pk,
                    "category": Category.IDENTITY,
                    "purpose": "today: initials",
                }
            )
        labels[youth.pk] = label
    with transaction.atomic():
        ledger.record_many(shown)  # one lock and one INSERT, whatever the number of youths
    return labels


def today_of(*, membership: Membership, now: datetime.datetime | None = None) -> Today:
    now = now or timezone.now()
    page = Today(now=now)
    youths: dict[object, Youth] = {}
    fresh: list[Referral] = []
    waiting: list[Referral] = []
    if may(membership, Action.TAKE_REFERRALS):
        queue = referral_queue(membership=membership).select_related("region", "youth__data_key")
        fresh = list(
            queue.filter(
                status__in=[Referral.Status.RECEIVED, Referral.Status.UNDER_REVIEW],
                first_contact_at__isnull=True,
            ).order_by("-urgent", "received_at")[:100]
        )
        waiting = list(
            queue.filter(status=Referral.Status.ACCEPTED, first_contact_at__isnull=True).order_by(
                "received_at"
            )[:100]
        )
        for referral in [*fresh, *waiting]:
            if referral.youth is not None:
                youths[referral.youth.pk] = referral.youth
        page.overdue_reports = list(
            mandatory_reports_open(membership=membership).filter(due_at__lte=now)[:100]
        )
        page.in_field = list(in_field(membership=membership)[:50])
    work = my_work(membership=membership, today=timezone.localdate(now))
    page.due_tasks = [*work.overdue, *work.due_today]
    for task in page.due_tasks:
        youths[task.youth.pk] = task.youth
    page.consents_ending = list(consents_expiring(membership=membership, within_days=CONSENT_DAYS)[:100])
    for consent in page.consents_ending:
        youths[consent.youth.pk] = consent.youth
    labels = _labels(membership, list(youths.values()))
    page.labels = labels

    def row(referral: Referral) -> ReferralRow:
        end = referral.first_contact_at or now
        return ReferralRow(
            referral,
            max(end - referral.received_at, datetime.timedelta(0)),
            labels.get(referral.youth_id, ""),
        )

    page.new_referrals = [row(r) for r in fresh]
    page.accepted_not_contacted = [row(r) for r in waiting]
    return page

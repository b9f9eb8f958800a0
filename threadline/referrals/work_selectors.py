"""Reads of the referral work: the referring side (a youth's referrals, the referral page, what is\noverdue, the dashboard), the provider's inbox and the feedback directory admins read."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from threadline.access.categories import Category
from threadline.accounts.models import Membership
from threadline.audit import ledger
from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.directory import models as dm
from threadline.directory.audience import scope_for
from threadline.referrals.models import ProviderFeedback, ProviderLink, ReferralEvent, ServiceReferral
from threadline.referrals.selectors import (
    NEED_SERVICE_TYPES,
    S,
    Suggestion,
    SuggestQuery,
    _county_codes,
    language_codes,
    suggest,
)
from threadline.referrals.services import (
    ReferralNotFound,
    no_answer_days,
    not_connected_days,
    packet_withdrawn,
    uncovered_categories,
)
from threadline.referrals.states import OPEN_STATES, TERMINAL, WAITING_FOR_ANSWER
from threadline.youth.policy import Opened, open_for, visible_youth

# --- the referring side -------------------------------------------------------------------------------


def referrals_of_youth(
    *, membership: Membership | None, youth_id: Any
) -> tuple[Opened, list[ServiceReferral]]:
    with transaction.atomic():
        opened = open_for(membership, youth_id, Category.CARE_PLAN, purpose="service referrals")
        rows = list(
            ServiceReferral.objects.filter(youth=opened.youth)
            .select_related("provider", "follow_up_by")
            .order_by("-created_at")
        )
    for row in rows:
        row.youth = opened.youth
    return opened, rows


@dataclass
class SenderView:
    referral: ServiceReferral
    opened: Opened
    events: list[ReferralEvent]
    missing_consent: list[str]
    withdrawn: bool
    has_feedback: bool
    link_pending: bool = False
    household: list[Any] = field(default_factory=list)  # who may sign a release (identity only)


def referral_for_sender(*, membership: Membership | None, referral_id: Any) -> SenderView:
    """One referral for the referring side: through the youth's care plan (404 like a missing one)."""
    from threadline.referrals.services import _uuid_or_404

    if not may(membership, Action.SEND_SERVICE_REFERRALS):
        raise ReferralNotFound
    pk = _uuid_or_404(referral_id)
    youth_id = ServiceReferral.objects.filter(pk=pk).values_list("youth_id", flat=True).first()
    if youth_id is None:
        raise ReferralNotFound
    with transaction.atomic():
        try:
            opened = open_for(
                membership, youth_id, Category.CARE_PLAN, Category.IDENTITY, purpose="service referral"
            )
        except Http404:
            raise ReferralNotFound from None
        referral = ServiceReferral.objects.select_related("provider", "follow_up_by", "need").get(pk=pk)
        referral.youth = opened.youth
        events = list(referral.events.select_related("by", "organization"))
        for event in events:
            event.youth = opened.youth
        if referral.need is not None:
            referral.need.youth = opened.youth
        household = []
        if opened.allows(Category.IDENTITY):
            household = list(opened.youth.household.all())
            for member in household:
                member.youth = opened.youth
    missing = (
        uncovered_categories(
            youth_id=referral.youth_id, organization_id=referral.provider_id, categories=referral.categories
        )
        if referral.state not in TERMINAL
        else []
    )
    return SenderView(
        referral=referral,
        opened=opened,
        events=events,
        missing_consent=missing,
        withdrawn=referral.state not in (S.DRAFT,) and packet_withdrawn(referral),
        has_feedback=ProviderFeedback.objects.filter(referral=referral).exists(),
        link_pending=referral.links.filter(used_at__isnull=True, expires_at__gt=timezone.now()).exists(),
        household=household,
    )


def listing_for(*, membership: Membership, service_id: str) -> dm.ListingIndex:
    """A listed service this person may see in the directory (404 otherwise)."""
    listing = dm.ListingIndex.objects.filter(
        service_id=str(service_id)[:64], listed=True, visibility__in=sorted(scope_for(membership).levels)
    ).first()
    if listing is None:
        raise Http404
    return listing


def youths_for_referral(*, membership: Membership) -> list[Any]:
    """Open records whose care plan this person may write: whom they may refer. Record codes only."""
    from threadline.youth.models import RecordStatus

    rows = list(
        visible_youth(membership, Category.CARE_PLAN, write=True)
        .filter(status=RecordStatus.OPEN)
        .only("id", "reference")
        .order_by("reference")[:500]
    )
    _youths_listed(membership, [youth.pk for youth in rows], Category.RECORD, "referrals: choose a youth")
    return rows


def next_suggestion(
    *, membership: Membership, referral: ServiceReferral, opened: Opened, zip_code: str = ""
) -> Suggestion | None:
    """After a decline: the best-ranked service for the same need not yet tried for this youth."""
    tried = tuple(
        ServiceReferral.objects.filter(
            youth_id=referral.youth_id, need_domain=referral.need_domain
        ).values_list("directory_service_id", flat=True)
    )
    youth = referral.youth
    found = suggest(
        SuggestQuery(
            service_types=NEED_SERVICE_TYPES.get(referral.need_domain, ()),
            age=youth.estimated_age,
            languages=tuple(language_codes(youth.languages or ())),
            counties=tuple(_county_codes(opened)),
            zip_code=zip_code,
            exclude=tried,
            limit=1,
        ),
        scope_for(membership),
    )
    return found[0] if found else None


@dataclass
class Overdue:
    referral: ServiceReferral
    why: str


def _overdue_filter(now: datetime.datetime) -> Q:
    return Q(
        state__in=sorted(WAITING_FOR_ANSWER), sent_at__lte=now - datetime.timedelta(days=no_answer_days())
    ) | Q(state=S.ACCEPTED, sent_at__lte=now - datetime.timedelta(days=not_connected_days()))


def _why(referral: ServiceReferral) -> str:
    if referral.state in WAITING_FOR_ANSWER:
        return _("No answer in %(n)s days") % {"n": no_answer_days()}
    return _("Not connected in %(n)s days") % {"n": not_connected_days()}


def referrals_overdue(
    *, membership: Membership | None, now: datetime.datetime | None = None, mine_only: bool = True
) -> list[Overdue]:
    """Referrals nobody may let fall through: no answer in N days, or accepted and not connected in
    N days. For My work: the ones this person follows up (or all of the caseload they may see)."""
    now = now or timezone.now()
    if membership is None or not may(membership, Action.SEND_SERVICE_REFERRALS):
        return []
    visible = visible_youth(membership, Category.CARE_PLAN).values("pk")
    qs = ServiceReferral.objects.filter(_overdue_filter(now), youth__in=visible)
    if mine_only:
        qs = qs.filter(follow_up_by=membership.user)
    rows = list(qs.select_related("youth__data_key", "provider").order_by("sent_at")[:100])
    _ledger_list(membership, rows, "referrals: overdue")
    return [Overdue(r, _why(r)) for r in rows]


def _ledger_list(membership: Membership, rows: Sequence[ServiceReferral], purpose: str) -> None:
    _youths_listed(membership, list(dict.fromkeys(r.youth_id for r in rows)), Category.CARE_PLAN, purpose)


def _youths_listed(membership: Membership, youth_ids: list[Any], category: str, purpose: str) -> None:
    """One ledger row for each youth a list showed."""
    with transaction.atomic():
        for youth_pk in youth_ids:
            ledger.entry(membership, "list", "youth", youth_pk, purpose, category=category, youth_id=youth_pk)


@dataclass
class Dashboard:
    counts: dict[str, int]
    open: list[ServiceReferral]
    overdue: list[Overdue]
    closed_recently: list[ServiceReferral]


def referral_dashboard(*, membership: Membership | None, now: datetime.datetime | None = None) -> Dashboard:
    """The referring side's loop at a glance: every referral of the youths this person may see."""
    now = now or timezone.now()
    if membership is None or not may(membership, Action.SEND_SERVICE_REFERRALS):
        raise Http404
    visible = visible_youth(membership, Category.CARE_PLAN).values("pk")
    qs = ServiceReferral.objects.filter(youth__in=visible).select_related("youth__data_key", "provider")
    counts = {state: 0 for state in S.values}
    for state in qs.values_list("state", flat=True):
        counts[state] += 1
    open_rows = list(qs.filter(state__in=sorted(OPEN_STATES | {S.DRAFT})).order_by("state_changed_at")[:200])
    closed = list(
        qs.filter(
            state__in=sorted(TERMINAL), state_changed_at__gte=now - datetime.timedelta(days=30)
        ).order_by("-state_changed_at")[:50]
    )
    overdue_rows = [r for r in open_rows if _is_overdue(r, now)]
    _ledger_list(membership, [*open_rows, *closed], "referrals: dashboard")
    return Dashboard(counts, open_rows, [Overdue(r, _why(r)) for r in overdue_rows], closed)


def _is_overdue(referral: ServiceReferral, now: datetime.datetime) -> bool:
    if referral.sent_at is None:
        return False
    if referral.state in WAITING_FOR_ANSWER:
        return referral.sent_at <= now - datetime.timedelta(days=no_answer_days())
    if referral.state == S.ACCEPTED:
        return referral.sent_at <= now - datetime.timedelta(days=not_connected_days())
    return False


# --- the provider's inbox ---------------------------------------------------------------------------


@dataclass
class InboxRow:
    referral: ServiceReferral
    withdrawn: bool


def inbox(*, membership: Membership | None) -> list[InboxRow]:
    """The provider organization's own queue (not one person's): everything sent to it, newest first.
    Shows the service, the need's domain, the state and dates: no youth data; the packet is opened
    one referral at a time, through the release."""
    if membership is None or not may(membership, Action.ANSWER_SERVICE_REFERRALS):
        raise Http404
    rows = list(
        ServiceReferral.objects.filter(provider=membership.organization)
        .exclude(state=S.DRAFT)
        .select_related("sender_organization")
        .order_by("-state_changed_at")[:200]
    )
    now = timezone.now()
    return [InboxRow(r, packet_withdrawn(r, now)) for r in rows]


def provider_services(*, membership: Membership | None) -> QuerySet[dm.ListingIndex]:
    """The directory listings of this provider organization (for updating capacity)."""
    if membership is None or not may(membership, Action.ANSWER_SERVICE_REFERRALS):
        raise Http404
    link = ProviderLink.objects.filter(organization=membership.organization).first()
    if link is None:
        return dm.ListingIndex.objects.none()
    return dm.ListingIndex.objects.filter(organization_id=link.directory_organization_id).order_by("name")


# --- feedback for directory admins ------------------------------------------------------------------


@dataclass
class FeedbackSummary:
    count: int
    respectful: int
    not_respectful: int
    refer_again: int
    not_again: int
    barriers: dict[str, int]
    recent: list[ProviderFeedback]


def feedback_for_listing(*, membership: Membership | None, directory_organization_id: str) -> FeedbackSummary:
    """What referring staff said about this provider: counts and recent comments, no youth."""
    if not may(membership, Action.MANAGE_DIRECTORY):
        raise Http404
    rows = list(
        ProviderFeedback.objects.filter(directory_organization_id=directory_organization_id)
        .select_related("organization")
        .order_by("-at")
    )
    barriers: dict[str, int] = {}
    for row in rows:
        for code in row.barriers_met:
            barriers[code] = barriers.get(code, 0) + 1
    return FeedbackSummary(
        count=len(rows),
        respectful=sum(1 for r in rows if r.treated_with_respect is True),
        not_respectful=sum(1 for r in rows if r.treated_with_respect is False),
        refer_again=sum(1 for r in rows if r.would_refer_again is True),
        not_again=sum(1 for r in rows if r.would_refer_again is False),
        barriers=barriers,
        recent=rows[:10],
    )


def categories_labels(categories: Iterable[str]) -> list[str]:
    return [str(Category(c).label) for c in categories if c in Category.values]


def events_of(*, referral: ServiceReferral) -> list[ReferralEvent]:
    """A referral's state history for its provider: who moved it when, without the referring side's
    reasons (a youth's reason for declining is not the provider's to read)."""
    events = list(referral.events.filter(kind="state").select_related("organization"))
    for event in events:
        event.youth = referral.youth
        if event.side not in ("provider", "link"):
            event.reason = ""
    return events


def service_referrals_for_record(*, youth: Any) -> list[ServiceReferral]:
    """The service referrals of a youth already opened for the care plan (the record page's list)."""
    return list(
        ServiceReferral.objects.filter(youth=youth).select_related("provider").order_by("-created_at")[:20]
    )

"""Every read about service referrals: suggestions with reasons, the referring side's lists (through
``access``), the provider's inbox (its own organization's queue), what is overdue, and the feedback
directory admins read at a listing's yearly audit."""

from __future__ import annotations

import datetime
import math
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
from threadline.directory.audience import Scope, scope_for
from threadline.directory.geo import cells_around, haversine_miles, zip_point
from threadline.directory.models import FacetKind
from threadline.directory.search_index import tag
from threadline.directory.taxonomy import ACCESS, LANGUAGES, POPULATIONS, SERVICE_TYPES
from threadline.referrals.models import ProviderFeedback, ProviderLink, ReferralEvent, ServiceReferral
from threadline.referrals.services import (
    ReferralNotFound,
    no_answer_days,
    not_connected_days,
    packet_withdrawn,
    uncovered_categories,
)
from threadline.referrals.states import OPEN_STATES, TERMINAL, WAITING_FOR_ANSWER, ReferralState
from threadline.youth.policy import Opened, open_youth, visible_youth

S = ReferralState

# Which directory service types answer which need of the plan (care.choices.NeedDomain).
NEED_SERVICE_TYPES: dict[str, tuple[str, ...]] = {
    "safety": ("shelter", "advocacy", "hotline"),
    "housing": ("shelter", "housing"),
    "basic_needs": ("basic-needs",),
    "physical_health": ("medical",),
    "behavioral_health": ("mental-health",),
    "substance_use": ("substance-use",),
    "education": ("education",),
    "employment": ("education",),
    "legal": ("legal",),
    "identity_documents": ("legal", "case-management"),
    "family": ("case-management",),
    "social_support": ("mentoring", "advocacy"),
    "other": ("case-management", "advocacy"),
}
CANDIDATES = 1000  # rows read and ranked per suggestion: plenty for one county or radius
BED_TYPES = ("shelter", "housing")


# --- suggestions ---------------------------------------------------------------------------------------


@dataclass
class SuggestQuery:
    service_types: tuple[str, ...]
    age: int | None = None
    languages: tuple[str, ...] = ()
    counties: tuple[str, ...] = ()  # FIPS codes the youth is connected to
    zip_code: str = ""
    radius_miles: int = 25
    gender: str = ""
    access: tuple[str, ...] = ()  # barriers the service must not put up
    populations: tuple[str, ...] = ()  # specializations that rank a service higher
    exclude: tuple[str, ...] = ()  # service ids already tried
    limit: int = 10


@dataclass
class Suggestion:
    listing: dm.ListingIndex
    score: float
    distance_miles: float | None
    reasons: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return " · ".join(self.reasons)


def _facets(tags: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for word in tags.split():
        kind, _sep, value = word.partition(":")
        found.setdefault(kind, set()).add(value)
    return found


def _ages(listing: dm.ListingIndex) -> str:
    low, high = listing.min_age, listing.max_age
    if low <= 0 and high >= 120:
        return _("all ages")
    if high >= 120:
        return _("serves %(low)s and older") % {"low": low}
    return _("serves %(low)s–%(high)s") % {"low": max(low, 0), "high": high}


def suggest_querysets(query: SuggestQuery, scope: Scope) -> list[QuerySet[dm.ListingIndex]]:
    """The indexed statements behind ``suggest``: the candidates, before ranking.

    The place drives (a few hundred listings serve one county or sit in the grid cells around a ZIP
    code): one statement by primary key for the listings serving the youth's counties (read first
    from the county facet's index), one by the cell index near the ZIP code; each planned on its own
    index by both databases (an OR of the two is not). Every other condition is checked in those rows
    (the ``tags`` words; the age in ``suggest``). With no place at all, the service type drives."""
    base = dm.ListingIndex.objects.filter(listed=True, visibility__in=sorted(scope.levels))
    types = [t for t in query.service_types if t in SERVICE_TYPES]
    if not types:
        return []
    for code in query.access:
        base = base.filter(tags__contains=tag(FacetKind.ACCESS, code))
    if query.gender:
        base = base.filter(
            Q(tags__contains=tag(FacetKind.GENDER, query.gender)) | ~Q(tags__contains=f" {FacetKind.GENDER}:")
        )
    if query.exclude:
        base = base.exclude(service_id__in=list(query.exclude))
    base = base.only(
        "service_id",
        "organization_id",
        "name",
        "organization_name",
        "tags",
        "min_age",
        "max_age",
        "capacity_available",
        "lat",
        "lon",
    )
    of_type = Q()
    for code in types:
        of_type |= Q(tags__contains=tag(FacetKind.SERVICE_TYPE, code))
    located: list[QuerySet[dm.ListingIndex]] = []
    if query.counties:
        serving = list(
            dm.ListingFacet.objects.filter(kind=FacetKind.COUNTY, value__in=list(query.counties)).values_list(
                "listing_id", flat=True
            )
        )
        located.append(base.filter(of_type, service_id__in=serving)[:CANDIDATES])
    origin = zip_point(query.zip_code) if query.zip_code else None
    if origin is not None:
        cells = cells_around(origin.lat, origin.lon, max(1, min(query.radius_miles, 250)))
        located.append(base.filter(of_type, cell__in=cells)[:CANDIDATES])
    if located:
        return located
    anywhere = base.filter(
        service_id__in=dm.ListingFacet.objects.filter(kind=FacetKind.SERVICE_TYPE, value__in=types).values(
            "listing_id"
        )
    )
    if query.age is not None:
        anywhere = anywhere.filter(min_age__lte=query.age, max_age__gte=query.age)
    return [anywhere.order_by("name", "service_id")[:CANDIDATES]]


def suggest(query: SuggestQuery, scope: Scope) -> list[Suggestion]:
    """Vetted, listed services of the right type that the youth fits (age; gender served; the barriers
    asked to be absent), in one of the youth's counties or near their ZIP code; ranked, each with the
    reason shown. Reads only the directory's search index: one indexed query, then ranking in memory."""
    seen: dict[str, dm.ListingIndex] = {}
    for qs in suggest_querysets(query, scope):
        for row in qs:
            seen.setdefault(row.service_id, row)
    rows = list(seen.values())
    origin = zip_point(query.zip_code) if query.zip_code else None
    miles = max(1, min(query.radius_miles, 250))
    counties = set(query.counties)
    wanted_languages = [code for code in query.languages if code in LANGUAGES]
    ranked: list[Suggestion] = []
    for listing in rows:
        if query.age is not None and not listing.min_age <= query.age <= listing.max_age:
            continue
        facets = _facets(listing.tags)
        distance = None
        if origin is not None and listing.lat is not None and listing.lon is not None:
            distance = round(haversine_miles(origin.lat, origin.lon, listing.lat, listing.lon), 1)
        served = counties & facets.get(FacetKind.COUNTY, set())
        if origin is not None and not served and (distance is None or distance > miles):
            continue  # near the ZIP's cells but outside the radius, and not serving the youth's county
        score = 0.0
        reasons = [_ages(listing)]
        for code in wanted_languages:
            if code in facets.get(FacetKind.LANGUAGE, set()):
                score += 2 if code != "en" else 0.5
                if code != "en":
                    reasons.append(str(LANGUAGES[code]))
        if distance is not None:
            score -= min(distance, 100) / 10
            reasons.append(_("%(miles)s mi") % {"miles": distance})
        if served:
            score += 1
            reasons.append(_("serves your county"))
        populations = facets.get(FacetKind.POPULATION, set())
        if "trafficking-survivors" in populations:
            score += 3
            reasons.append(_("trafficking-specialised"))
        for code in query.populations:
            if code in populations and code != "trafficking-survivors":
                score += 2
                reasons.append(str(POPULATIONS.get(code, code)))
        if set(facets.get(FacetKind.SERVICE_TYPE, set())) & set(BED_TYPES):
            if listing.capacity_available > 0:
                score += 1.5
                reasons.append(_("%(n)s beds free") % {"n": listing.capacity_available})
            else:
                reasons.append(_("no beds free now"))
        for code in sorted(facets.get(FacetKind.ACCESS, set())):
            if code in ACCESS:
                score += 0.5 if code not in query.access else 0
                reasons.append(str(ACCESS[code]))
        ranked.append(Suggestion(listing, score, distance, reasons))
    ranked.sort(
        key=lambda s: (
            -s.score,
            s.distance_miles if s.distance_miles is not None else math.inf,
            s.listing.name,
        )
    )
    return ranked[: max(1, query.limit)]


def language_codes(values: Iterable[str]) -> list[str]:
    """A youth's languages as the directory's codes: the record may hold codes ("es") or names
    ("Spanish", "español")."""
    from django.utils import translation

    names: dict[str, str] = {}
    for code, label in LANGUAGES.items():
        names[code] = code
        for language in ("en", "es"):
            with translation.override(language):
                names[str(label).lower()] = code
    found: list[str] = []
    for value in values:
        known = names.get(str(value).strip().lower())
        if known and known not in found:
            found.append(known)
    return found


@dataclass
class NeedContext:
    """What the suggestion form starts from for one youth and need: filled from the record where this
    person may see it, changed freely on the form."""

    opened: Opened
    need: Any
    age: int | None
    languages: list[str]
    counties: list[str]
    needs: list[Any]


def need_context(*, membership: Membership | None, youth_id: Any, need_id: Any = None) -> NeedContext:
    from threadline.care.models import PlanNeed

    if not may(membership, Action.SEND_SERVICE_REFERRALS):
        raise Http404
    with transaction.atomic():
        opened = open_youth(
            membership,
            youth_id,
            [Category.CARE_PLAN, Category.IDENTITY],
            purpose="suggest services",
            require=Category.CARE_PLAN,
            write=True,
        )
        youth = opened.youth
        needs = list(
            PlanNeed.objects.filter(youth=youth, met_on__isnull=True).order_by("domain", "created_at")
        )
        for row in needs:
            row.youth = youth
        need = next((n for n in needs if str(n.pk) == str(need_id)), None) if need_id else None
        counties = _county_codes(opened)
    return NeedContext(
        opened, need, youth.estimated_age, language_codes(youth.languages or []), counties, needs
    )


# --- the referring side -------------------------------------------------------------------------------


def referrals_of_youth(
    *, membership: Membership | None, youth_id: Any
) -> tuple[Opened, list[ServiceReferral]]:
    with transaction.atomic():
        opened = open_youth(
            membership,
            youth_id,
            [Category.CARE_PLAN],
            purpose="service referrals",
            require=Category.CARE_PLAN,
        )
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
            opened = open_youth(
                membership,
                youth_id,
                [Category.CARE_PLAN, Category.IDENTITY],
                purpose="service referral",
                require=Category.CARE_PLAN,
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
    with transaction.atomic():
        for youth in rows:
            ledger.record(
                actor=membership.user,
                organization=membership.organization,
                action="list",
                object_type="youth",
                object_id=youth.pk,
                youth_id=youth.pk,
                category=Category.RECORD,
                purpose="referrals: choose a youth",
            )
    return rows


def _county_codes(opened: Opened) -> list[str]:
    from threadline.directory.geo import county_fips

    counties: list[str] = []
    if opened.allows(Category.IDENTITY):
        for connection in opened.youth.counties.all():
            connection.youth = opened.youth
            fips = county_fips(connection.county)
            if fips and fips not in counties:
                counties.append(fips)
    return counties


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
    with transaction.atomic():
        for youth_pk in dict.fromkeys(r.youth_id for r in rows):
            ledger.record(
                actor=membership.user,
                organization=membership.organization,
                action="list",
                object_type="youth",
                object_id=youth_pk,
                youth_id=youth_pk,
                category=Category.CARE_PLAN,
                purpose=purpose,
            )


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

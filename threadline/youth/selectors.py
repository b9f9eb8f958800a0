"""Every read of youth data, scoped through ``access`` and written to the ledger."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from threadline.access.categories import Category
from threadline.access.models import BreakGlass, CareTeamMember, Consent
from threadline.accounts.models import Membership
from threadline.audit import ledger
from threadline.audit.models import AccessEvent
from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.crypto import blind
from threadline.youth.fields import editable_categories
from threadline.youth.models import MeetingPreference, SearchToken, TimelineEntry, Youth
from threadline.youth.policy import (
    ALL_CATEGORIES,
    Opened,
    YouthNotFound,
    active_consents,
    categories_open_to,
    open_for,
    open_youth,
    visible_youth,
)

SEARCH_LIMIT = 25
# A record code as My work, the timeline and emergency access show it ("Y-GJCFVC"), in any case.
_REFERENCE = re.compile(r"^\s*(Y-[A-Z0-9]{6})\s*$", re.IGNORECASE)
_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$|^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


@dataclass(frozen=True)
class ListedYouth:
    youth: Youth
    show_name: bool

    @property
    def display_name(self) -> str:
        if not self.show_name:
            return self.youth.reference
        return self.youth.preferred_name or self.youth.legal_name or self.youth.reference


def _query_groups(query: str) -> list[set[str]]:
    """Each group is one thing the person typed; a youth matches a group if any digest in it matches.
    Digests under every blind-index key listed: search keeps working while a key is replaced."""
    from threadline.crypto.keys import blind_index_keys

    per_key: list[list[set[str]]] = []
    for _key_id, key in blind_index_keys():
        with blind.using(key):
            per_key.append(_query_groups_one_key(query))
    return [set().union(*parts) for parts in zip(*per_key, strict=True)]


def _query_groups_one_key(query: str) -> list[set[str]]:
    groups: list[set[str]] = []
    match = _DATE.match(query)
    if match:
        try:
            if match.group(1):
                day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            else:
                day = date(int(match.group(6)), int(match.group(4)), int(match.group(5)))
            return [{blind.dob_digest(day)}]
        except ValueError:
            return []
    phone = blind.phone_digest(query) if sum(ch.isdigit() for ch in query) >= 7 else None
    if phone:
        return [{phone}]
    for _token, digests in blind.name_digests(query).items():
        groups.append(digests)
    return groups[:6]


def _ledger_listing(membership: Membership, youths: Sequence[ListedYouth], action: str, purpose: str) -> None:
    """One ledger row per youth shown, written in one batch."""
    ledger.record_many_by(
        membership,
        [
            ledger.Row(
                action=action,
                object_type="youth",
                object_id=item.youth.pk,
                youth_id=item.youth.pk,
                category=Category.IDENTITY if item.show_name else Category.RECORD,
                purpose=purpose,
            )
            for item in youths
        ],
    )


def youth_search(
    *, membership: Membership | None, query: str, limit: int = SEARCH_LIMIT
) -> list[ListedYouth]:
    """Find youths by name, alias, date of birth or phone, among those the person may identify.
    Cost grows with the number of matching index rows, never with the number of youths."""
    if membership is None:
        return []
    code = _REFERENCE.match(query[:200])
    if code:
        return _search_by_reference(membership, code.group(1).upper())
    groups = _query_groups(query[:200])
    if not groups:
        return []
    limit = max(1, min(limit, 50))
    visible = visible_youth(membership, Category.IDENTITY).select_related("data_key")
    # Every word typed must match (exactly or by sound): "Maria Lopez" means both. Each word is one
    # indexed lookup; the database intersects them, so the cost follows the matching rows only.
    matching = visible
    for digests in groups:
        matching = matching.filter(pk__in=SearchToken.objects.filter(digest__in=digests).values("youth_id"))
    rows = list(matching.order_by("-updated_at")[:limit])
    if not rows and len(groups) > 1:
        # Nobody matches every word (a misheard surname, a changed name): rank by how many words match.
        score: Any = Value(0)
        for digests in groups:
            hit = Exists(SearchToken.objects.filter(youth=OuterRef("pk"), digest__in=digests))
            score = score + Case(When(hit, then=Value(1)), default=Value(0), output_field=IntegerField())
        any_word = visible.filter(
            pk__in=SearchToken.objects.filter(digest__in=set().union(*groups)).values("youth_id")
        )
        rows = list(any_word.annotate(score=score).order_by("-score", "-updated_at")[:limit])
    results = [ListedYouth(youth=y, show_name=True) for y in rows]
    with transaction.atomic():
        _ledger_listing(membership, results, "search", "search by name, date of birth or phone")
    return results


def _search_by_reference(membership: Membership, reference: str) -> list[ListedYouth]:
    """The one youth with this record code, if the person may see it at all (through the policy, like
    every search); the name only where identity is shared. A code is exact: no near matches."""
    rows = list(
        visible_youth(membership, Category.RECORD).filter(reference=reference).select_related("data_key")
    )
    named = rows and visible_youth(membership, Category.IDENTITY).filter(pk=rows[0].pk).exists()
    results = [ListedYouth(youth=y, show_name=bool(named)) for y in rows]
    with transaction.atomic():
        _ledger_listing(membership, results, "search", "search by record code")
    return results


def youth_caseload(*, membership: Membership | None, limit: int = 50, offset: int = 0) -> list[ListedYouth]:
    """The youths this person works with, most recently changed first. Names only where identity is shared."""
    if membership is None:
        return []
    page = list(
        visible_youth(membership, Category.RECORD)
        .select_related("data_key")
        .order_by("-updated_at")[offset : offset + limit]
    )
    named = set(
        visible_youth(membership, Category.IDENTITY)
        .filter(pk__in=[y.pk for y in page])
        .values_list("pk", flat=True)
    )
    results = [ListedYouth(youth=y, show_name=y.pk in named) for y in page]
    with transaction.atomic():
        _ledger_listing(membership, results, "list", "caseload list")
    return results


def youth_count(*, membership: Membership | None) -> int:
    return visible_youth(membership, Category.RECORD).count()


@dataclass(frozen=True)
class SharedWithMe:
    """One active release to the reader's own organization: what it covers and when it ends."""

    until: datetime
    categories: list[str]


@dataclass
class YouthRecord:
    opened: Opened
    aliases: list[Any]
    contact_ways: list[Any]
    counties: list[Any]
    household: list[Any]
    placements: list[Any]
    missing_episodes: list[Any]
    care_team: list[Any]
    consents: list[Any]
    meeting: Any = None  # how the youth prefers to be met (identity), or None
    shared_with_me: list[SharedWithMe] = field(default_factory=list)

    @property
    def youth(self) -> Youth:
        return self.opened.youth

    def allows(self, category: str) -> bool:
        return self.opened.allows(category)


_Scoped = TypeVar("_Scoped", CareTeamMember, Consent)


def _own_scope(
    rows: QuerySet[_Scoped], membership: Membership | None, *, coordinators_too: bool = False
) -> QuerySet[_Scoped]:
    """The Care Coordinator sees every organization's rows; a partner agency only its own (and, for
    the care team, the Care Coordinator's people, its point of contact): which other agencies serve a
    youth or hold a release is not theirs to learn (issue 9, item 8)."""
    if membership is None:
        return rows.none()
    if may(membership, Action.SEE_OTHER_AGENCIES):
        return rows
    mine = Q(organization=membership.organization)
    if coordinators_too:
        mine |= Q(organization__is_care_coordinator=True)
    return rows.filter(mine)


def youth_record(
    *, membership: Membership | None, youth_id: Any, purpose: str = "open record"
) -> YouthRecord:
    """Open a youth's record with only the sections this person may see. One ledger row."""
    with transaction.atomic():
        opened = open_youth(membership, youth_id, ALL_CATEGORIES, purpose=purpose)
        return youth_sections(membership=membership, opened=opened)


def youth_sections(*, membership: Membership | None, opened: Opened) -> YouthRecord:
    """The sections of a record already opened (and ledgered) by ``open_youth``, as far as it allows."""
    with transaction.atomic():
        youth = opened.youth
        ok = opened.allows
        identity = ok(Category.IDENTITY)
        # Placements (type, dates, address) are the location category (issue 16, item 5).
        # The address and the keys that open it in the same query: one query whatever the number of placements.
        placements = (
            list(youth.placements.select_related("address__youth__data_key")) if ok(Category.LOCATION) else []
        )
        for placement in placements:
            placement.shown_address = getattr(placement, "address", None)  # type: ignore[attr-defined]
        record = YouthRecord(
            opened=opened,
            aliases=list(youth.aliases.all()) if identity else [],
            contact_ways=list(youth.contact_ways.all()) if identity else [],
            counties=list(youth.counties.all()) if identity else [],
            household=list(youth.household.all()) if identity else [],
            placements=placements,
            missing_episodes=list(youth.missing_episodes.all()) if ok(Category.CARE_PLAN) else [],
            care_team=list(
                _own_scope(CareTeamMember.objects.filter(youth=youth), membership, coordinators_too=True)
                .select_related("organization", "person")
                .order_by("ended_on", "started_on")
            ),
            consents=list(
                _own_scope(Consent.objects.filter(youth=youth), membership)
                .select_related("organization")
                .prefetch_related("scopes")
                .order_by("-recorded_at")
            )
            if may(membership, Action.MANAGE_SHARING)
            else [],
            meeting=MeetingPreference.objects.filter(youth=youth).first() if identity else None,
            shared_with_me=_shared_with_me(membership, youth),
        )
    if record.meeting is not None:
        record.meeting.youth = youth
    for item in (
        record.aliases,
        record.contact_ways,
        record.counties,
        record.household,
        record.placements,
        record.missing_episodes,
    ):
        for row in item:
            row.youth = youth  # already opened: decrypting children needs no extra queries
    return record


def _shared_with_me(membership: Membership | None, youth: Youth) -> list[SharedWithMe]:
    """A partner agency's own active releases for this youth, soonest end first (its banner says until
    when it sees what); the Care Coordinator sees through its team and gets none."""
    if membership is None or not may(membership, Action.SEE_CONSENTED_YOUTH):
        return []
    mine = (
        active_consents(timezone.now())
        .filter(youth=youth, organization=membership.organization)
        .prefetch_related("scopes")
        .order_by("expires_at")
    )
    return [SharedWithMe(until=c.expires_at, categories=c.category_list) for c in mine]


def youth_for_edit(*, membership: Membership | None, youth_id: Any) -> Opened:
    """Open a youth for the edit form: only the categories of its editable fields this person may
    write (the ledger row names exactly those). The same 404 as a missing youth when none is."""
    with transaction.atomic():
        opened = open_youth(
            membership,
            youth_id,
            sorted(editable_categories()),
            write=True,
            purpose="edit form",
        )
    return opened


def editable_categories_of(*, membership: Membership | None, youth_id: Any) -> frozenset[str]:
    """The categories of editable fields this person may write, to build the edit form before a save;
    the same 404 as a missing youth when none is. Reads no youth data, so no ledger row: the save
    (``youth_update``) opens the record and writes the one row of the user's action."""
    categories = categories_open_to(membership, youth_id, sorted(editable_categories()), write=True)
    if not categories:
        raise YouthNotFound
    return categories


def youth_timeline(
    *, membership: Membership | None, youth_id: Any, limit: int = 100
) -> tuple[Opened, list[TimelineEntry]]:
    """The youth's story, only the entries whose category this person may see."""
    with transaction.atomic():
        opened = open_youth(membership, youth_id, ALL_CATEGORIES, purpose="read timeline")
        entries = list(
            TimelineEntry.objects.filter(youth=opened.youth, category__in=opened.categories).select_related(
                "organization"
            )[:limit]
        )
    for entry in entries:
        entry.youth = opened.youth
    return opened, entries


@dataclass(frozen=True)
class Disclosure:
    at: datetime
    organization: str
    categories: list[str]
    purpose: str
    person: str
    consent_id: Any


def _open_for_own_team(membership: Membership | None, youth_id: Any, *, purpose: str) -> Opened:
    """Only the Care Coordinator's own team reads who saw the record and what went where; partners get a
    404 like any other."""
    if not may(membership, Action.COORDINATE_CARE):
        raise YouthNotFound
    return open_for(membership, youth_id, Category.RECORD, purpose=purpose)


def youth_access_history(
    *, membership: Membership | None, youth_id: Any
) -> tuple[Opened, list[AccessEvent], list[BreakGlass]]:
    """Who has seen this record: every ledger row about the youth, and emergency accesses."""
    with transaction.atomic():
        opened = _open_for_own_team(membership, youth_id, purpose="read access history")
        events = list(
            AccessEvent.objects.filter(youth_id=opened.youth.pk)
            .select_related("actor", "organization")
            .order_by("-seq")[:500]
        )
        glass = list(
            BreakGlass.objects.filter(youth=opened.youth)
            .select_related("user", "organization")
            .order_by("-started_at")
        )
    return opened, events, glass


def youth_disclosures(*, membership: Membership | None, youth_id: Any) -> tuple[Opened, list[Disclosure]]:
    """Which categories went to which organization outside the Care Coordinator, when, under which
    consent: printable for a youth or guardian who asks."""
    with transaction.atomic():
        opened = _open_for_own_team(membership, youth_id, purpose="disclosure ledger")
        events = list(
            AccessEvent.objects.filter(
                youth_id=opened.youth.pk,
                organization__is_care_coordinator=False,
                action__in=["view", "list", "search", "edit"],
            )
            .select_related("actor", "organization")
            .order_by("seq")
        )
        consents = list(Consent.objects.filter(youth=opened.youth).prefetch_related("scopes"))
    disclosures = []
    for event in events:
        cats = [c for c in event.category.split(",") if c]
        consent = next(
            (
                c
                for c in consents
                if c.organization_id == event.organization_id
                and c.starts_at <= event.at
                and (c.revoked_at or c.expires_at) > event.at
            ),
            None,
        )
        disclosures.append(
            Disclosure(
                at=event.at,
                organization=event.organization.name if event.organization else "—",
                categories=cats,
                purpose=event.purpose,
                person=event.actor.get_full_name() if event.actor else "—",
                consent_id=consent.pk if consent else None,
            )
        )
    return opened, disclosures


def consents_expiring(*, membership: Membership | None, within_days: int = 30) -> QuerySet[Consent]:
    """Consents of youths this person works with that end within N days (for "My work")."""
    now = timezone.now()
    visible = visible_youth(membership, Category.RECORD).values("pk")
    consents = active_consents(now).filter(
        youth__in=visible, expires_at__lte=now + timedelta(days=within_days)
    )
    if membership is not None and not may(membership, Action.SEE_OTHER_AGENCIES):
        # A partner sees its own releases, never which other agencies hold one (issue 9, item 8).
        consents = consents.filter(organization=membership.organization)
    return consents.select_related("organization", "youth").order_by("expires_at")


def consent_files_require(*, membership: Membership | None, youth_id: Any) -> None:
    """Refuse early (before an upload is read): the usual 404 unless this membership records releases
    for this youth. Discloses nothing, so no ledger row."""
    from threadline.access.categories import Category
    from threadline.youth.policy import YouthNotFound, require_youth

    if not may(membership, Action.MANAGE_SHARING):
        raise YouthNotFound
    require_youth(membership, youth_id, Category.RECORD, write=True)


def consent_file_open(*, membership: Membership | None, youth_id: Any, file_id: Any) -> tuple[Any, bytes]:
    """A scanned consent form and its cleaned bytes, for those who record releases for this youth (the
    usual 404 for everyone else). ``(None, b"")`` when this youth has no such file. Ledgered as a view."""
    from django.db import transaction

    from threadline.access.categories import Category
    from threadline.access.consent_files import ConsentFile
    from threadline.audit import ledger
    from threadline.crypto.envelope import open_sealed
    from threadline.youth.policy import YouthNotFound, access_youth, parse_youth_id

    if membership is None or not may(membership, Action.MANAGE_SHARING):
        raise YouthNotFound
    try:
        pk = parse_youth_id(file_id)
    except YouthNotFound:
        pk = None
    with transaction.atomic():
        youth = access_youth(membership, youth_id, Category.RECORD, purpose="consent form")
        record = ConsentFile.objects.defer(None).filter(pk=pk, youth=youth).first() if pk else None
        if record is None:
            return None, b""
        data = open_sealed(bytes(record.sealed), key=youth.encryption_key(), aad=record.aad())
        ledger.entry(
            membership,
            "view",
            "consent_file",
            record.pk,
            f"scanned form for consent {record.consent_id}",
            category=Category.RECORD,
            youth_id=youth.pk,
        )
    return record, data

"""Reads: likely matches for a referral, and where a merged record now lives.

A referral is compared only with the youths its blocking keys find (a bounded set, never the whole
table), among those the person may identify (the access policy's ``visible_youth``). Every candidate
is scored in process; only the candidates shown are written to the ledger.
"""

from __future__ import annotations

import re
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from threadline.matching import explain
from threadline.matching.blocking import WORD_RULES, referral_keys
from threadline.matching.compare import Person, age_of
from threadline.matching.engine import COMMON_KEY, LOWER, RARE_WORD, Band, band_of, rank, shortlist
from threadline.matching.index import key_digest, person_of
from threadline.matching.model import Contribution, Model
from threadline.matching.models import BlockKey, MatchProfile, MergeRecord

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from threadline.accounts.models import Membership
    from threadline.intake.models import Referral
    from threadline.youth.models import Youth

MATCH_LIMIT = 10


@dataclass(frozen=True)
class Candidate:
    """A youth who may be the young person of a referral: what a coordinator needs to recognise them,
    how likely it is, and why, in plain words."""

    youth_id: uuid.UUID
    reference: str
    display_name: str
    age: int | None
    probability: float
    band: str  # Band.SAME, Band.REVIEW
    reasons: tuple[str, ...]
    may_link: bool

    @property
    def matched_on(self) -> tuple[str, ...]:
        return self.reasons

    @property
    def percent(self) -> str:
        value = self.probability * 100
        if value >= 99.9:
            return ">99.9"
        return f"{value:.1f}" if value >= 10 else f"{value:.2f}"

    @property
    def band_label(self) -> str:
        return _("This is likely the same youth") if self.band == Band.SAME else _("Needs review")


@lru_cache(maxsize=1)
def current_model() -> Model:
    """The program's model: the priors for a new program (a trained model can replace them)."""
    return Model()


_POPULATION: dict[str, tuple[float, int]] = {}


def indexed_population() -> int:
    """How many youths the matcher knows (for the prior odds and word frequencies); counted at most
    once a minute."""
    cached = _POPULATION.get("n")
    now = time.monotonic()
    if cached and now - cached[0] < 60:
        return cached[1]
    n = MatchProfile.objects.count()
    _POPULATION["n"] = (now, n)
    return n


def merged_ids(ids: Iterable[Any]) -> set[Any]:
    return set(
        MergeRecord.objects.filter(merged_id__in=list(ids), undone_at__isnull=True).values_list(
            "merged_id", flat=True
        )
    )


def survivor_of(youth_id: Any) -> uuid.UUID | None:
    """Where a merged record's reads lead now (None when it is not merged)."""
    try:
        pk = uuid.UUID(str(youth_id))
    except ValueError:
        return None
    return (
        MergeRecord.objects.filter(merged_id=pk, undone_at__isnull=True)
        .values_list("survivor_id", flat=True)
        .first()
    )


_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$|^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


def _query_date(text: str) -> date | None:
    found = _DATE.match(text)
    if not found:
        return None
    try:
        if found.group(1):
            return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
        return date(int(found.group(6)), int(found.group(4)), int(found.group(5)))
    except ValueError:
        return None


def referral_person(referral: Referral, *, query: str = "") -> Person:
    """What the referral says about the young person, plus what the coordinator typed: another name
    (compared like the referral's name), a birth date (m/d/yyyy or yyyy-mm-dd) or a phone."""
    from threadline.intake.selectors import referral_alias_names, referral_youth_phone

    phones = [referral_youth_phone(referral)]
    names = [str(referral.youth_name or "")]
    dob = referral.youth_date_of_birth
    query = query.strip()[:200]
    typed_date = _query_date(query) if query else None
    if typed_date is not None:
        dob = typed_date
    elif query and sum(ch.isdigit() for ch in query) >= 7:
        phones.append(query)
    elif query:
        names.append(query)
    return Person.make(
        names=names,
        aliases=referral_alias_names(referral),
        dob=dob,
        age=referral.age,
        phones=[p for p in phones if p],
        counties=[referral.county] if referral.county else [],
    )


@dataclass(frozen=True)
class Found:
    """A scored candidate before the access check decides whether it is shown."""

    youth_id: uuid.UUID
    reference: str
    profile: dict[str, Any]
    person: Person
    probability: float
    reasons: tuple[str, ...]
    contributions: tuple[Contribution, ...] = ()


def _hits(person: Person, today: date) -> tuple[dict[uuid.UUID, set[str]], dict[str, int]]:
    """Which youths each blocking rule finds, and how many youths carry each word of the name."""
    wanted: dict[str, tuple[str, str]] = {}
    for qk in referral_keys(person, today=today):
        wanted[key_digest(qk.kind, qk.value)] = (qk.rule, qk.value)
    counts = dict(
        BlockKey.objects.filter(digest__in=list(wanted))
        .values("digest")
        .annotate(n=Count("id"))
        .values_list("digest", "n")
    )
    frequencies = {wanted[d][1]: n for d, n in counts.items() if wanted[d][0] == "tk"}
    usable = [d for d, n in counts.items() if n <= (RARE_WORD if wanted[d][0] in WORD_RULES else COMMON_KEY)]
    hits: dict[uuid.UUID, set[str]] = defaultdict(set)
    for youth_id, found_digest in BlockKey.objects.filter(digest__in=usable).values_list(
        "youth_id", "digest"
    ):
        hits[youth_id].add(wanted[found_digest][0])
    return hits, frequencies


def score_person(
    *, person: Person, visible: QuerySet[Youth], today: date | None = None, exclude: Iterable[Any] = ()
) -> list[Found]:
    """Score a person against the youths blocking finds, among ``visible`` (the policy's queryset of
    youths the reader may identify). Reads encrypted profiles; writes nothing."""
    today = today or timezone.localdate()
    hits, frequencies = _hits(person, today)
    for pk in exclude:
        hits.pop(pk, None)
    if not hits:
        return []
    ids = shortlist(hits)
    # The policy decides on the short list only (its conditions run for these few rows, not the
    # table); then their profiles, with only what decrypting them needs.
    allowed = list(visible.filter(pk__in=ids).values_list("pk", flat=True))
    profiles = {
        row.youth_id: row
        for row in MatchProfile.objects.filter(youth_id__in=allowed)
        .select_related("youth__data_key")
        .only(
            "youth_id",
            "data",
            "youth__id",
            "youth__reference",
            "youth__data_key__id",
            "youth__data_key__wrapped",
            "youth__data_key__master_key_id",
        )
    }
    people = {pk: person_of(row.data, today) for pk, row in profiles.items()}
    model = current_model()
    ranked = rank(
        person,
        people.items(),
        model=model,
        population=max(indexed_population(), len(hits)),
        frequencies=frequencies,
        today=today,
    )
    return [
        Found(
            youth_id=r.key,
            reference=profiles[r.key].youth.reference,
            profile=profiles[r.key].data,
            person=people[r.key],
            probability=r.probability,
            reasons=tuple(explain.reasons(r.score.contributions)),
            contributions=r.score.contributions,
        )
        for r in ranked
    ]


def referral_candidates(
    *, membership: Membership, referral: Referral, query: str = "", limit: int = MATCH_LIMIT
) -> list[Candidate]:
    """Likely matches for a referral among the youths this person may identify: at most ``limit``,
    only those at or above the review threshold, best first. One ledger row per candidate shown."""
    from threadline.access.categories import Category
    from threadline.audit import ledger
    from threadline.youth.policy import visible_youth

    person = referral_person(referral, query=query)
    if not person.parsed and not person.parsed_aliases and person.dob is None and not person.phones:
        return []
    today = timezone.localdate()
    visible = visible_youth(membership, Category.IDENTITY)
    found = [f for f in score_person(person=person, visible=visible, today=today) if f.probability >= LOWER][
        :limit
    ]
    writable = set(
        visible_youth(membership, Category.IDENTITY, write=True)
        .filter(pk__in=[f.youth_id for f in found])
        .values_list("pk", flat=True)
    )
    candidates = [
        Candidate(
            youth_id=f.youth_id,
            reference=f.reference,
            display_name=(f.profile.get("names") or [f.reference])[0],
            age=age_of(f.person, today),
            probability=f.probability,
            band=band_of(f.probability),
            reasons=f.reasons,
            may_link=f.youth_id in writable,
        )
        for f in found
    ]
    with transaction.atomic():
        ledger.record_many(
            [
                {
                    "actor": membership.user,
                    "organization": membership.organization,
                    "action": "search",
                    "object_type": "youth",
                    "object_id": c.youth_id,
                    "youth_id": c.youth_id,
                    "category": Category.IDENTITY,
                    "purpose": "likely matches for a referral",
                }
                for c in candidates
            ]
        )
    return candidates


__all__ = ["Band", "Candidate", "referral_candidates", "score_person", "survivor_of"]

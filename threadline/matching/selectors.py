"""Reads: likely matches for a referral, and where a merged record now lives.

A referral is compared only with the youths its blocking keys find (a bounded set, never the whole
table), among those the person may identify (the access policy's ``visible_youth``). Every candidate
is scored in process; only the candidates shown are written to the ledger.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from threadline.core.ids import uuid_or_none
from threadline.crypto.datakeys import unwrapped_values
from threadline.matching import explain
from threadline.matching.blocking import referral_keys
from threadline.matching.compare import Person, age_of
from threadline.matching.engine import LOWER, Band, band_of, rank
from threadline.matching.index import key_digests, person_of
from threadline.matching.lookup import blocked_candidates, count_digests
from threadline.matching.model import Contribution, Model
from threadline.matching.models import MatchProfile, MergeRecord
from threadline.matching.training_services import trained_model

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from threadline.accounts.models import Membership
    from threadline.intake.models import Referral
    from threadline.youth.models import Youth

_PROFILE = MatchProfile._meta.get_field("data")  # the sealed comparison profile

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


def current_model() -> Model:
    """The program's model: the newest trained on its records (``training_services``), else the
    priors for a new program. Cached per process: no query per referral."""
    return trained_model()


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
    pk = uuid_or_none(youth_id)
    if pk is None:
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
    contributions: tuple[Contribution, ...] = ()

    @property
    def reasons(self) -> tuple[str, ...]:
        """The weights in plain words (worded only for the candidates someone reads)."""
        return tuple(explain.reasons(self.contributions))


def _keys(person: Person, today: date) -> dict[int, tuple[str, str]]:
    """The referral's blocking keys by digest: (rule, value)."""
    found = key_digests((qk.rule, qk.value) for qk in referral_keys(person, today=today))
    return {digest: key for key, digest in found.items()}


def score_person(
    *, person: Person, visible: QuerySet[Youth], today: date | None = None, exclude: Iterable[Any] = ()
) -> list[Found]:
    """Score a person against the youths blocking finds, among ``visible`` (the policy's queryset of
    youths the reader may identify). Reads encrypted profiles; writes nothing."""

    def allowed(ids: list[uuid.UUID]) -> dict[uuid.UUID, bool]:
        return dict.fromkeys(visible.filter(pk__in=ids).values_list("pk", flat=True), False)

    return score_among(person=person, allowed=allowed, today=today, exclude=exclude)


def score_among(
    *,
    person: Person,
    allowed: Callable[[list[uuid.UUID]], dict[uuid.UUID, bool]],
    today: date | None = None,
    exclude: Iterable[Any] = (),
) -> list[Found]:
    """``score_person`` where ``allowed`` decides which of blocking's short list may be scored (asked
    about those few youths only: the keys of what it returns)."""
    return [f for f, _may_write in _scored(person=person, allowed=allowed, today=today, exclude=exclude)]


def _scored(
    *,
    person: Person,
    allowed: Callable[[list[uuid.UUID]], dict[uuid.UUID, bool]],
    today: date | None = None,
    exclude: Iterable[Any] = (),
) -> list[tuple[Found, bool]]:
    """``score_person`` among the youths ``allowed`` keeps of the short list (the policy's decision,
    asked about those few youths only), each with whether the reader may also write it."""
    today = today or timezone.localdate()
    excluded = [uuid.UUID(str(pk)) for pk in exclude]
    wanted = _keys(person, today)
    ids, counts = blocked_candidates(wanted, exclude=excluded)
    if not ids:
        return []
    frequencies = {wanted[d][1]: n for d, n in counts.items()}
    if excluded:
        # A youth's own record looked up among the others (the duplicate scan), or youths already
        # tried: their words are not another youth's. Counted again without them (one query, these
        # lookups only); a word only the record itself carries is a misspelling (``Model.typo_weight``).
        frequencies = count_words(set(frequencies), exclude=excluded)
    may_write = allowed(ids)
    if not may_write:
        return []
    # Only the profiles of the youths the policy allows, read as plain values (no model instances:
    # three per candidate, with their reference cycles, cost more than the query) and each opened with
    # its youth's data key.
    rows = MatchProfile.objects.filter(youth_id__in=list(may_write)).values_list(
        "youth_id",
        "data",
        "youth__reference",
        "youth__data_key_id",
        "youth__data_key__master_key_id",
        "youth__data_key__wrapped",
    )
    profiles: dict[uuid.UUID, tuple[str, dict[str, Any]]] = {}
    for youth_id, sealed, reference, key_id, master_key_id, wrapped in rows:
        key = unwrapped_values(key_id=str(key_id), wrapped=bytes(wrapped), master_key_id=master_key_id)
        profiles[youth_id] = (reference, _PROFILE.open_value(sealed, key=key, pk=youth_id))
    people = {pk: person_of(profile, today) for pk, (_reference, profile) in profiles.items()}
    ranked = rank(
        person,
        people.items(),
        model=current_model(),
        population=max(indexed_population(), len(ids)),
        frequencies=frequencies,
        today=today,
        count_words=lambda words: count_words(words, exclude=excluded),
    )
    scored = [
        (
            Found(
                youth_id=r.key,
                reference=profiles[r.key][0],
                profile=profiles[r.key][1],
                person=people[r.key],
                probability=r.probability,
                contributions=r.score.contributions,
            ),
            may_write.get(r.key, False),
        )
        for r in ranked
    ]
    return scored


def count_words(words: set[str], *, exclude: Iterable[uuid.UUID] = ()) -> dict[str, int]:
    """How many youths carry each word, ``exclude`` left out, from the blind index (``engine.rank`` asks
    for a candidate's words the blocking query did not count); a word nobody carries counts 0."""
    digests = key_digests(("tk", word) for word in words)
    counts = count_digests(digests.values(), exclude=exclude)
    return {word: counts.get(digests[("tk", word)], 0) for word in words}


def referral_candidates(
    *, membership: Membership, referral: Referral, query: str = "", limit: int = MATCH_LIMIT
) -> list[Candidate]:
    """Likely matches for a referral among the youths this person may identify: at most ``limit``,
    only those at or above the review threshold, best first. One ledger row per candidate shown."""
    from threadline.access.categories import Category
    from threadline.audit import ledger
    from threadline.youth.policy import visible_among

    person = referral_person(referral, query=query)
    if not person.parsed and not person.parsed_aliases and person.dob is None and not person.phones:
        return []
    today = timezone.localdate()
    scored = _scored(
        person=person,
        allowed=lambda ids: visible_among(membership, Category.IDENTITY, ids),
        today=today,
    )
    found = [(f, may_write) for f, may_write in scored if f.probability >= LOWER][:limit]
    candidates = [
        Candidate(
            youth_id=f.youth_id,
            reference=f.reference,
            display_name=(f.profile.get("names") or [f.reference])[0],
            age=age_of(f.person, today),
            probability=f.probability,
            band=band_of(f.probability),
            reasons=f.reasons,
            may_link=may_write,
        )
        for f, may_write in found
    ]
    if not candidates:  # nothing shown, nothing to record
        return candidates
    with transaction.atomic():
        ledger.youths_shown(
            membership,
            [c.youth_id for c in candidates],
            action="search",
            category=Category.IDENTITY,
            purpose="likely matches for a referral",
        )
    return candidates


__all__ = ["Band", "Candidate", "referral_candidates", "score_person", "survivor_of"]

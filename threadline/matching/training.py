"""Training the matcher on a program's own records (issue 17): the estimation of ``model`` run over what
the program already holds, so its weights fit its youths rather than the new-program priors.

- u (how often two different youths agree by chance): comparisons of random pairs of records, the
  priors as pseudo-counts (``estimate_u``); for the exact levels of birth date, first name and surname,
  counted instead from how many records carry each value (``exact_u``), which random pairs would
  rarely meet. The counts smooth towards the prior u, so a few hundred records do not make a shared
  name look impossible.
- m (how often the same youth agrees): EM once per blocking rule, as Splink trains (``estimate_m_by_
  rules``), over the pairs each rule finds among the records: every record in a sample is looked up
  like a referral among the others. A rule whose pairs hold too few likely matches (a program without
  duplicate records) keeps the priors' m, since EM over pairs of different youths only learns
  coincidences.
- A new program (fewer than ``MIN_RECORDS`` records) keeps the priors altogether.
- The share of referrals that name a known youth (``known_rate``) cannot be learnt from the records
  alone: it keeps its prior.

Nothing here touches the database: ``training_services`` reads the program's index into a
``MemoryIndex`` (in memory only), and the benchmark passes its public data sets the same way, so both
train with this code. The result holds comparison and level names and numbers, never a value.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from threadline.matching import names
from threadline.matching.birth_dates import swapped_digits
from threadline.matching.blocking import dob_variants, referral_keys
from threadline.matching.compare import (
    TYPO_MIN,
    Person,
    Vector,
    compare,
    compare_dob,
    one_typo,
)
from threadline.matching.engine import COMMON_KEY, MemoryIndex
from threadline.matching.model import DEFAULT, Model, estimate_m_by_rules, estimate_u, exact_u, sample_pairs

K = TypeVar("K", bound=Hashable)

MIN_RECORDS = 200  # below this many records, a program keeps the priors
U_PAIRS = 20_000  # random pairs compared for u
QUERIES = 2_000  # records looked up among the others for EM
MIN_MATCHES = 30.0  # estimated matches a rule's pairs must hold before EM replaces the priors' m
PRIOR_PAIRS = 10_000.0  # weight of the prior u against the counted pairs, in pairs
SEED = 17
# The blocking rules EM runs over, with the comparisons each fixes: its pairs all agree on them, or are
# made to agree more often than chance by the rule (pairs sharing a surname share their guardians'
# surname, since a guardian often carries the youth's; other names are names too). Left free, EM takes
# those agreements for "same youth" and learns namesakes: on 10,000 generated youths without a single
# duplicate, 940 of 2,355 name-sharing pairs came out as matches, and F1 fell from 0.971 to 0.958.
RULES: dict[str, frozenset[str]] = {
    "dob": frozenset({"dob", "age"}),
    "np": frozenset({"given", "surname", "guardian", "alias"}),
}


@dataclass(frozen=True)
class Fitted:
    model: Model
    records: int
    trained: bool  # False: too few records, the priors kept
    summary: dict[str, Any] = field(default_factory=dict)  # counts only (pairs, estimated matches)


def fit(index: MemoryIndex[K], *, today: date, min_records: int = MIN_RECORDS, seed: int = SEED) -> Fitted:
    """Train on the records of ``index`` (the program's youths). Deterministic for given records."""
    keys = sorted(index.people, key=str)
    records = len(keys)
    if records < min_records:
        return Fitted(Model(), records, False, {"records": records})
    rng = random.Random(seed)  # noqa: S311 (a reproducible sample, no secret)
    people = [index.people[k] for k in keys]
    model = estimate_u(
        [compare(people[i], people[j], today) for i, j in sample_pairs(records, U_PAIRS, rng)], Model()
    )
    _count_exact_u(model, index, people)
    sample = rng.sample(keys, min(records, QUERIES))
    sessions = _blocked_pairs(index, sample, model, today)
    model, shares = estimate_m_by_rules(
        [(sessions[rule], fixed) for rule, fixed in RULES.items()], model, min_matches=MIN_MATCHES
    )
    summary: dict[str, Any] = {"records": records, "queries": len(sample)}
    for (rule, vectors), share in zip(sessions.items(), shares, strict=True):
        matches = share * len(vectors)
        summary[rule] = {
            "pairs": len(vectors),
            "matches": round(matches, 1),
            "used": bool(vectors) and matches >= MIN_MATCHES,
        }
    return Fitted(model, records, True, summary)


def _count_exact_u(model: Model, index: MemoryIndex[K], people: Sequence[Person]) -> None:
    """The exact levels' u counted from the records (term frequencies): birth dates from the index's
    birth-date keys, first names and surnames from every name each record goes by. So are the levels
    a random pair of 20,000 would meet a handful of times or never (a name one letter off, a birth date
    with digits swapped or a day off): sampled, their u is a guess, and a rare level's guess is the
    floor, which makes "birth date one day apart" weigh almost as much as the same birth date."""
    population = len(people)
    dobs: Counter[date] = Counter()
    for (rule, value), found in index.keys.items():
        if rule == "dob" and found:
            dobs[date.fromisoformat(value)] = len(found)
    given: Counter[str] = Counter()
    surnames: Counter[tuple[str, ...]] = Counter()
    surname_words: Counter[str] = Counter()
    for person in people:
        given.update({n.given for n in person.all_names if n.given})
        surnames.update({n.surnames for n in person.all_names if n.surnames})
        surname_words.update({w for n in person.all_names for w in n.surnames})
    pairs = population * (population - 1)
    counted: dict[tuple[str, str], float] = {
        ("dob", "exact"): exact_u(dobs.values(), population) * pairs,
        ("given", "exact"): exact_u(given.values(), population) * pairs,
        ("surname", "exact"): exact_u(surnames.values(), population) * pairs,
        ("given", "typo"): _typo_pairs(given, related=True),
        ("surname", "typo"): _typo_pairs(surname_words, related=False),
    }
    counted.update(_dob_variant_pairs(dobs))
    for (comparison, level), collisions in counted.items():
        m, _sampled_u = model.levels[comparison][level]
        prior_u = DEFAULT[comparison][level][1]
        u = max((collisions + PRIOR_PAIRS * prior_u) / (pairs + PRIOR_PAIRS), 1e-7)
        model.levels[comparison][level] = (m, u)
    model.__dict__.pop("_weights", None)  # levels changed: weights are recomputed


def _typo_pairs(counts: Counter[str], *, related: bool) -> float:
    """Ordered pairs of records whose words are one letter off (``compare.one_typo``), from how many
    records carry each word. Words one letter apart share a word with one letter deleted (or one is
    the other with a letter deleted), so only those are compared. ``related``: nicknames of each other
    are left out (that level comes first)."""
    buckets: dict[str, list[str]] = defaultdict(list)
    for word in counts:
        if len(word) >= TYPO_MIN:
            for key in {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}:
                buckets[key].append(word)
    seen: set[tuple[str, str]] = set()
    total = 0.0
    for words in buckets.values():
        for i, a in enumerate(words):
            for b in words[i + 1 :]:
                pair = (a, b) if a < b else (b, a)
                if pair in seen or not one_typo(a, b) or (related and names.related_names(a, b)):
                    continue
                seen.add(pair)
                total += 2 * counts[a] * counts[b]
    return total


DOB_VARIANT_LEVELS = ("transposed", "swapped", "one_digit", "off_by_one")


def _dob_variant_pairs(dobs: Counter[date]) -> dict[tuple[str, str], float]:
    """Ordered pairs of records at each birth-date level short of exact and "same year" (day and month
    swapped, digits swapped, one digit wrong, a day off), from how many records carry each date."""
    out: dict[tuple[str, str], float] = defaultdict(float)
    for day, count in dobs.items():
        for other in dob_variants(day) | swapped_digits(day):
            if other not in dobs:
                continue
            level = compare_dob(day, other)
            if level in DOB_VARIANT_LEVELS:
                out[("dob", level)] += count * dobs[other]
    return {("dob", level): out[("dob", level)] for level in DOB_VARIANT_LEVELS}


def _blocked_pairs(
    index: MemoryIndex[K], sample: Sequence[K], model: Model, today: date
) -> dict[str, list[Vector]]:
    """For each record of the sample, looked up like a referral among the others: its comparison with
    every record each rule of ``RULES`` finds (keys shared by too many records left out, as blocking
    does)."""
    by_rule: dict[str, list[Vector]] = {rule: [] for rule in RULES}
    for key in sample:
        person = index.people[key]
        found: dict[str, set[K]] = {rule: set() for rule in RULES}
        for qk in referral_keys(person, today=today):
            hits = index.keys.get((qk.kind, qk.value), set())
            if qk.rule in found and len(hits) <= COMMON_KEY:
                found[qk.rule].update(k for k in hits if k != key)
        for rule, hits in found.items():
            by_rule[rule].extend(
                compare(person, index.people[k], today, name_weight=model.name_rank)
                for k in sorted(hits, key=str)
            )
    return by_rule

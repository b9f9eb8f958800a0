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
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from threadline.matching.blocking import referral_keys
from threadline.matching.compare import Person, Vector, compare
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


def _smoothed_u(counts: Iterable[int], population: int, prior: float) -> float:
    """``exact_u`` of the counts, with the prior u worth ``PRIOR_PAIRS`` pairs."""
    pairs = population * (population - 1)
    collisions = exact_u(counts, population) * pairs
    return max((collisions + PRIOR_PAIRS * prior) / (pairs + PRIOR_PAIRS), 1e-7)


def _count_exact_u(model: Model, index: MemoryIndex[K], people: Sequence[Person]) -> None:
    """The exact levels' u counted from the records (term frequencies): birth dates from the index's
    birth-date keys, first names and surnames from every name each record goes by."""
    population = len(people)
    dob_counts = [len(found) for (rule, _value), found in index.keys.items() if rule == "dob" and found]
    given: Counter[str] = Counter()
    surnames: Counter[tuple[str, ...]] = Counter()
    for person in people:
        given.update({n.given for n in person.all_names if n.given})
        surnames.update({n.surnames for n in person.all_names if n.surnames})
    for comparison, counts in (
        ("dob", dob_counts),
        ("given", list(given.values())),
        ("surname", list(surnames.values())),
    ):
        m, _sampled_u = model.levels[comparison]["exact"]
        prior_u = DEFAULT[comparison]["exact"][1]
        model.levels[comparison]["exact"] = (m, _smoothed_u(counts, population, prior_u))
    model.__dict__.pop("_weights", None)  # levels changed: weights are recomputed


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

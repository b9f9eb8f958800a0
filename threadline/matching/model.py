"""The Fellegi–Sunter model: for each comparison level, m = P(level | same youth) and
u = P(level | different youths); the weight of a level is log2(m/u) bits, the weights add, and with the
prior odds they give the match probability.

- Priors for a new program: the m/u values in ``DEFAULT`` (set from what referrals look like: most
  birth dates right, some transposed or one digit off, one name in ten a nickname...). A program's own
  data refines them with ``estimate_u`` (random pairs of its youths) and ``estimate_m`` (EM over
  blocked candidate pairs), the priors acting as pseudo-counts, so a small program stays near them.
- Term frequency: an exact first-name or surname match weighs log2(m / f) where f is how common that
  word is among the program's youths (bounded), so "Maria Garcia" weighs less than a rare name. A name
  one letter off (``typo_weight``) depends on whether the referral's word is itself a name youths carry:
  if not, it is a misspelling and weighs the level's average; if so, "Gracia" for a youth named
  "Garcia" is as likely another of the many Garcias, and it weighs no more than the more common of the
  two words would.
- The prior odds follow the size of the search: among N youths, at most one is the referred youth.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from threadline.matching.compare import COMPARISONS, NULL, Vector

Levels = dict[str, tuple[float, float]]  # level -> (m, u)

DEFAULT: dict[str, Levels] = {
    "given": {
        "exact": (0.78, 0.010),
        "nickname": (0.05, 0.002),
        "typo": (0.04, 0.0005),
        "fuzzy": (0.04, 0.0035),
        "elsewhere": (0.03, 0.004),
        "initial": (0.005, 0.003),
        "weak": (0.02, 0.03),
        "else": (0.035, 0.947),
    },
    "surname": {
        "exact": (0.75, 0.005),
        "one_of_two": (0.10, 0.002),
        "typo": (0.04, 0.0005),
        "fuzzy": (0.03, 0.0025),
        "elsewhere": (0.03, 0.002),
        "weak": (0.02, 0.03),
        "else": (0.03, 0.958),
    },
    "alias": {"exact": (0.30, 0.0005), "fuzzy": (0.10, 0.002), "none": (0.60, 0.9975)},
    "dob": {
        "exact": (0.84, 0.00015),
        "transposed": (0.02, 0.00002),
        "swapped": (0.01, 0.00002),
        "one_digit": (0.04, 0.0006),
        "off_by_one": (0.01, 0.0003),
        "same_year": (0.03, 0.055),
        "else": (0.05, 0.944),
    },
    "age": {"close": (0.90, 0.30), "near": (0.06, 0.15), "else": (0.04, 0.55)},
    "gender": {"same": (0.97, 0.50), "else": (0.03, 0.50)},
    "phone": {"same": (0.60, 0.0001), "last4": (0.02, 0.001), "else": (0.38, 0.9989)},
    "county": {"same": (0.75, 0.30), "else": (0.25, 0.70)},
    "guardian": {"same": (0.60, 0.001), "surname": (0.15, 0.02), "else": (0.25, 0.979)},
    "ident": {"same": (0.85, 0.0001), "one_typo": (0.08, 0.001), "else": (0.07, 0.9989)},
    "address": {
        "same": (0.70, 0.0005),
        "similar": (0.10, 0.002),
        "street": (0.04, 0.001),
        "number": (0.04, 0.03),
        "else": (0.12, 0.9665),
    },
    "locality": {"same": (0.85, 0.01), "similar": (0.06, 0.01), "else": (0.09, 0.98)},
    "postcode": {"same": (0.80, 0.01), "one_typo": (0.08, 0.05), "else": (0.12, 0.94)},
}

TF_LEVELS = {("given", "exact"), ("surname", "exact"), ("surname", "one_of_two")}
TF_FLOOR = 0.0001  # a word never counts as rarer than 1 in 10,000
TF_MAX_BONUS = 4.0  # bits a rare word may add above the level's average weight
TF_SMOOTHING = 200.0  # pseudo-youths at the level's average frequency
TYPO_LEVELS = {("given", "typo"), ("surname", "typo")}
TF_ADJUSTED = TF_LEVELS | TYPO_LEVELS  # the levels whose weight follows how common the word is


@dataclass(frozen=True)
class Contribution:
    comparison: str
    level: str
    weight: float  # bits


@dataclass(frozen=True)
class Score:
    weight: float  # match weight in bits, prior included
    probability: float
    contributions: tuple[Contribution, ...]


@dataclass
class Model:
    levels: dict[str, Levels] = field(default_factory=lambda: {k: dict(v) for k, v in DEFAULT.items()})
    # Prior that the referred youth is a known one at all; split over the N youths searched.
    known_rate: float = 0.5

    def level_weight(self, comparison: str, level: str) -> float:
        if level == NULL:
            return 0.0
        cache = self.__dict__.setdefault("_weights", {})
        weight = cache.get((comparison, level))
        if weight is None:
            m, u = self.levels[comparison][level]
            weight = cache[(comparison, level)] = math.log2(m / u)
        return float(weight)

    def tf_weight(self, comparison: str, level: str, count: int | None, population: int) -> float:
        """The level's weight, with u replaced by how common the word is: ``count`` youths of
        ``population`` carry it. Smoothed towards the level's u, so a small program's few youths do not
        make every name look common (or rare)."""
        base = self.level_weight(comparison, level)
        if count is None or (comparison, level) not in TF_ADJUSTED:
            return base
        m, u = self.levels[comparison][level]
        frequency = (count + TF_SMOOTHING * u) / (max(population, 0) + TF_SMOOTHING)
        adjusted = math.log2(m / max(frequency, TF_FLOOR))
        return min(adjusted, base + TF_MAX_BONUS)

    def typo_weight(
        self, comparison: str, level: str, counts: Sequence[int | None], population: int
    ) -> float:
        """A name one letter off: ``counts``, how many youths carry the referral's word and the youth's.
        A word no youth carries is a misspelling ("Gonzalz"): the level's weight, whatever the word it
        stands for. A word youths carry is a name of its own, one letter from the youth's ("Gracia",
        "Garcia"; "Harry", "Larry"): the referral is as likely about another youth carrying either,
        so the pair weighs as the more common of the two words would (Splink adjusts its fuzzy levels
        by the more frequent value too), never more than the level's average. On 10,000 generated
        youths, a new "Elaine Gracia" (a surname 9 youths carry) was offered as "Elaine Garcia" (251)
        at 0.95."""
        base = self.level_weight(comparison, level)
        if len(counts) < 2 or not counts[0]:
            return base
        common = max(count or 0 for count in counts)
        return min(base, self.tf_weight(comparison, level, common, population))

    def name_rank(self, given: str, surname: str) -> float:
        return self.level_weight("given", given) + self.level_weight("surname", surname)

    def prior_bits(self, population: int) -> float:
        population = max(population, 1)
        p = self.known_rate / population
        return math.log2(p / (1 - p)) if p < 1 else 0.0

    def score(self, vector: Vector, *, population: int, frequencies: dict[str, int] | None = None) -> Score:
        """``frequencies``: how many youths carry each word (for the name levels of ``TF_LEVELS`` and
        ``TYPO_LEVELS``; a word left out is carried by nobody)."""
        frequencies = frequencies or {}
        contributions = []
        total = self.prior_bits(population)
        for comparison in COMPARISONS:
            level = vector.levels.get(comparison, NULL)
            if level == NULL:
                continue
            words = vector.tf_tokens.get(comparison, ())
            if (comparison, level) in TYPO_LEVELS:
                weight = self.typo_weight(comparison, level, [frequencies.get(w) for w in words], population)
            else:
                count = frequencies.get(words[0]) if words else None
                weight = self.tf_weight(comparison, level, count, population)
            total += weight
            contributions.append(Contribution(comparison, level, weight))
        return Score(total, probability_of(total), tuple(contributions))

    # --- persistence -----------------------------------------------------------------------------------

    def to_json(self) -> str:
        return json.dumps({"known_rate": self.known_rate, "levels": self.levels}, sort_keys=True)

    @staticmethod
    def from_json(text: str) -> Model:
        data = json.loads(text)
        levels = {
            comparison: {level: (float(mu[0]), float(mu[1])) for level, mu in by_level.items()}
            for comparison, by_level in data["levels"].items()
        }
        for comparison, defaults in DEFAULT.items():  # a model saved before a new level keeps working
            merged = dict(defaults)
            merged.update(levels.get(comparison, {}))
            levels[comparison] = merged
        return Model(levels=levels, known_rate=float(data.get("known_rate", 0.5)))


def at_most_one(scores: Sequence[Score]) -> list[Score]:
    """The candidates of one referral (best first) compete: at most one of them is the youth referred.
    The first candidate's probability becomes its odds over one plus every candidate's odds, so when two
    youths fit about equally well (namesakes; one fitting on the name, another on the birth date)
    neither is offered as "the same youth", only for review. The others keep their own probability
    (a strong second may be a second record of the same youth, worth reviewing), never above the
    first's. With one candidate nothing changes; the weights and explanations stay as they are."""
    if not scores:
        return []
    odds = [2.0 ** min(score.weight, 60.0) for score in scores]
    first = odds[0] / (1.0 + sum(odds))
    out = [Score(scores[0].weight, first, scores[0].contributions)]
    out += [Score(s.weight, min(s.probability, first), s.contributions) for s in scores[1:]]
    return out


def exact_u(counts: Iterable[int], population: int) -> float:
    """u of an exact match computed from how many records carry each value (two records drawn at
    random share a value): exact where random pairs would almost never meet a shared birth date."""
    if population < 2:
        return 0.0
    return sum(c * (c - 1) for c in counts) / (population * (population - 1))


def probability_of(bits: float) -> float:
    if bits > 60:
        return 1.0
    if bits < -60:
        return 0.0
    odds = 2.0**bits
    return odds / (1 + odds)


def bits_of(probability: float) -> float:
    return math.log2(probability / (1 - probability))


# --- estimation ----------------------------------------------------------------------------------------


def _normalized(counts: dict[str, float]) -> dict[str, float]:
    total = sum(counts.values())
    return {level: value / total for level, value in counts.items()}


def estimate_u(vectors: Iterable[Vector], model: Model, *, prior_strength: float = 50.0) -> Model:
    """u from comparisons of random pairs (almost all different youths), the priors as pseudo-counts."""
    counts = {
        c: {level: prior_strength * mu[1] for level, mu in lv.items()} for c, lv in model.levels.items()
    }
    for vector in vectors:
        for comparison, level in vector.levels.items():
            if level != NULL:
                counts[comparison][level] += 1
    levels = {}
    for comparison, by_level in model.levels.items():
        u = _normalized(counts[comparison])
        levels[comparison] = {level: (mu[0], max(u[level], 1e-6)) for level, mu in by_level.items()}
    return Model(levels=levels, known_rate=model.known_rate)


def estimate_m(
    vectors: Sequence[Vector],
    model: Model,
    *,
    iterations: int = 40,
    prior_strength: float = 50.0,
    start_lambda: float = 0.1,
    fixed_lambda: bool = False,
    fixed: frozenset[str] = frozenset(),
    tolerance: float = 1e-4,
) -> tuple[Model, float]:
    """Expectation–maximisation of m (u held fixed, as Splink does) over blocked candidate pairs, until
    no m moves by more than ``tolerance`` (at most ``iterations`` rounds). Returns the new model and
    the estimated share of matches among those pairs. ``fixed_lambda``: the share is known, only m is
    estimated. ``fixed``: comparisons the blocking rule that chose the pairs made agree (among pairs
    that share a birth date, every pair agrees on it): left out of each pair's probability, as they
    tell nothing apart here, and their m kept, as these pairs say nothing of how often a match agrees."""
    if not vectors:
        return model, start_lambda
    lam = start_lambda
    current = model
    # The priors are pseudo-counts of the starting m, the same in every round (taken from the current
    # round instead, they fade and EM drives a level it rarely sees to m = 0: minus 20 bits).
    pseudo = {
        c: {level: prior_strength * mu[0] for level, mu in lv.items()} for c, lv in model.levels.items()
    }
    for _ in range(iterations):
        counts = {c: dict(by_level) for c, by_level in pseudo.items()}
        matched = 0.0
        prior = math.log2(lam / (1 - lam))
        for vector in vectors:
            bits = prior
            for comparison, level in vector.levels.items():
                if level != NULL and comparison not in fixed:
                    bits += current.level_weight(comparison, level)
            p = probability_of(bits)
            matched += p
            for comparison, level in vector.levels.items():
                if level != NULL:
                    counts[comparison][level] += p
        if not fixed_lambda:
            lam = min(max(matched / len(vectors), 1e-6), 1 - 1e-6)
        levels = {}
        moved = 0.0
        for comparison, by_level in current.levels.items():
            if comparison in fixed:
                levels[comparison] = dict(by_level)
                continue
            m = _normalized(counts[comparison])
            levels[comparison] = {level: (max(m[level], 1e-6), mu[1]) for level, mu in by_level.items()}
            moved = max(moved, *(abs(levels[comparison][lv][0] - mu[0]) for lv, mu in by_level.items()))
        current = Model(levels=levels, known_rate=current.known_rate)
        if moved < tolerance:
            break
    return current, lam


Session = tuple[Sequence[Vector], frozenset[str]]  # blocked pairs, the comparisons their rule fixes


def estimate_m_by_rules(
    sessions: Sequence[Session], model: Model, *, prior_strength: float = 50.0, min_matches: float = 0.0
) -> tuple[Model, list[float]]:
    """EM once per blocking rule, as Splink trains: the pairs sharing a birth date teach how names of a
    same youth differ, the pairs sharing a name teach how birth dates differ. Pairs found by every rule
    at once let EM take "agrees on the name" for "same youth" (a class of namesakes); one rule at a
    time, the comparisons it fixes cannot. Each comparison's m is the mean over the sessions that do
    not fix it (the priors where none estimates it). A session whose pairs hold fewer than
    ``min_matches`` estimated matches teaches nothing about matches (a program's records without
    duplicates): its estimate is not used. Returns the model and each session's share of matches."""
    estimates: dict[str, list[Levels]] = {c: [] for c in model.levels}
    shares = []
    for vectors, fixed in sessions:
        trained, share = estimate_m(
            vectors, model, prior_strength=prior_strength, start_lambda=0.3, fixed=fixed
        )
        shares.append(share)
        if share * len(vectors) < min_matches:
            continue
        for comparison in model.levels:
            if comparison not in fixed:
                estimates[comparison].append(trained.levels[comparison])
    levels = {}
    for comparison, by_level in model.levels.items():
        found = estimates[comparison]
        levels[comparison] = (
            {level: (sum(e[level][0] for e in found) / len(found), mu[1]) for level, mu in by_level.items()}
            if found
            else dict(by_level)
        )
    return Model(levels=levels, known_rate=model.known_rate), shares


def sample_pairs(n: int, count: int, rng: random.Random) -> list[tuple[int, int]]:
    """Random distinct index pairs, for ``estimate_u``."""
    pairs = []
    for _ in range(count):
        i, j = rng.randrange(n), rng.randrange(n)
        if i != j:
            pairs.append((i, j))
    return pairs

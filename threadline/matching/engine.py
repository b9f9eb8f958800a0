"""The in-process scorer: a referral against its candidates, ranked, with thresholds. No database here:
the same code ranks candidates read from the blind index (``selectors``) and those of an in-memory
index (``MemoryIndex``: tests and the benchmark's public data sets)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from threadline.matching.blocking import RULE_STRENGTH, WORD_RULES, QueryKey, referral_keys, youth_keys
from threadline.matching.compare import Person, compare
from threadline.matching.model import TYPO_LEVELS, Model, Score, at_most_one, bits_of

K = TypeVar("K", bound=Hashable)

CANDIDATE_LIMIT = 30  # youths fully compared per referral, at most (best blocking evidence first)
COMMON_KEY = 400  # a key shared by more youths than this finds nobody in particular: not used to block
RARE_WORD = 50  # a single word (or its sound) shared by at most this many youths may find candidates

# Probability thresholds: above UPPER, offer "this is the same youth"; between, a person reviews.
UPPER = 0.80
LOWER = 0.10


class Band:
    SAME = "same"
    REVIEW = "review"
    NEW = "new"


def band_of(probability: float, *, upper: float = UPPER, lower: float = LOWER) -> str:
    if probability >= upper:
        return Band.SAME
    if probability >= lower:
        return Band.REVIEW
    return Band.NEW


@dataclass(frozen=True)
class Ranked(Generic[K]):
    key: K
    score: Score

    @property
    def probability(self) -> float:
        return self.score.probability


def shortlist(hits: dict[K, set[str]], limit: int = CANDIDATE_LIMIT) -> list[K]:
    """Cut the candidate set by rough evidence (which rules found each youth) before full scoring."""
    if len(hits) <= limit:
        return list(hits)
    ranked = sorted(hits.items(), key=lambda item: -sum(RULE_STRENGTH[r] for r in item[1]))
    return [key for key, _rules in ranked[:limit]]


def rank(
    referral: Person,
    candidates: Iterable[tuple[K, Person]],
    *,
    model: Model,
    population: int,
    frequencies: dict[str, int],
    today: date,
    exclusive: bool = True,
    count_words: Callable[[set[str]], dict[str, int]] | None = None,
) -> list[Ranked[K]]:
    """``frequencies``: how many youths carry each word of the referral's names (a word left out:
    none). ``count_words`` counts the candidates' words a weight also needs (a youth's word one letter
    off a referral's word that youths carry: ``Model.typo_weight``), asked once, only when needed.
    ``exclusive``: the candidates compete, at most one is the youth referred (``at_most_one``); off only
    to deduplicate a file where one person may have several copies."""
    compared = [
        (key, compare(referral, person, today, name_weight=model.name_rank)) for key, person in candidates
    ]
    wanted = {
        words[1]
        for _key, vector in compared
        for comparison, words in vector.tf_tokens.items()
        if (comparison, vector.levels[comparison]) in TYPO_LEVELS and frequencies.get(words[0])
    }
    if wanted - frequencies.keys() and count_words is not None:
        frequencies = {**frequencies, **count_words(wanted - frequencies.keys())}
    out = []
    for key, vector in compared:
        out.append(Ranked(key, model.score(vector, population=population, frequencies=frequencies)))
    out.sort(key=lambda r: -r.score.weight)
    if exclusive:
        scores = at_most_one([r.score for r in out])
        out = [Ranked(r.key, score) for r, score in zip(out, scores, strict=True)]
    return out


class MemoryIndex(Generic[K]):
    """Blocking keys in a dict, for tests and benchmarks on public data (same rules as the database)."""

    def __init__(self) -> None:
        self.people: dict[K, Person] = {}
        self.keys: dict[tuple[str, str], set[K]] = defaultdict(set)
        self._of: dict[K, set[tuple[str, str]]] = {}

    def add(self, key: K, person: Person) -> None:
        self.remove(key)
        self.people[key] = person
        mine = youth_keys(person)
        self._of[key] = mine
        for k in mine:
            self.keys[k].add(key)

    def remove(self, key: K) -> None:
        for k in self._of.pop(key, set()):
            self.keys[k].discard(key)
        self.people.pop(key, None)

    def frequencies(self, person: Person, *, exclude: K | None = None) -> dict[str, int]:
        words = {t for parsed in person.all_names for t in (*parsed.tokens, *parsed.compounds)}
        return self.count_words(words, exclude=exclude)

    def count_words(self, words: set[str], *, exclude: K | None = None) -> dict[str, int]:
        """How many youths carry each word (its ``tk`` key, as the database counts it), ``exclude``
        left out (a record looked up among the others is not another youth carrying its own words)."""
        out = {}
        for word in words:
            found = self.keys.get(("tk", word), set())
            out[word] = len(found) - (exclude in found)
        return out

    def candidates(self, person: Person, today: date, *, exclude: K | None = None) -> list[K]:
        hits: dict[K, set[str]] = defaultdict(set)
        for qk in referral_keys(person, today=today):
            found = self.keys.get((qk.kind, qk.value))
            if not found or len(found) > (RARE_WORD if qk.rule in WORD_RULES else COMMON_KEY):
                continue
            for key in found:
                if key != exclude:
                    hits[key].add(qk.rule)
        return shortlist(hits)

    def match(
        self, person: Person, *, model: Model, today: date, exclude: K | None = None, exclusive: bool = True
    ) -> list[Ranked[K]]:
        keys = self.candidates(person, today, exclude=exclude)
        return rank(
            person,
            ((k, self.people[k]) for k in keys),
            model=model,
            population=max(len(self.people), 1),
            frequencies=self.frequencies(person, exclude=exclude),
            today=today,
            exclusive=exclusive,
            count_words=lambda words: self.count_words(words, exclude=exclude),
        )


__all__ = ["LOWER", "UPPER", "Band", "MemoryIndex", "QueryKey", "Ranked", "band_of", "bits_of", "rank"]

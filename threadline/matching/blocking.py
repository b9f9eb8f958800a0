"""Blocking rules: which known youths a referral is compared with at all.

Each youth is indexed under a few keys; a referral looks up the keys it could share with the youth it
names, including the errors the matcher tolerates (a birth date's variants, sound-alike names, names
swapped). The keys are stored only as keyed blind digests (``crypto.blind.digest``): the database never
holds a readable name, date or number. Rules:

- ``np``: two words of one name, by sound code, unordered ("garcia|maria"): swapped names, either
  surname of two, nicknames on the other word, misspellings that sound alike.
- ``tk``: one exact word. Used to count how common a word is (term frequency) and, for rare words only,
  to find candidates ("Smokey", a street name).
- ``dob``: the birth date.
- ``dn``: the birth date with one word's sound code. A referral looks it up for the date with day and
  month swapped, a day off, and every date one digit apart: a wrong birth date still finds the youth
  when one word of the name sounds alike, without pulling in everyone born near that day.
- ``cy``: one word's sound code with the birth year: a typo that breaks the other word's code.
- ``tc``: one word's sound code alone. Like ``tk``, used to find candidates only when few youths
  share it (a one-word name or street name: "Llesenia" finds "Yesenia").
- ``ps``: the first two letters of the first name with those of the surname, and the last two of each
  ("em|hi", "ly/on" for "Emily Hingston"): a typo in each word, or a typo in one word and a name too
  common for its word alone to find anybody, leaves one of the two ("Emiily Hingstxon", "Jaregd
  White"). Two keys per youth, for the first of its names with a surname; a referral looks them up
  for every name it gives, and with first name and surname swapped. Like ``tk``, a key shared by more
  than a few dozen youths finds namesakes, not typos: not used.
- ``ph``: the phone's last seven digits.
- ``id``, ``pc``: an identifier, a postcode, for sources that have them (not asked at intake). A postcode
  shared by more than a few hundred records finds nobody in particular and is skipped like any key.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import combinations

import jellyfish

from threadline.matching import names
from threadline.matching.compare import Person

# Rough evidence of each rule, to keep the best candidates when the set must be cut.
RULE_STRENGTH = {
    "id": 4.0,
    "pc": 0.5,
    "ph": 4.0,
    "dob": 4.0,
    "np": 3.0,
    "dn": 3.0,
    "cy": 1.5,
    "tk": 1.0,
    "ps": 1.0,
    "tc": 0.5,
}
# Rules whose keys are single words, or a few letters: too common a word finds nobody in particular, and
# more than a few dozen youths sharing four letters ("ma|ga") are namesakes, not typos.
WORD_RULES = frozenset({"tk", "tc", "ps"})


def _pairs(tokens: tuple[str, ...]) -> set[str]:
    return code_pairs(names.blocking_code(t) for t in tokens if t)


def code_pairs(codes: Iterable[str]) -> set[str]:
    """The ``np`` values of a name's words' blocking codes: each two, unordered."""
    return {pair_value(a, b) for a, b in combinations(sorted(set(codes)), 2)}


def pair_value(first: str, second: str) -> str:
    """The ``np`` value of two blocking codes, ``first`` sorting before ``second``."""
    return f"{first}|{second}"


@lru_cache(maxsize=65536)
def _word_codes(token: str) -> frozenset[str]:
    """Two sound codes of one word: the blocking code and NYSIIS (which keeps "Marisoll" = "Marisol"
    where the Spanish fold reads the double l as a y)."""
    out = {names.blocking_code(token)}
    if token.isalpha():
        out.add("ny:" + jellyfish.nysiis(token))
    return frozenset(out)


def youth_keys(person: Person) -> set[tuple[str, str]]:
    """(rule, value) keys a youth is indexed under."""
    keys: set[tuple[str, str]] = set(youth_record_keys(person))
    for parsed in person.all_names:
        keys |= name_keys(parsed)
        if person.dob is not None:
            keys |= dated_name_keys(name_codes(parsed), person.dob)
    keys |= letter_keys(next((p for p in person.parsed if p.given and p.surnames), names.EMPTY))
    return keys


def letter_keys(parsed: names.Name) -> set[tuple[str, str]]:
    """``ps``: the first two letters of the first name and of the (first) surname, and the last two."""
    if not parsed.given or not parsed.surnames:
        return set()
    given, surname = parsed.given, parsed.surnames[0]
    return {("ps", f"{given[:2]}|{surname[:2]}"), ("ps", f"{given[-2:]}/{surname[-2:]}")}


# ``youth_keys`` in parts, so the bulk build (``index.BulkDigests``) can keep the digests of each part that
# many youths share (a name, a birth year) and compute every key with the same code as one youth's update.


def name_keys(parsed: names.Name) -> set[tuple[str, str]]:
    """The keys of one name that do not depend on the birth date."""
    tokens = parsed.tokens[:5]
    keys: set[tuple[str, str]] = set()
    keys.update(("np", pair) for pair in _pairs(tokens))
    keys.update(("tk", compound) for compound in parsed.compounds)
    for token in tokens:
        keys |= word_keys(token)
    return keys


def word_keys(token: str) -> set[tuple[str, str]]:
    """The keys of one word of a name: the word, its sound codes."""
    return {("tk", token), *(("tc", code) for code in _word_codes(token))}


@lru_cache(maxsize=65536)
def name_codes(parsed: names.Name) -> tuple[str, ...]:
    """The blocking code of each indexed word of one name (the words ``name_keys`` reads)."""
    return tuple(dict.fromkeys(names.blocking_code(t) for t in parsed.tokens[:5]))


def dated_name_keys(codes: tuple[str, ...], dob: date) -> set[tuple[str, str]]:
    """The keys of one name's words with the birth date: sound code and year, date and sound code."""
    keys = {("cy", value) for value in code_year_values(codes, str(dob.year))}
    keys.update(("dn", value) for value in day_code_values(codes, dob.isoformat()))
    return keys


def code_year_values(codes: Iterable[str], year: str) -> list[str]:
    return [f"{code}|{year}" for code in codes]


def day_code_values(codes: Iterable[str], day: str) -> list[str]:
    return [f"{day}|{code}" for code in codes]


def youth_record_keys(person: Person) -> set[tuple[str, str]]:
    """The keys that are not about a name: birth date, phones, identifiers, postcode."""
    keys: set[tuple[str, str]] = set()
    if person.dob is not None:
        keys.add(("dob", person.dob.isoformat()))
    keys.update(("ph", phone[-7:]) for phone in person.phones)
    keys.update(("id", identifier) for identifier in person.identifiers)
    if person.postcode:
        keys.add(("pc", person.postcode))
    return keys


def dob_variants(day: date) -> set[date]:
    """Dates a referrer may have meant: day and month swapped, a day off, any one digit wrong."""
    out = {day + timedelta(days=1), day - timedelta(days=1)}
    if day.day <= 12:
        with contextlib.suppress(ValueError):
            out.add(date(day.year, day.day, day.month))
    text = day.strftime("%Y%m%d")
    for position in range(8):
        for digit in "0123456789":
            if digit == text[position]:
                continue
            candidate = text[:position] + digit + text[position + 1 :]
            try:
                out.add(date(int(candidate[:4]), int(candidate[4:6]), int(candidate[6:])))
            except ValueError:
                continue
    out.discard(day)
    return {d for d in out if 1900 < d.year < 2100}


@dataclass(frozen=True)
class QueryKey:
    rule: str  # np, tk, tc, dob, dn, cy, ph, id, pc
    value: str

    @property
    def kind(self) -> str:
        return self.rule


def referral_keys(person: Person, *, today: date) -> set[QueryKey]:
    keys: set[QueryKey] = set()
    years: set[int] = set()
    dates: list[date] = []
    if person.dob is not None:
        years = {person.dob.year}
        keys.add(QueryKey("dob", person.dob.isoformat()))
        dates = [person.dob, *sorted(dob_variants(person.dob))]
    elif person.age is not None:
        years = {today.year - person.age, today.year - person.age - 1}
    for parsed in person.all_names:
        tokens = parsed.tokens[:5]
        keys.update(QueryKey("np", pair) for pair in _pairs(tokens))
        keys.update(QueryKey("tk", token) for token in (*tokens, *parsed.compounds))
        for token in tokens:
            code = names.blocking_code(token)
            keys.update(QueryKey("tc", c) for c in _word_codes(token))
            keys.update(QueryKey("cy", f"{code}|{year}") for year in years)
            keys.update(QueryKey("dn", f"{d.isoformat()}|{code}") for d in dates)
        # A nickname on one side: pair the other words with the formal names it stands for.
        for variant in _nickname_variants(parsed):
            keys.update(QueryKey("np", pair) for pair in _pairs(variant))
        # Every surname given (the youth's key holds its first), and first name and surname swapped.
        for surname in parsed.surnames if parsed.given else ():
            for given, other in ((parsed.given, surname), (surname, parsed.given)):
                named = names.Name(given, (), (other,), ())
                keys.update(QueryKey(rule, value) for rule, value in letter_keys(named))
    keys.update(QueryKey("ph", phone[-7:]) for phone in person.phones)
    keys.update(QueryKey("id", identifier) for identifier in person.identifiers)
    if person.postcode:
        keys.add(QueryKey("pc", person.postcode))
    return keys


def _nickname_variants(parsed: names.Name) -> list[tuple[str, ...]]:
    """The name with its given name replaced by each related formal name or diminutive."""
    return [(other, *parsed.others) for other in names.relatives(parsed.given)[:12]]

"""What two records say about each other, field by field: each comparison returns a *level* (the
first of its ordered conditions that holds) and, for name matches exact or one letter off, the
words whose frequency adjusts the weight. Levels are fixed names so a trained model and the
explanations refer to them.

The levels follow the errors seen in referrals: nicknames and diminutives, either part of a double
surname, given name and surname swapped, a birth date with day and month transposed or one digit
wrong or a day off, only the age known, a phone's last digits, a youth who moved county.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from rapidfuzz.distance import OSA

from threadline.matching import names
from threadline.matching import names as names_lib
from threadline.matching.birth_dates import digits_swapped, one_digit_apart
from threadline.matching.names import Name
from threadline.matching.sources import (
    ADDRESS_LEVELS,
    IDENT_LEVELS,
    LOCALITY_LEVELS,
    POSTCODE_LEVELS,
    address_parts,
    compare_address,
    compare_identifiers,
    compare_locality,
    compare_postcode,
)

NULL = "null"  # one side does not say: no evidence either way (weight 0)


@dataclass(frozen=True)
class Person:
    """What one side knows. For a youth: every name it goes by; for a referral: what was given."""

    names: tuple[str, ...] = ()  # the primary names (referral: the name given; youth: preferred, legal)
    aliases: tuple[str, ...] = ()  # other names, street names, former names
    dob: date | None = None
    age: int | None = None  # estimated age in years (only compared when a birth date is missing)
    gender: str = ""
    phones: tuple[str, ...] = ()  # digits only
    counties: tuple[str, ...] = ()
    guardians: tuple[str, ...] = ()
    # Optional, for sources that have them (not asked at intake): an identifier such as a case number,
    # a street address, a town or suburb, a postcode.
    identifiers: tuple[str, ...] = ()
    address: str = ""
    locality: str = ""
    postcode: str = ""
    address_split: tuple[str, str] = field(default=("", ""), compare=False)  # (number, street)
    parsed: tuple[Name, ...] = field(default=(), compare=False)
    parsed_aliases: tuple[Name, ...] = field(default=(), compare=False)

    @staticmethod
    def make(
        *,
        names: tuple[str, ...] | list[str] = (),
        aliases: tuple[str, ...] | list[str] = (),
        dob: date | None = None,
        age: int | None = None,
        gender: str = "",
        phones: tuple[str, ...] | list[str] = (),
        counties: tuple[str, ...] | list[str] = (),
        guardians: tuple[str, ...] | list[str] = (),
        name_parts: tuple[tuple[str, str], ...] | list[tuple[str, str]] = (),
        identifiers: tuple[str, ...] | list[str] = (),
        address: str = "",
        locality: str = "",
        postcode: str = "",
    ) -> Person:
        """``names``: whole names as typed; ``name_parts``: (first names, surnames) pairs."""
        clean_names = tuple(dict.fromkeys(n for n in names if n and n.strip()))
        clean_aliases = tuple(dict.fromkeys(n for n in aliases if n and n.strip()))
        address = " ".join(names_lib.normalize(address).split())
        parsed = tuple(p for p in (names_parse(n) for n in clean_names) if p.given)
        parsed += tuple(
            p for p in (names_lib.parse_parts(g, s) for g, s in name_parts) if p.given or p.surnames
        )
        parsed_aliases = tuple(p for p in (names_parse(n) for n in clean_aliases) if p.given)
        return Person(
            names=clean_names,
            aliases=clean_aliases,
            dob=dob,
            age=age,
            gender=gender_normalize(gender),
            phones=tuple(d for d in (phone_digits(p) for p in phones) if d),
            counties=tuple(dict.fromkeys(county_normalize(c) for c in counties if c.strip())),
            guardians=tuple(g for g in guardians if g.strip()),
            identifiers=tuple(i for i in (re.sub(r"\W", "", x) for x in identifiers) if i),
            address=address,
            locality="".join(names_lib.normalize(locality).split()),
            postcode=re.sub(r"\W", "", postcode or ""),
            address_split=address_parts(address),
            parsed=parsed,
            parsed_aliases=parsed_aliases,
        )

    @property
    def all_names(self) -> tuple[Name, ...]:
        return self.parsed + self.parsed_aliases


def names_parse(text: str) -> Name:
    return names.parse(text)


_NON_DIGITS = re.compile(r"\D")  # compiled once: ``re.sub``'s cache lookup cost more than the substitution


def phone_digits(text: str) -> str:
    digits = _NON_DIGITS.sub("", text or "")
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits if len(digits) >= 7 else ""


def county_normalize(text: str) -> str:
    words = names.normalize(text).replace(" county", "").split()
    return " ".join(words)


_GENDERS = {
    "f": "f",
    "female": "f",
    "girl": "f",
    "woman": "f",
    "mujer": "f",
    "nina": "f",
    "femenino": "f",
    "m": "m",
    "male": "m",
    "boy": "m",
    "man": "m",
    "hombre": "m",
    "nino": "m",
    "masculino": "m",
}


def gender_normalize(text: str) -> str:
    """Only clear female/male answers are compared; any other identity is kept out of the score
    (no evidence either way) rather than forced into a box."""
    return _GENDERS.get(names.normalize(text or "").strip(), "")


# --- names -------------------------------------------------------------------------------------------

GIVEN_LEVELS = ("exact", "nickname", "typo", "fuzzy", "elsewhere", "initial", "weak", "else")
SURNAME_LEVELS = ("exact", "one_of_two", "typo", "fuzzy", "elsewhere", "weak", "else")

STRONG = 0.88
WEAK = 0.80
TYPO_MIN = 3  # letters of the shorter word before one letter off counts as a typo


@lru_cache(maxsize=1 << 18)
def one_typo(a: str, b: str) -> bool:
    """One letter off: one letter wrong, missing, added, or two neighbouring letters swapped
    ("Hingston"/"Hingstxon", "Mia"/"Mai"). Two random names rarely are, whatever their sound codes or
    Jaro–Winkler say ("Mia"/"Mai" are neither), so it weighs more than "spelled alike"; how rarely is
    counted from the program's names (``training``)."""
    if a == b or min(len(a), len(b)) < TYPO_MIN or abs(len(a) - len(b)) > 1:
        return False
    return bool(OSA.distance(a, b, score_cutoff=1) == 1)


@lru_cache(maxsize=1 << 18)
def _close(a: str, b: str) -> bool:
    """Spelled or sounding alike. A shared sound code alone is not enough on short names ("Sara" and
    "Sherri" share NYSIIS and Metaphone codes): the spelling must be somewhat alike too."""
    if a == b:
        return True
    similarity = names.similarity(a, b)
    return similarity >= STRONG or (similarity >= WEAK and names.sounds_alike(a, b))


@lru_cache(maxsize=1 << 18)
def _same_word(a: str, b: str) -> bool:
    """For a word found in another place of the name (swapped, middle name): stricter than ``_close``,
    since each extra place compared is another chance of a coincidence."""
    return a == b or names.related_names(a, b) or names.similarity(a, b) >= 0.93


Words = tuple[str, ...]  # the words whose frequency adjusts a level's weight (``Vector.tf_tokens``)


def compare_given(a: Name, b: Name) -> tuple[str, Words]:
    """``a``: the referral's name, ``b``: one of the youth's. The level, and the words whose frequency
    adjusts its weight: the word matched exactly, or the referral's word and the youth's one letter off."""
    if not a.given or not b.given:
        return NULL, ()
    if a.given == b.given:
        return "exact", (a.given,)
    if names.related_names(a.given, b.given):
        return "nickname", ()
    if one_typo(a.given, b.given):
        return "typo", (a.given, b.given)
    if _close(a.given, b.given):
        return "fuzzy", ()
    # The given name appears elsewhere in the other name: names swapped, or a middle name used.
    if any(_same_word(a.given, t) for t in b.others) or any(_same_word(b.given, t) for t in a.others):
        return "elsewhere", ()
    if (len(a.given) == 1 or len(b.given) == 1) and a.given[0] == b.given[0]:
        return "initial", ()
    if names.similarity(a.given, b.given) >= WEAK:
        return "weak", ()
    return "else", ()


def compare_surname(a: Name, b: Name) -> tuple[str, Words]:
    """As ``compare_given``, for the surnames."""
    if not a.surnames or not b.surnames:
        return NULL, ()
    # "de la Cruz" = "Delacruz": a joined surname with its particles equals the same words apart.
    if (
        a.surnames == b.surnames
        or set(a.compounds) & (set(b.compounds) | set(b.surnames))
        or set(b.compounds) & set(a.surnames)
    ):
        return "exact", (a.surnames[0],)
    a_forms = set(a.surnames) | set(a.compounds)
    b_forms = set(b.surnames) | set(b.compounds)
    shared = a_forms & b_forms
    if shared:
        # One part of a double surname (father's or mother's) given alone, or the other part differs.
        return "one_of_two", (min(shared),)
    typo = next(((x, y) for x in a.surnames for y in b.surnames if one_typo(x, y)), None)
    if typo:
        return "typo", typo
    if any(_close(x, y) for x in a.surnames for y in b.surnames):
        return "fuzzy", ()
    # Names swapped: a surname is the other's given name *and* the given name is among the other's
    # surnames (two different words: one coincidence must not count twice).
    if (
        b.given
        and any(_same_word(x, b.given) for x in a.surnames)
        and any(_same_word(a.given, y) for y in b.others)
    ) or (
        a.given
        and any(_same_word(y, a.given) for y in b.surnames)
        and any(_same_word(b.given, x) for x in a.others)
    ):
        return "elsewhere", ()
    if any(names.similarity(x, y) >= WEAK for x in a.surnames for y in b.surnames):
        return "weak", ()
    return "else", ()


ALIAS_LEVELS = ("exact", "fuzzy", "none")


def _same_full_name(a: Name, b: Name) -> bool:
    return a.key == b.key


def _names_alike(a: Name, b: Name) -> bool:
    """Every word of one name spelled or sounding like a word of the other ("Loopita" / "Lupita")."""
    if len(a.tokens) != len(b.tokens):
        return names.similarity(a.key, b.key) >= STRONG
    return all(any(_close(x, y) for y in b.tokens) for x in a.tokens)


def compare_aliases(left: Person, right: Person) -> str:
    """Another name the referrer gave (a street name, a former name) among every name of the youth.
    (The name the referrer gave is already compared with every name of the youth, other names included,
    by the first-name and surname comparisons: not counted twice.) Nor is an other name that repeats
    the name given ("Smokey" as the name and again as "also known as"): it is the same word, already
    compared, and counted twice one shared street name weighed as two coincidences (three youths
    never known were offered as "the same youth" on 10,000 generated ones)."""
    given = {n.key for n in left.parsed}
    pairs = [(a, b) for a in left.parsed_aliases if a.key not in given for b in right.all_names]
    if not pairs:
        return NULL
    if any(_same_full_name(a, b) for a, b in pairs):
        return "exact"
    if any(_names_alike(a, b) for a, b in pairs):
        return "fuzzy"
    return "none"


# --- birth date, age ---------------------------------------------------------------------------------

DOB_LEVELS = ("exact", "transposed", "swapped", "one_digit", "off_by_one", "same_year", "else")


def compare_dob(a: date | None, b: date | None) -> str:
    if a is None or b is None:
        return NULL
    if a == b:
        return "exact"
    if a.year == b.year and a.month == b.day and a.day == b.month:
        return "transposed"
    if digits_swapped(a, b):
        return "swapped"
    if one_digit_apart(a, b):
        return "one_digit"
    if abs((a - b).days) == 1:
        return "off_by_one"
    if a.year == b.year:
        return "same_year"
    return "else"


AGE_LEVELS = ("close", "near", "else")


def compare_age(left: Person, right: Person, today: date) -> str:
    """Only when a birth date is missing on one side: otherwise the birth date already said it."""
    if left.dob is not None and right.dob is not None:
        return NULL
    ages = [age_of(p, today) for p in (left, right)]
    if ages[0] is None or ages[1] is None:
        return NULL
    gap = abs(ages[0] - ages[1])
    if gap <= 1:
        return "close"
    if gap <= 2:
        return "near"
    return "else"


def age_of(person: Person, today: date) -> int | None:
    if person.dob is not None:
        dob = person.dob
        return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))
    return person.age


# --- gender, phone, county, guardians ------------------------------------------------------------------

GENDER_LEVELS = ("same", "else")


def compare_gender(a: str, b: str) -> str:
    if not a or not b:
        return NULL
    return "same" if a == b else "else"


PHONE_LEVELS = ("same", "last4", "else")


def compare_phone(a: tuple[str, ...], b: tuple[str, ...]) -> str:
    if not a or not b:
        return NULL
    if any(x[-7:] == y[-7:] for x in a for y in b):
        return "same"
    if any(x[-4:] == y[-4:] for x in a for y in b):
        return "last4"
    return "else"


COUNTY_LEVELS = ("same", "else")


def compare_county(a: tuple[str, ...], b: tuple[str, ...]) -> str:
    if not a or not b:
        return NULL
    return "same" if set(a) & set(b) else "else"


GUARDIAN_LEVELS = ("same", "surname", "else")


def compare_guardians(a: tuple[str, ...], b: tuple[str, ...]) -> str:
    if not a or not b:
        return NULL
    parsed_a = [names.parse(x) for x in a]
    parsed_b = [names.parse(y) for y in b]
    if any(x.given and x.key == y.key for x in parsed_a for y in parsed_b):
        return "same"
    if any(
        x.given and y.given and _close(x.given, y.given) and compare_surname(x, y)[0] != "else"
        for x in parsed_a
        for y in parsed_b
    ):
        return "same"
    if any(set(x.surnames) & set(y.surnames) for x in parsed_a for y in parsed_b):
        return "surname"
    return "else"


# --- all together --------------------------------------------------------------------------------------

COMPARISONS: dict[str, tuple[str, ...]] = {
    "given": GIVEN_LEVELS,
    "surname": SURNAME_LEVELS,
    "alias": ALIAS_LEVELS,
    "dob": DOB_LEVELS,
    "age": AGE_LEVELS,
    "gender": GENDER_LEVELS,
    "phone": PHONE_LEVELS,
    "county": COUNTY_LEVELS,
    "guardian": GUARDIAN_LEVELS,
    "ident": IDENT_LEVELS,
    "address": ADDRESS_LEVELS,
    "locality": LOCALITY_LEVELS,
    "postcode": POSTCODE_LEVELS,
}


@dataclass(frozen=True)
class Vector:
    """One level per comparison, and the words whose frequency adjusts a name level's weight: the word
    matched exactly, or the referral's word and the youth's one letter off (``Model.typo_weight``)."""

    levels: dict[str, str]
    tf_tokens: dict[str, Words]


def compare(
    left: Person, right: Person, today: date, name_weight: Callable[[str, str], float] | None = None
) -> Vector:
    """Compare a referral (``left``) with a known youth (``right``). The names are paired to give the
    strongest agreement: the referral's name against each of the youth's names and other names."""
    levels: dict[str, str] = {}
    tf: dict[str, Words] = {}
    # The first name and the surname are each compared with every name the youth goes by: a youth
    # known as "Jessica" (preferred) and "Kenneth Morgan" (legal) is "Jessie Morgan" on a referral.
    rank = name_weight or _default_rank
    best: tuple[float, tuple[str, Words], tuple[str, Words]] | None = None
    for a in left.parsed:
        # A name without that part (a one-word street name) says nothing: it never hides a
        # disagreement found on a name that has it.
        given = max(
            (compare_given(a, b) for b in right.all_names or (names.EMPTY,)),
            key=lambda g: -1e9 if g[0] == NULL else rank(g[0], NULL),
        )
        surname = max(
            (compare_surname(a, b) for b in right.all_names or (names.EMPTY,)),
            key=lambda s: -1e9 if s[0] == NULL else rank(NULL, s[0]),
        )
        total = rank(given[0], surname[0])
        if best is None or total > best[0]:
            best = (total, given, surname)
    if best is None:
        levels["given"], levels["surname"] = NULL, NULL
    else:
        (levels["given"], given_tf), (levels["surname"], surname_tf) = best[1], best[2]
        if given_tf:
            tf["given"] = given_tf
        if surname_tf:
            tf["surname"] = surname_tf
    levels["alias"] = compare_aliases(left, right)
    levels["dob"] = compare_dob(left.dob, right.dob)
    levels["age"] = compare_age(left, right, today)
    levels["gender"] = compare_gender(left.gender, right.gender)
    levels["phone"] = compare_phone(left.phones, right.phones)
    levels["county"] = compare_county(left.counties, right.counties)
    levels["guardian"] = compare_guardians(left.guardians, right.guardians)
    levels["ident"] = compare_identifiers(left.identifiers, right.identifiers)
    levels["address"] = compare_address(left.address_split, right.address_split)
    levels["locality"] = compare_locality(left.locality, right.locality)
    levels["postcode"] = compare_postcode(left.postcode, right.postcode)
    return Vector(levels, tf)


def _default_rank(given: str, surname: str) -> float:
    order = {
        "exact": 6,
        "one_of_two": 5,
        "nickname": 5,
        "typo": 4.5,
        "fuzzy": 4,
        "elsewhere": 3,
        "initial": 1,
        "weak": 1,
        "else": -1,
    }
    return order.get(given, 0) + order.get(surname, 0)

"""Comparisons of fields that only some sources carry (intake never asks for them): an identifier such
as a case number, a street address, a town or suburb, a postcode.

An address is compared in its parts, because each part goes wrong on its own: a street line typed with
a space lost ("colebatchplace") or a letter wrong, the house number left out or mistyped, the town
misspelled. The parts are split once per record (``address_parts``), never per pair.
"""

from __future__ import annotations

import re

from threadline.matching import names

NULL = "null"  # one side does not say: no evidence either way (weight 0)

IDENT_LEVELS = ("same", "one_typo", "else")


def one_edit(a: str, b: str) -> bool:
    """Same length and one character wrong, or two neighbours swapped."""
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    return False


def compare_identifiers(a: tuple[str, ...], b: tuple[str, ...]) -> str:
    if not a or not b:
        return NULL
    if set(a) & set(b):
        return "same"
    if any(one_edit(x, y) for x in a for y in b):
        return "one_typo"
    return "else"


_NUMBER = re.compile(r"^\d+[a-z]?$")


def address_parts(address: str) -> tuple[str, str]:
    """(house number, street line without spaces) of a normalized street address: "12 colebatch place"
    -> ("12", "colebatchplace"); a lost or extra space no longer makes two streets differ."""
    words = address.split()
    number = ""
    if words and _NUMBER.match(words[0]):
        number, words = words[0], words[1:]
    return number, re.sub(r"[\W_]", "", "".join(words))


# same: the street alike and the number not different; similar: the street somewhat alike; street:
# the street alike but another number (or one side without a number and the street only somewhat
# alike); number: only the house number agrees.
ADDRESS_LEVELS = ("same", "similar", "street", "number", "else")


def compare_address(a: tuple[str, str], b: tuple[str, str]) -> str:
    (a_number, a_street), (b_number, b_street) = a, b
    if not (a_number or a_street) or not (b_number or b_street):
        return NULL
    numbers = a_number == b_number if a_number and b_number else None
    street = _likeness(a_street, b_street) if a_street and b_street else "else"
    if street != "else":
        return street if numbers is not False else "street"
    if numbers:
        return "number"
    return "else"


LOCALITY_LEVELS = ("same", "similar", "else")


def compare_locality(a: str, b: str) -> str:
    """Town or suburb, spaces left out when the record is made ("norw ood" = "norwood")."""
    return _likeness(a, b) if a and b else NULL


def _likeness(a: str, b: str) -> str:
    """Two words of an address: "same" (equal, or Jaro-Winkler similarity 0.92 and up), "similar"
    (0.80 and up) or "else"."""
    similarity = 1.0 if a == b else names.similarity(a, b)
    if similarity >= 0.92:
        return "same"
    if similarity >= 0.80:
        return "similar"
    return "else"


POSTCODE_LEVELS = ("same", "one_typo", "else")


def compare_postcode(a: str, b: str) -> str:
    if not a or not b:
        return NULL
    if a == b:
        return "same"
    return "one_typo" if one_edit(a, b) else "else"

"""Fields only some sources carry (identifier, street address, town, postcode): compared in parts, and
an identifier or postcode finds the record even when the names and the birth date are mistyped."""

from __future__ import annotations

from datetime import date

import pytest

from threadline.matching.blocking import QueryKey, referral_keys, youth_keys
from threadline.matching.compare import Person, compare
from threadline.matching.engine import MemoryIndex
from threadline.matching.model import Model
from threadline.matching.sources import (
    NULL,
    address_parts,
    compare_address,
    compare_identifiers,
    compare_locality,
    compare_postcode,
)

TODAY = date(2026, 12, 1)


def test_an_address_splits_into_house_number_and_street_without_spaces() -> None:
    assert address_parts("12 colebatch place") == ("12", "colebatchplace")
    assert address_parts("colebatchplace") == ("", "colebatchplace")
    assert address_parts("4b o'sullivan street") == ("4b", "osullivanstreet")
    assert address_parts("") == ("", "")


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        ("12 colebatch place", "12 colebatchplace", "same"),  # a space lost
        ("colebatch place", "12 colebatch place", "same"),  # the number left out
        ("12 colebatch place", "12 colebatsh plaec", "same"),  # a typo in a long street name
        ("12 bilpin", "12 blipni", "similar"),  # letters swapped in a short one
        ("28 colebatch place", "85 colebatch place", "street"),  # another house number
        ("28", "28 smiths road", "number"),  # only the number given
        ("28", "85 smiths road", "else"),
        ("12 colebatch place", "9 hyndes crescent", "else"),
        ("", "9 hyndes crescent", NULL),
    ],
)
def test_address_levels(left: str, right: str, level: str) -> None:
    assert compare_address(address_parts(left), address_parts(right)) == level


def test_town_identifier_and_postcode_levels() -> None:
    assert compare_locality("norwood", "norwood") == "same"
    assert compare_locality("mooroolbark", "mooroolbrak") == "same"
    assert compare_locality("kahibah", "kahiba") == "same"
    assert compare_locality("woodend", "wodnedn") == "similar"
    assert compare_locality("dalby", "taree") == "else"
    assert compare_locality("", "taree") == NULL
    assert compare_identifiers(("2172403",), ("2172403",)) == "same"
    assert compare_identifiers(("2519977",), ("2519978",)) == "one_typo"
    assert compare_identifiers(("2519977",), ("9239710",)) == "else"
    assert compare_postcode("3189", "3198") == "one_typo"
    assert compare_postcode("3189", "") == NULL


def test_a_person_made_with_a_town_compares_it_without_spaces() -> None:
    left = Person.make(name_parts=[("jack", "wang")], address="elliott street", locality="norw ood")
    right = Person.make(name_parts=[("jack", "wang")], address="7 elliott street", locality="Norwood")
    levels = compare(left, right, TODAY).levels
    assert (levels["address"], levels["locality"]) == ("same", "same")


def test_a_shared_identifier_or_postcode_is_a_blocking_key() -> None:
    person = Person.make(name_parts=[("emiily", "hingston")], identifiers=["4431563"], postcode="2565")
    assert {("id", "4431563"), ("pc", "2565")} <= youth_keys(person)
    assert {QueryKey("id", "4431563"), QueryKey("pc", "2565")} <= referral_keys(person, today=TODAY)


def test_an_identifier_finds_a_record_whose_names_and_birth_date_are_all_mistyped() -> None:
    index: MemoryIndex[str] = MemoryIndex()
    index.add(
        "known",
        Person.make(name_parts=[("lachlan", "couzens")], dob=date(1969, 9, 11), identifiers=["1741428"]),
    )
    for n in range(30):
        index.add(f"other{n}", Person.make(name_parts=[("lachlan", f"smith{n}")], identifiers=[f"9{n:06d}"]))
    referral = Person.make(
        name_parts=[("lachoan", "couzesn")], dob=date(1988, 7, 29), identifiers=["1741428"]
    )
    ranked = index.match(referral, model=Model(), today=TODAY)
    assert ranked and ranked[0].key == "known"

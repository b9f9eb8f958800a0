"""Field comparisons on hand-made pairs: each error a referral makes lands on its own level."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from threadline.matching import names
from threadline.matching.birth_dates import swapped_digits
from threadline.matching.compare import (
    NULL,
    Person,
    compare,
    compare_aliases,
    compare_county,
    compare_dob,
    compare_given,
    compare_guardians,
    compare_phone,
    compare_surname,
)

TODAY = date(2026, 12, 1)


def name(text: str) -> names.Name:
    return names.parse(text)


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        ("Alejandro Ruiz", "Alejandro Ruiz", "exact"),
        ("Alex Ruiz", "Alejandro Ruiz", "nickname"),
        ("Liz Carter", "Elizabeth Carter", "nickname"),
        ("Lupe Soto", "Guadalupe Soto", "nickname"),
        ("Jazmin Soto", "Jasmine Soto", "fuzzy"),
        ("Jaregd Soto", "Jared Soto", "typo"),  # one letter added
        ("Mai Soto", "Mia Soto", "typo"),  # two neighbouring letters swapped: neither alike nor sounding
        ("Andrwe Soto", "Andrew Soto", "typo"),
        ("Llesenia Soto", "Yesenia Soto", "fuzzy"),
        ("Ruiz Alejandro", "Alejandro Ruiz", "elsewhere"),
        ("Destiny Soto", "Alejandro Soto", "else"),
    ],
)
def test_first_name_levels(left: str, right: str, level: str) -> None:
    assert compare_given(name(left), name(right))[0] == level


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        ("Ana García López", "Ana García López", "exact"),
        ("Ana López", "Ana García López", "one_of_two"),  # the second surname alone
        ("Ana García", "Ana García López", "one_of_two"),  # the first surname alone
        ("María Cruz", "María de la Cruz", "exact"),  # a particle is not a surname
        ("María Delacruz", "María de la Cruz", "exact"),  # written joined
        ("Ana Lopes", "Ana López", "typo"),  # one letter off
        ("Ana Hingstxon", "Ana Hingston", "typo"),  # one letter added
        ("Ana Gonsales", "Ana González", "fuzzy"),  # two letters off, spelled alike
        ("Ana Vásquez", "Ana Basques", "fuzzy"),  # Spanish v/b, z/s
        ("Ruiz Alejandro", "Alejandro Ruiz", "elsewhere"),
        ("Ana Whitfield", "Ana García", "else"),
    ],
)
def test_surname_levels(left: str, right: str, level: str) -> None:
    assert compare_surname(name(left), name(right))[0] == level


def test_a_missing_name_part_is_no_evidence() -> None:
    assert compare_surname(name("Smokey"), name("Alejandro Ruiz")) == (NULL, ())
    assert compare_given(names.EMPTY, name("Alejandro Ruiz")) == (NULL, ())


def test_an_exact_name_names_the_word_whose_frequency_counts() -> None:
    assert compare_given(name("Maria Soto"), name("Maria Soto")) == ("exact", ("maria",))
    assert compare_surname(name("Maria Soto"), name("Maria Soto")) == ("exact", ("soto",))


def test_a_name_one_letter_off_names_the_referrals_word_then_the_youths() -> None:
    assert compare_given(name("Marya Soto"), name("Maria Soto")) == ("typo", ("marya", "maria"))
    assert compare_surname(name("Elaine Gracia"), name("Elaine Garcia Villalobos")) == (
        "typo",
        ("gracia", "garcia"),
    )
    assert compare_surname(name("Elaine Ortiz Gracia"), name("Elaine Garcia")) == (
        "typo",
        ("gracia", "garcia"),
    )


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        (date(2010, 3, 14), date(2010, 3, 14), "exact"),
        (date(2010, 3, 4), date(2010, 4, 3), "transposed"),
        (date(2012, 3, 14), date(2021, 3, 14), "swapped"),  # two neighbouring digits swapped
        (date(2010, 3, 12), date(2010, 3, 21), "swapped"),
        (date(2010, 3, 12), date(2010, 3, 13), "one_digit"),
        (date(2010, 3, 14), date(2010, 3, 18), "one_digit"),
        (date(2010, 3, 14), date(2011, 3, 14), "one_digit"),
        (date(2010, 3, 19), date(2010, 3, 20), "off_by_one"),
        (date(2010, 3, 14), date(2010, 9, 27), "same_year"),
        (date(2010, 3, 14), date(2012, 7, 2), "else"),
        (None, date(2012, 7, 2), NULL),
    ],
)
def test_birth_date_levels(left: date | None, right: date | None, level: str) -> None:
    assert compare_dob(left, right) == level


def test_phone_county_guardian_alias_levels() -> None:
    assert compare_phone(("2105550144",), ("2105550144",)) == "same"
    assert compare_phone(("2105550144",), ("8305550144",)) == "same"  # the last seven digits
    assert compare_phone(("2105550144",), ("2109990144",)) == "last4"
    assert compare_phone(("2105550144",), ()) == NULL
    assert compare_county(("bexar",), ("travis", "bexar")) == "same"
    assert compare_county(("bexar",), ("travis",)) == "else"
    assert compare_guardians(("Rosa Ruiz",), ("Rosa Ruiz",)) == "same"
    assert compare_guardians(("Rosa Ruiz",), ("Marta Ruiz",)) == "surname"
    referral = Person.make(names=["Ale Ruiz"], aliases=["Smokey"])
    youth = Person.make(names=["Alejandro Ruiz"], aliases=["Smokey"])
    assert compare_aliases(referral, youth) == "exact"
    assert (
        compare_aliases(Person.make(names=["Ale Ruiz"], aliases=["Loopita"]), Person.make(names=["Lupita"]))
        == "fuzzy"
    )
    assert compare_aliases(Person.make(names=["Ale Ruiz"]), youth) == NULL  # the referrer gave none


def test_an_other_name_that_repeats_the_name_given_is_not_counted_twice() -> None:
    # The street name given as the name and again as "also known as": one word, one comparison.
    referral = Person.make(names=["Smokey"], aliases=["Smokey"])
    youth = Person.make(names=["Alejandro Ruiz"], aliases=["Smokey"])
    vector = compare(referral, youth, TODAY)
    assert vector.levels["given"] == "exact"
    assert vector.levels["alias"] == NULL
    # An other name besides the name given still counts.
    both = Person.make(names=["Smokey"], aliases=["Smokey", "Alejandro Ruiz"])
    assert compare_aliases(both, youth) == "exact"


def test_the_name_is_compared_with_every_name_of_the_youth_street_names_included() -> None:
    referral = Person.make(names=["Smokey"], dob=date(2010, 3, 14))
    youth = Person.make(names=["Alejandro Ruiz"], aliases=["Smokey"], dob=date(2010, 3, 14))
    vector = compare(referral, youth, TODAY)
    assert vector.levels["given"] == "exact"
    assert vector.levels["dob"] == "exact"
    assert vector.tf_tokens == {"given": ("smokey",)}


def test_age_counts_only_when_a_birth_date_is_missing() -> None:
    youth = Person.make(names=["Ana Soto"], dob=date(2010, 3, 14))
    assert compare(Person.make(names=["Ana Soto"], age=16), youth, TODAY).levels["age"] == "close"
    assert compare(Person.make(names=["Ana Soto"], age=12), youth, TODAY).levels["age"] == "else"
    with_dob = Person.make(names=["Ana Soto"], dob=date(2010, 3, 14), age=12)
    assert compare(with_dob, youth, TODAY).levels["age"] == NULL


def test_unclear_genders_are_left_out() -> None:
    assert Person.make(gender="Girl").gender == "f"
    assert Person.make(gender="Mujer").gender == "f"
    assert Person.make(gender="nonbinary").gender == ""


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzáéíñ", min_size=2, max_size=12)


@given(first=words, last=words)
def test_a_name_always_matches_itself_exactly(first: str, last: str) -> None:
    parsed = name(f"{first} {last}")
    if parsed.given and parsed.surnames:
        assert compare_given(parsed, parsed)[0] == "exact"
        assert compare_surname(parsed, parsed)[0] == "exact"


@given(a=st.dates(date(1990, 1, 1), date(2030, 12, 31)), b=st.dates(date(1990, 1, 1), date(2030, 12, 31)))
def test_birth_date_comparison_is_symmetric(a: date, b: date) -> None:
    assert compare_dob(a, b) == compare_dob(b, a)
    assert (compare_dob(a, b) == "exact") == (a == b)


@given(day=st.dates(min_value=date(1901, 1, 1), max_value=date(2099, 12, 31)))
def test_each_date_with_two_neighbouring_digits_swapped_compares_as_swapped(day: date) -> None:
    for other in swapped_digits(day):
        assert compare_dob(day, other) == "swapped"
        assert compare_dob(other, day) == "swapped"


@given(a=words, b=words)
def test_name_comparisons_are_symmetric(a: str, b: str) -> None:
    assert (
        compare_given(name(f"{a} x{b}"), name(f"{b} x{a}"))[0]
        == compare_given(name(f"{b} x{a}"), name(f"{a} x{b}"))[0]
    )

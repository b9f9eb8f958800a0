"""Plain phrases for each comparison level, in the reader's language: "same birth date +6.1 ·
surname matches second surname +3.2 · other county −0.4"."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from threadline.matching.model import Contribution

PHRASES: dict[tuple[str, str], Promise] = {
    ("given", "exact"): _("same first name"),
    ("given", "nickname"): _("first name is a nickname of the other"),
    ("given", "typo"): _("first name one letter off"),
    ("given", "fuzzy"): _("first name spelled or sounding alike"),
    ("given", "elsewhere"): _("first name found elsewhere in the name"),
    ("given", "initial"): _("same first initial"),
    ("given", "weak"): _("first name somewhat alike"),
    ("given", "else"): _("different first name"),
    ("surname", "exact"): _("same surname"),
    ("surname", "one_of_two"): _("surname matches one of two surnames"),
    ("surname", "typo"): _("surname one letter off"),
    ("surname", "fuzzy"): _("surname spelled or sounding alike"),
    ("surname", "elsewhere"): _("surname found elsewhere in the name"),
    ("surname", "weak"): _("surname somewhat alike"),
    ("surname", "else"): _("different surname"),
    ("alias", "exact"): _("same other name"),
    ("alias", "fuzzy"): _("other name alike"),
    ("alias", "none"): _("other names differ"),
    ("dob", "exact"): _("same birth date"),
    ("dob", "transposed"): _("birth date with day and month swapped"),
    ("dob", "swapped"): _("birth date with two neighbouring digits swapped"),
    ("dob", "one_digit"): _("birth date one digit apart"),
    ("dob", "off_by_one"): _("birth date one day apart"),
    ("dob", "same_year"): _("same birth year only"),
    ("dob", "else"): _("different birth date"),
    ("age", "close"): _("same age"),
    ("age", "near"): _("age two years apart"),
    ("age", "else"): _("different age"),
    ("gender", "same"): _("same gender"),
    ("gender", "else"): _("different gender"),
    ("phone", "same"): _("same phone"),
    ("phone", "last4"): _("same last four phone digits"),
    ("phone", "else"): _("different phone"),
    ("county", "same"): _("same county"),
    ("county", "else"): _("other county"),
    ("guardian", "same"): _("same guardian"),
    ("guardian", "surname"): _("guardian with the same surname"),
    ("guardian", "else"): _("different guardian"),
    ("ident", "same"): _("same identifier"),
    ("ident", "one_typo"): _("identifier one character apart"),
    ("ident", "else"): _("different identifier"),
    ("address", "same"): _("same address"),
    ("address", "similar"): _("similar address"),
    ("address", "street"): _("same street, other house number"),
    ("address", "number"): _("same house number only"),
    ("address", "else"): _("different address"),
    ("locality", "same"): _("same town"),
    ("locality", "similar"): _("town spelled alike"),
    ("locality", "else"): _("other town"),
    ("postcode", "same"): _("same postcode"),
    ("postcode", "one_typo"): _("postcode one digit apart"),
    ("postcode", "else"): _("different postcode"),
}


def phrase(contribution: Contribution) -> str:
    words = str(PHRASES.get((contribution.comparison, contribution.level), contribution.level))
    sign = "+" if contribution.weight >= 0 else "\u2212"
    return f"{words} {sign}{abs(contribution.weight):.1f}"


def reasons(contributions: Iterable[Contribution], *, limit: int = 6) -> list[str]:
    """The strongest pieces of evidence first, for or against; weights near zero are left out."""
    shown = [c for c in contributions if abs(c.weight) >= 0.1]
    shown.sort(key=lambda c: -abs(c.weight))
    return [phrase(c) for c in shown[:limit]]

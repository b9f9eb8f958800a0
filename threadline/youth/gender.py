"""The group a youth's own gender words fall in, for de-identified counts only.

The words stay sealed (``Youth.gender_identity``); the group is derived from them whenever the record
is saved and kept in the clear (``Youth.gender_group``), like the estimated age: four broad groups do
not identify anyone, and funder reports count them in the database instead of opening every
record. None: not grouped yet (rows written before the column, or by a bulk loader); counting falls
back to the words for those."""

from __future__ import annotations

import re

GROUPS = ("female", "male", "trans_nonbinary", "not_recorded")

# Words the youth may use, in English and Spanish, lower-cased, matched as whole words. Anything
# naming a transgender, non-binary or other identity goes to that group first (so "trans girl" is
# counted there, as reports to funders ask); unrecognised words go there too: the youth said who
# they are, it just is not one of the two commonest words.
_TRANS_NONBINARY = re.compile(
    r"\b(trans\w*|non[- ]?binary|nonbinary|nb|enby|genderqueer|gender ?fluid|agender|two[- ]spirit|"
    r"queer|no binari[oae]|no-binari[oae]|otro|otra|other)\b"
)
_FEMALE = re.compile(r"\b(female|girl|woman|young woman|she|femenin[oa]|mujer|niña|nina|chica|muchacha)\b")
_MALE = re.compile(r"\b(male|boy|man|young man|he|masculin[oa]|hombre|niño|nino|chico|muchacho)\b")
_NOT_SAID = re.compile(r"^\s*(|-|\?|unknown|not sure|prefer not to say|no sé|no se|desconocido)\s*$")


def gender_group(words: str) -> str:
    """The group for the youth's own words (``GENDER_GROUPS``): blank, "unknown", "prefer not to
    say" → not recorded; words naming a transgender, non-binary or other identity → that group;
    girl/woman/female (es: mujer, niña, chica...) → female; boy/man/male (es: hombre, niño,
    chico...) → male; any other words → another identity."""
    text = (words or "").strip().lower()
    if _NOT_SAID.match(text):
        return "not_recorded"
    if _TRANS_NONBINARY.search(text):
        return "trans_nonbinary"
    if text in {"f", "m"}:
        return "female" if text == "f" else "male"
    female, male = bool(_FEMALE.search(text)), bool(_MALE.search(text))
    if female and not male:
        return "female"
    if male and not female:
        return "male"
    return "trans_nonbinary"

"""An English word with two meanings gets a context where its Spanish differs, since the apps' catalogs
merge into one and the first app's translation would win everywhere: "Record" (the youth's record, or
the button that writes something down), "Minutes" (a length of time, or a meeting's record), "Change"
(the language switch's button, or the difference from the screening before)."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext


@pytest.mark.parametrize(
    ("context", "word", "spanish"),
    [
        ("button: write it down", "Record", "Registrar"),
        ("meeting record", "Minutes", "Acta"),
        ("meeting record", "minutes", "acta"),
        ("difference from the screening before", "Change", "Cambio"),
    ],
)
def test_each_meaning_has_its_own_spanish(context: str, word: str, spanish: str) -> None:
    with translation.override("es"):
        assert pgettext(context, word) == spanish
        assert gettext(word) != spanish

"""The apps' Spanish catalogs agree with each other and with docs/spanish-glossary.md.

Django merges every app's catalog into one at runtime (the project's ``locale`` first, then the apps in
INSTALLED_APPS order), so a msgid translated two ways in two apps shows only one of them, everywhere.
A word whose Spanish differs by meaning or gender gets a context (``pgettext``) instead."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import polib
from django.utils import translation
from django.utils.translation import ngettext, npgettext

ROOT = Path(__file__).resolve().parents[2]


def entries() -> list[tuple[str, polib.POEntry]]:
    found = []
    for path in sorted(ROOT.glob("threadline/**/locale/es/LC_MESSAGES/django.po")):
        app = path.relative_to(ROOT / "threadline").parts[0]
        found += [(app, e) for e in polib.pofile(str(path)) if not e.obsolete]
    return found


def spanish(entry: polib.POEntry) -> tuple[str, ...]:
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural))
    return (entry.msgstr,)


def test_no_msgid_is_translated_two_ways_in_two_catalogs() -> None:
    seen: dict[tuple[str | None, str], dict[tuple[str, ...], list[str]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for app, entry in entries():
        seen[(entry.msgctxt, entry.msgid)][spanish(entry)].append(app)
    conflicts = {key: dict(ways) for key, ways in seen.items() if len(ways) > 1}
    assert conflicts == {}


def test_a_referral_is_a_remision_everywhere() -> None:
    derivacion = [(app, e.msgid) for app, e in entries() if any("derivaci" in s.lower() for s in spanish(e))]
    referencia = [
        (app, e.msgid)
        for app, e in entries()
        if re.search("referral", e.msgid, re.IGNORECASE)
        and any("referencia" in s.lower() for s in spanish(e))
    ]
    assert derivacion == []
    assert referencia == []


def test_every_plural_has_each_spanish_form() -> None:
    """Spanish has three plural forms here (CLDR: one, many for whole millions, other), so an entry with
    only two left every count but 1 in English ("15 years old" on a Spanish page)."""
    short = [
        (app, entry.msgid)
        for app, entry in entries()
        if entry.msgid_plural and (sorted(entry.msgstr_plural) != [0, 1, 2] or not all(spanish(entry)))
    ]
    assert short == []


def test_plurals_read_in_spanish_for_any_count() -> None:
    with translation.override("es"):
        for _app, entry in entries():
            if not entry.msgid_plural:
                continue
            forms = set(spanish(entry))
            for count in (1, 2, 15, 1_000_000):
                if entry.msgctxt:
                    read = npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, count)
                else:
                    read = ngettext(entry.msgid, entry.msgid_plural, count)
                assert read in forms, (entry.msgid, count, read)

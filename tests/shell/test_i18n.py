"""English and Spanish: the shell renders in Spanish, the choice follows the person, catalogs are complete."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.test import Client

from tests.conftest import ClientFor, Persona

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_shell_renders_in_spanish(coordinator: Persona, client_for: ClientFor) -> None:
    coordinator.user.preferred_language = "es"
    coordinator.user.save(update_fields=["preferred_language"])
    html = client_for(coordinator).get("/").content.decode()
    assert '<html lang="es">' in html
    assert "Cerrar sesión" in html
    assert "Saltar al contenido" in html
    assert "Sign out" not in html


def test_language_choice_persists_on_the_account(coordinator: Persona, client_for: ClientFor) -> None:
    client = client_for(coordinator)
    response = client.post("/i18n/language", {"language": "es", "next": "/"})
    assert response.status_code == 302
    coordinator.user.refresh_from_db()
    assert coordinator.user.preferred_language == "es"
    # A new device, no cookie: still Spanish.
    fresh = client_for(coordinator)
    assert '<html lang="es">' in fresh.get("/").content.decode()


def test_anonymous_language_switch_and_bad_input() -> None:
    client = Client()
    assert client.post("/i18n/language", {"language": "es", "next": "/accounts/login/"}).status_code == 302
    assert "Iniciar sesión" in client.get("/accounts/login/").content.decode()
    assert client.post("/i18n/language", {"language": "xx"}).status_code == 400
    offsite = client.post("/i18n/language", {"language": "en", "next": "https://evil.example/"})
    assert offsite["Location"] == "/"


def catalogs() -> list[Path]:
    return sorted(ROOT.glob("threadline/**/locale/es/LC_MESSAGES/django.po"))


def test_spanish_catalogs_exist_and_are_complete() -> None:
    found = catalogs()
    assert found, "no Spanish catalog found"
    problems = []
    for path in found:
        po = polib.pofile(str(path))
        for entry in po:
            if entry.obsolete:
                continue
            if "fuzzy" in entry.flags:
                problems.append(f"{path.relative_to(ROOT)}: fuzzy: {entry.msgid!r}")
            elif entry.msgid_plural:
                if not all(entry.msgstr_plural.values()):
                    problems.append(f"{path.relative_to(ROOT)}: untranslated plural: {entry.msgid!r}")
            elif not entry.msgstr:
                problems.append(f"{path.relative_to(ROOT)}: untranslated: {entry.msgid!r}")
        mo = path.with_suffix(".mo")
        if not mo.exists():
            problems.append(f"{path.relative_to(ROOT)}: not compiled (run make messages)")
        else:
            # Keyed by context too: one catalog may hold "Open" and "Open" in the context "record status".
            compiled = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(mo))}
            for entry in po.translated_entries():
                if not entry.msgid_plural and compiled.get((entry.msgctxt, entry.msgid)) != entry.msgstr:
                    problems.append(
                        f"{path.relative_to(ROOT)}: .mo is stale for {entry.msgid!r} (run make messages)"
                    )
                    break
    assert not problems, "\n".join(problems[:40])

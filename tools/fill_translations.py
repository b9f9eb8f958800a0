"""Fill empty Spanish msgstr entries from a JSON file of {"English": "Español"} and compile the .mo.

Usage: python tools/fill_translations.py translations.json [threadline/<app>]
With an app folder, only that app's catalog is touched (so people working on other apps in the same
tree are not disturbed); without one, every catalog. Only empty or fuzzy entries are filled; existing
translations are left alone. Prints what is still missing and exits 1 if anything is.

To extract one app's strings first:
    cd threadline/<app> && ../../.venv/bin/python ../../manage.py makemessages -l es --no-obsolete --no-location
(the project package's own catalog: run from threadline/ with --ignore for every app folder; or use
``make messages``, which does all of them.)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def catalogs(scope: str | None) -> list[Path]:
    if scope:
        return [ROOT / scope / "locale" / "es" / "LC_MESSAGES" / "django.po"]
    return sorted(ROOT.glob("threadline/**/locale/es/LC_MESSAGES/django.po"))


def main(path: str, scope: str | None) -> int:
    mapping: dict[str, str] = json.loads(Path(path).read_text())
    missing = 0
    for po_path in catalogs(scope):
        po = polib.pofile(str(po_path))
        for entry in po:
            if entry.obsolete:
                continue
            if entry.msgstr and "fuzzy" not in entry.flags:
                continue
            if entry.msgid in mapping:
                entry.msgstr = mapping[entry.msgid]
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
            elif not entry.msgid_plural:
                missing += 1
                print(f"missing: {po_path.relative_to(ROOT)}: {entry.msgid!r}")
        po.save()
        po.save_as_mofile(str(po_path.with_suffix(".mo")))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None))

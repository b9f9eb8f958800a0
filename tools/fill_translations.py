"""Fill empty Spanish msgstr entries from a JSON file of {"English": "Español"} and recompile.

Usage: python tools/fill_translations.py translations.json
Only empty or fuzzy entries are filled; existing translations are left alone. Prints what is still missing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main(path: str) -> int:
    mapping: dict[str, str] = json.loads(Path(path).read_text())
    missing = 0
    for po_path in sorted(ROOT.glob("threadline/**/locale/es/LC_MESSAGES/django.po")):
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
    subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(ROOT / "manage.py"), "compilemessages", "-v", "0"], cwd=ROOT, check=True
    )
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

"""Extract translatable strings into one Spanish catalog per app and compile every catalog.

Each app (and the project package for the shell) keeps ``locale/es/LC_MESSAGES/django.po`` beside its
code. Run with ``make messages``; a test fails when a catalog has an untranslated or fuzzy entry.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "threadline"
MANAGE = ROOT / "manage.py"


def app_dirs() -> list[Path]:
    return sorted(p.parent for p in PKG.glob("*/apps.py"))


def run(args: list[str], cwd: Path) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "threadline.settings.test"}
    subprocess.run([sys.executable, str(MANAGE), *args], cwd=cwd, check=True, env=env)  # noqa: S603


def main() -> None:
    apps = app_dirs()
    for app in apps:
        has_strings = any(app.glob("**/*.html")) or any(
            "gettext" in p.read_text() for p in app.glob("**/*.py") if "migrations" not in p.parts
        )
        if not has_strings:
            continue
        (app / "locale").mkdir(exist_ok=True)
        run(["makemessages", "-l", "es", "--no-obsolete", "--no-location", "-v", "0"], cwd=app)
    ignores = [f"--ignore={app.name}/*" for app in apps]
    (PKG / "locale").mkdir(exist_ok=True)
    run(["makemessages", "-l", "es", "--no-obsolete", "--no-location", "-v", "0", *ignores], cwd=PKG)
    run(["compilemessages", "-v", "0"], cwd=ROOT)


if __name__ == "__main__":
    main()

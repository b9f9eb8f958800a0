"""Demo data: fictional, generated, loaded idempotently. Never real names or real cases.

Each app may have a ``demo.py`` with ``ORDER`` (int) and ``load(log)``; ``load_demo`` runs them in order.
"""

from __future__ import annotations

from collections.abc import Callable

from threadline.discovery import app_modules

DEMO_PASSWORD = "threadline-demo"
DEMO_EMAIL_DOMAIN = "demo.threadline.test"

Log = Callable[[str], None]


def loaders() -> list[tuple[int, str, Callable[[Log], None]]]:
    found = []
    for label, module in app_modules("demo"):
        load = getattr(module, "load", None)
        if callable(load):
            found.append((int(getattr(module, "ORDER", 50)), label, load))
    return sorted(found, key=lambda row: (row[0], row[1]))

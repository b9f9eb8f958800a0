"""Find per-app modules (urls, nav, demo) so that each room of the house plugs itself in."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from functools import cache
from types import ModuleType

from django.apps import apps


def app_modules(submodule: str) -> Iterator[tuple[str, ModuleType]]:
    yield from _found(submodule)


@cache
def _found(submodule: str) -> tuple[tuple[str, ModuleType], ...]:
    """Looked up once per process: the apps do not change while it runs, and asking the import system
    for a module that does not exist costs a search each time (the nav and the record panels ask on
    every page)."""
    found: list[tuple[str, ModuleType]] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("threadline."):
            continue
        name = f"{config.name}.{submodule}"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        found.append((config.label, module))
    return tuple(found)

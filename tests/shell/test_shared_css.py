"""A page of one room that uses a class styled only by another room's sheet loads that sheet; classes
that pages of several rooms use live in app.css, which every page loads. (The Today page's urgent badge
was grey, the care plan's screen-reader labels showed and the service suggestions lost the directory's
layout, because their rules lived in intake.css or directory.css, which those pages never loaded.)"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "threadline"
APP_CSS = PACKAGE / "static" / "threadline" / "app.css"
CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')
SELECTOR_CLASS = re.compile(r"\.([a-zA-Z][\w-]*)")
LOADED_SHEET = re.compile(r"""\{% static ['"]([^'"]+\.css)['"] %\}""")
EXTENDS = re.compile(r"""\{% extends ['"]([^'"]+)['"] %\}""")


def _defined(sheet: Path) -> set[str]:
    text = re.sub(r"/\*.*?\*/", "", sheet.read_text(), flags=re.S)
    return set(SELECTOR_CLASS.findall(re.sub(r"\{[^}]*\}", "{}", text)))  # selectors, not values


def _room(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0]


@cache
def _templates() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for template in PACKAGE.rglob("templates/**/*.html"):
        name = template.as_posix().split("/templates/", 1)[1]
        found.setdefault(name, template)
    return found


def _sheets_loaded(template: Path) -> set[str]:
    """The sheets a page loads: its own and those of the templates it extends."""
    text = template.read_text()
    loaded = set(LOADED_SHEET.findall(text))
    if (parent := EXTENDS.search(text)) and parent.group(1) in _templates():
        loaded |= _sheets_loaded(_templates()[parent.group(1)])
    return loaded


def test_a_class_from_another_rooms_sheet_comes_with_that_sheet() -> None:
    owners: dict[str, set[Path]] = {}
    for sheet in PACKAGE.rglob("static/**/*.css"):
        if sheet != APP_CSS:
            for name in _defined(sheet):
                owners.setdefault(name, set()).add(sheet)
    for name in _defined(APP_CSS):
        owners.pop(name, None)  # every page loads app.css
    stranded = []
    for template in _templates().values():
        loaded = _sheets_loaded(template)
        for attribute in CLASS_ATTRIBUTE.findall(template.read_text()):
            for name in re.sub(r"\{[{%].*?[%}]\}", " ", attribute).split():
                sheets = owners.get(name, set())
                foreign = {s for s in sheets if _room(s) != _room(template)}
                if (
                    foreign
                    and foreign == sheets
                    and not any(s.as_posix().split("/static/", 1)[1] in loaded for s in sheets)
                ):
                    stranded.append(f"{template.relative_to(PACKAGE)}: {name}")
    assert sorted(set(stranded)) == []

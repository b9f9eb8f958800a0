"""The open menu is one panel: its links, who you act for and Sign out.

Seen at 360 px (and on a desktop): only the links were laid over the page, so their panel covered the
"Acting for" line and the Sign out button below them; Sign out could not be reached by pointer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import ClientFor, Persona

pytestmark = pytest.mark.django_db
CSS = Path(__file__).resolve().parents[2] / "threadline" / "static" / "threadline" / "app.css"


def test_sign_out_is_inside_the_panel_laid_over_the_page(coordinator: Persona, client_for: ClientFor) -> None:
    html = client_for(coordinator).get("/").content.decode()
    panel = re.search(
        r'<details class="menu">.*?<div class="menu-panel">(?P<inside>.*?)</div>\s*</details>', html, re.S
    )
    assert panel is not None
    inside = panel["inside"]
    assert "<nav" in inside and 'class="acting-as"' in inside
    assert re.search(r'<form method="post" action="/accounts/logout/">', inside)
    css = CSS.read_text()
    laid_over = re.findall(r"^(\.menu\[open\] > [^{]+)\{[^}]*position:\s*absolute", css, re.M)
    assert [rule.strip() for rule in laid_over] == [".menu[open] > .menu-panel"]

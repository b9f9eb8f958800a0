"""Compiled templates are kept between requests: a page must not read and parse its templates from disk
every time it is shown (the settings list the loaders, which turns Django's default cache off unless
it is named)."""

from __future__ import annotations

from django.template import engines


def test_a_template_is_compiled_once_and_reused() -> None:
    engine = engines["django"]
    first = engine.get_template("threadline/page.html")
    again = engine.get_template("threadline/page.html")
    assert again.template is first.template  # type: ignore[attr-defined]

"""Issue 16, parts 7, 8 and 11, with the test client: a friendly 405 page, an error page whose heading is
not empty, scrollable tables are focusable regions, the
sign-in page has the quick exit inside the banner landmark, every form page loads the error-summary
script, and no page of the app loads an asset from another origin."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[2] / "threadline"


def test_a_post_only_address_opened_in_the_browser_gets_a_page() -> None:
    response = Client().get("/i18n/language")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    html = response.content.decode()
    assert "<h1>This page cannot be opened this way</h1>" in html
    assert "Go back to the page you came from" in html


def test_the_405_page_speaks_spanish() -> None:
    response = Client().get("/i18n/language", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 405
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert re.search(r"<h1>[^<]+</h1>", html)


def test_error_pages_have_a_heading() -> None:
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert "<h1>Not found</h1>" in response.content.decode()


def test_sign_in_page_has_the_quick_exit_in_the_banner() -> None:
    html = Client().get("/accounts/login/").content.decode()
    header = html.split('<header class="shell-header">', 1)[1].split("</header>", 1)[0]
    assert "data-quick-exit" in header
    assert html.count("data-quick-exit") == 1


def test_public_pages_have_the_quick_exit_in_the_banner() -> None:
    for path in ("/refer/", "/directory/"):
        html = Client().get(path).content.decode()
        header = html.split('<header class="shell-header">', 1)[1].split("</header>", 1)[0]
        assert "data-quick-exit" in header, path


def test_every_scrolling_table_is_a_focusable_region() -> None:
    wrappers = []
    for template in TEMPLATES.glob("**/templates/**/*.html"):
        wrappers += re.findall(r'<div class="table-scroll"[^>]*>', template.read_text())
    assert len(wrappers) >= 15
    for tag in wrappers:
        assert (
            'tabindex="0"' in tag
            and 'role="region"' in tag
            and ("aria-label=" in tag or "aria-labelledby=" in tag)
        ), tag


def test_error_summary_title_is_on_every_page() -> None:
    html = Client().get("/refer/").content.decode()
    assert 'data-error-summary="There is a problem"' in html
    script = (TEMPLATES / "static" / "threadline" / "app.js").read_text()
    assert "error-summary" in script and "box.focus()" in script


def test_no_asset_from_another_origin_anywhere() -> None:
    """src/href of scripts, styles, images, fonts and frames in every template, and url() in every
    stylesheet, are on this site (the quick exit's link to a weather site is a link, not an asset)."""
    asset = re.compile(r'<(?:script|link|img|iframe|source|video|audio|embed)\b[^>]*\b(?:src|href)="([^"]+)"')
    found = []
    for template in TEMPLATES.glob("**/templates/**/*.html"):
        for value in asset.findall(template.read_text()):
            if re.match(r"^(https?:)?//", value):
                found.append(f"{template.name}: {value}")
    for sheet in TEMPLATES.glob("**/static/**/*.css"):
        for value in re.findall(r"url\(([^)]+)\)", sheet.read_text()):
            if re.match(r"^['\"]?(https?:)?//", value):
                found.append(f"{sheet.name}: {value}")
    for script in TEMPLATES.glob("**/static/**/*.js"):
        if re.search(r"""(?:fetch|import|src\s*=)\s*\(?\s*['"]https?://""", script.read_text()):
            found.append(script.name)
    assert found == []

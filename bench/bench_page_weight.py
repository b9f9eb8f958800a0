"""Page weight of the journeys' pages (issue 16): HTML + CSS + JS, gzip-compressed, on a first visit (the
page and every stylesheet and script it links) and on a repeat visit (the page alone: the static files
are cached). Printed beside the 60 KB floor for a first visit. Also fails loudly if a page links an asset
from another origin. The signed-in pages are measured by the browser journeys (tests/e2e)."""

from __future__ import annotations

import gzip
import re

from benchlib import Row
from django.contrib.staticfiles import finders
from django.test import Client

FLOOR_KB = 60.0
PAGES = ["/refer/", "/directory/", "/accounts/login/", "/directory/apply/", "/no-such-page/"]
ASSET = re.compile(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"')


def _gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def _asset_bytes(url: str) -> bytes:
    if re.match(r"^(https?:)?//", url):
        raise AssertionError(f"third-party asset {url}")
    if not url.startswith("/static/"):
        return b""  # a data: icon or a page link
    path = finders.find(url.removeprefix("/static/").split("?")[0])
    assert isinstance(path, str), url
    with open(path, "rb") as handle:
        return handle.read()


def run() -> list[Row]:
    client = Client()
    rows = []
    for page in PAGES:
        response = client.get(page)
        html = response.content
        assets = [u for u in ASSET.findall(html.decode()) if u.endswith((".css", ".js"))]
        first = _gz(html) + sum(_gz(_asset_bytes(u)) for u in assets)
        repeat = _gz(html)
        rows.append(
            Row(
                "page_weight",
                f"{page} ({response.status_code})",
                1,
                0.0,
                0.0,
                target=f"first visit < {FLOOR_KB:.0f} KB",
                note=f"first {first / 1024:.1f} KB, repeat {repeat / 1024:.1f} KB, {len(assets)} assets"
                + ("" if first / 1024 < FLOOR_KB else " OVER THE FLOOR"),
            )
        )
    return rows

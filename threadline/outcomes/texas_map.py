"""The county map of Texas, drawn on the server as accessible SVG: counties shaded by referrals,
service-area counties outlined, a legend, and a ``<title>`` per county for screen readers and
pointer users. Shapes come from ``data/texas_counties.json`` (us-atlas, converted once by
``tools/texas_map/make_texas_counties.mjs``); nothing here draws a shape by hand. Every map is shown
beside the table of the same numbers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

DATA = Path(__file__).resolve().parent / "data" / "texas_counties.json"

# Sequential single-hue shades (ColorBrewer "Blues", 5 classes), light to dark; text stays legible.
SHADES = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
HIDDEN_FILL = "#d9d9d9"  # a suppressed count
OUTSIDE_FILL = "#ffffff"
SERVICE_STROKE = "#b30000"


@lru_cache(maxsize=1)
def shapes() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA.read_text())
    return data


def county_names() -> set[str]:
    return {c["name"] for c in shapes()["counties"]}


@dataclass(frozen=True)
class Bin:
    low: int
    high: int | None
    fill: str


def _nice(value: float) -> int:
    """The next round step (1, 2, 5, 10, 20, 50, ...) at or above ``value``."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def bins(max_count: int, small_max: int) -> list[Bin]:
    """Five classes: 0; 1 to the small-cell limit; then up to a round third of the largest count,
    up to twice that, and above."""
    first = max(_nice(max_count / 3), small_max + 1)
    return [
        Bin(0, 0, SHADES[0]),
        Bin(1, small_max, SHADES[1]),
        Bin(small_max + 1, first, SHADES[2]),
        Bin(first + 1, 2 * first, SHADES[3]),
        Bin(2 * first + 1, None, SHADES[4]),
    ]


def fill_for(count: int | None, classes: list[Bin]) -> str:
    if count is None:
        return HIDDEN_FILL
    for item in classes:
        if count >= item.low and (item.high is None or count <= item.high):
            return item.fill
    return classes[-1].fill


def render(
    counts: dict[str, int | None], service_area: tuple[str, ...], *, small_max: int, title: str
) -> SafeString:
    """The SVG. ``counts`` per county name (None = suppressed); counties not named count 0."""
    data = shapes()
    area = set(service_area)
    known = [n for n in counts.values() if n is not None]
    classes = bins(max(known, default=0), small_max)
    parts: list[str] = [
        format_html(
            '<svg class="tx-map" viewBox="{}" role="img" aria-labelledby="tx-map-title tx-map-desc" '
            'xmlns="http://www.w3.org/2000/svg"><title id="tx-map-title">{}</title><desc id="tx-map-desc">{}</desc>',
            data["viewBox"],
            title,
            _(
                "Counties of Texas shaded by the number of referrals; counties of the service area have a "
                "thick red outline. The same numbers are in the table beside the map."
            ),
        )
    ]
    outside: list[str] = []
    inside: list[str] = []
    for county in data["counties"]:
        name = county["name"]
        count = counts.get(name, 0)
        in_area = name in area
        if count is None:
            label = _("%(county)s: hidden (small number)") % {"county": name}
        else:
            label = ngettext("%(county)s: %(count)s referral", "%(county)s: %(count)s referrals", count) % {
                "county": name,
                "count": count,
            }
        if in_area:
            label += " · " + _("service area")
        path = format_html(
            '<path d="{}" fill="{}" stroke="{}" stroke-width="{}"><title>{}</title></path>',
            county["d"],
            fill_for(count, classes) if (in_area or count) else OUTSIDE_FILL,
            SERVICE_STROKE if in_area else "#969696",
            "2" if in_area else "0.4",
            label,
        )
        (inside if in_area else outside).append(str(path))
    parts.extend(outside)
    parts.extend(inside)  # drawn last, so the red outlines are not covered by neighbours
    parts.append(format_html('<path d="{}" fill="none" stroke="#252525" stroke-width="1"/>', data["state"]))
    parts.append("</svg>")
    return mark_safe("".join(str(p) for p in parts))


def legend(counts: dict[str, int | None], *, small_max: int, suppressed: bool) -> list[tuple[str, str]]:
    """(fill, words) for the legend under the map (no "1 to 10" class when those are hidden)."""
    known = [n for n in counts.values() if n is not None]
    items = []
    for item in bins(max(known, default=0), small_max):
        if suppressed and item.low == 1:
            continue
        words = (
            str(item.low)
            if item.high == item.low
            else (f"{item.low}–{item.high}" if item.high is not None else f"{item.low}+")
        )
        items.append((item.fill, words))
    if suppressed:
        items.append((HIDDEN_FILL, _("hidden (small number)")))
    items.append((OUTSIDE_FILL, _("outside the service area, no referrals")))
    return items

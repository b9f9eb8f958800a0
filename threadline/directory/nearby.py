"""When nothing matches every filter: the closest services that match fewer, and a wider radius.

A Spanish speaker near 78201 who finds nothing should not be left with an empty page: we show the
nearest services that match all but one filter, each saying which one it does not meet, and the
smallest wider radius that finds something that matches them all. Reads only the search index, like
search itself (a handful of small searches, each through the same indexes).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _

from threadline.directory.audience import Scope
from threadline.directory.geo import TEXAS_COUNTIES
from threadline.directory.selectors import Hit, SearchQuery, search
from threadline.directory.taxonomy import GENDERS, LANGUAGES, POPULATIONS, SERVICE_TYPES

RADII = (5, 10, 25, 50, 100)
SHOWN = 5


@dataclass
class Near:
    hit: Hit
    unmet: str  # the one filter it does not meet, in plain words


@dataclass
class Suggestions:
    near: list[Near] = field(default_factory=list)
    wider_radius: int | None = None  # the smallest radius that finds matches for every filter

    def __bool__(self) -> bool:
        return bool(self.near) or self.wider_radius is not None


def _relaxations(query: SearchQuery) -> list[tuple[SearchQuery, str]]:
    """Each filter the query uses, dropped on its own, least essential first."""
    out: list[tuple[SearchQuery, str]] = []

    def add(changed: SearchQuery, unmet: str) -> None:
        out.append((changed, unmet))

    if query.language:
        add(
            replace(query, language=""), _("does not list %s") % LANGUAGES.get(query.language, query.language)
        )
    if query.population:
        label = POPULATIONS.get(query.population, query.population)
        add(replace(query, population=""), _("does not list %s") % label)
    if query.service_type:
        label = SERVICE_TYPES.get(query.service_type, query.service_type)
        add(replace(query, service_type=""), _("does not list %s") % label)
    if query.gender:
        add(replace(query, gender=""), _("does not list %s") % GENDERS.get(query.gender, query.gender))
    if query.access:
        add(replace(query, access=()), _("may not remove every barrier you chose"))
    if query.age is not None:
        add(replace(query, age=None), _("does not list age %s") % query.age)
    if query.serves_minors:
        add(replace(query, serves_minors=False), _("does not list serving minors"))
    if query.open_now:
        add(replace(query, open_now=False), _("may not be open now"))
    if query.capacity:
        add(replace(query, capacity=False), _("may have no place free now"))
    if query.q:
        add(replace(query, q=""), _("does not match the words you typed"))
    if query.county:
        label = TEXAS_COUNTIES.get(query.county, query.county)
        add(replace(query, county=""), _("does not list %s County") % label)
    return out


def suggest(query: SearchQuery, scope: Scope) -> Suggestions:
    """Only for an empty result (the caller checks): nearest partial matches and a wider radius."""
    found = Suggestions()
    if query.zip_code:
        for radius in RADII:
            if radius <= query.radius_miles:
                continue
            if search(replace(query, radius_miles=radius, page=1, per_page=1), scope).total:
                found.wider_radius = radius
                break
    seen: set[str] = set()
    for relaxed, unmet in _relaxations(query):
        for hit in search(replace(relaxed, page=1, per_page=SHOWN), scope).hits:
            if hit.listing.service_id not in seen:
                seen.add(hit.listing.service_id)
                found.near.append(Near(hit, unmet))
    if query.zip_code:
        # nearest first across the relaxations (a confidential place by its band, like search)
        found.near.sort(key=lambda n: _distance(n.hit))
    found.near = found.near[:SHOWN]
    return found


def _distance(hit: Hit) -> float:
    if hit.distance_miles is not None:
        return hit.distance_miles
    if hit.distance_band:
        return float(hit.distance_band)
    return 1e9

"""Suggestions for a need: only vetted services of the right type that fit the youth (age, gender
served, barriers asked to be absent, county or distance), ranked, each with its reason."""

from __future__ import annotations

import pytest

from tests.referrals.conftest import make_listing
from threadline.directory import models as dm
from threadline.directory.audience import NETWORK, PUBLIC
from threadline.referrals.selectors import NEED_SERVICE_TYPES, SuggestQuery, language_codes, suggest

pytestmark = pytest.mark.django_db


def housing(**kw: object) -> SuggestQuery:
    base: dict[str, object] = {
        "service_types": NEED_SERVICE_TYPES["housing"],
        "age": 15,
        "languages": ("es", "en"),
        "counties": ("48029",),
    }
    base.update(kw)
    return SuggestQuery(**base)  # type: ignore[arg-type]


def names(query: SuggestQuery) -> list[str]:
    return [s.listing.name for s in suggest(query, NETWORK)]


def test_fit_and_rank_with_reasons(shelter: dm.Service) -> None:
    make_listing("Brindlecreek English Shelter", languages=("en",))
    make_listing("Fennwick Adult Shelter", minimum_age=18, maximum_age=24)
    make_listing("Emberlin Travis Shelter", counties=("48453",), zip_code="78701")
    make_listing("Larkspur Legal Aid", service_types=("legal",))
    make_listing("Kestrel Boys Home", genders=("male",))
    make_listing("Cindervale Unvetted Shelter", visibility="network")
    dm.Organization.objects.filter(name="Cindervale Unvetted Shelter").update(vetting_status="suspended")
    from threadline.directory.search_index import reindex_all

    reindex_all()
    # Spanish and barrier-free first; equal fits by name.
    assert names(housing()) == [
        "Sotol Springs Youth Shelter",
        "Brindlecreek English Shelter",
        "Kestrel Boys Home",
    ]
    assert names(housing(gender="female")) == ["Sotol Springs Youth Shelter", "Brindlecreek English Shelter"]
    assert names(housing(access=("no-id-required",))) == ["Sotol Springs Youth Shelter"]
    assert names(housing(age=20)) == ["Fennwick Adult Shelter"]
    best = suggest(housing(zip_code="78205", counties=()), NETWORK)[0]
    assert best.reason == (
        "serves 12–17 · Spanish · 0.0 mi · trafficking-specialised · no beds free now · No ID required · Walk-in"
    )
    # Far from the ZIP and not serving the youth's county: not suggested.
    assert "Emberlin Travis Shelter" not in names(housing(zip_code="78205", radius_miles=25))
    assert names(housing(counties=("48453",))) == ["Emberlin Travis Shelter"]


def test_audience_and_exclusions(shelter: dm.Service) -> None:
    assert suggest(housing(), PUBLIC) == []  # a network listing is not for the public
    assert names(housing(exclude=(shelter.id,))) == []
    assert suggest(housing(service_types=("nonsense",)), NETWORK) == []


def test_language_names_become_codes() -> None:
    assert language_codes(["Spanish", "English", "es", "Vietnamese", "Klingon"]) == ["es", "en", "vi"]

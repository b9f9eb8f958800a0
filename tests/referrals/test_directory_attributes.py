"""Seed 003's barriers and genders served as directory attributes (HSDS profile) and search filters."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.conftest import Persona
from tests.referrals.conftest import make_listing
from threadline.directory.audience import NETWORK
from threadline.directory.selectors import SearchQuery, search
from threadline.directory.taxonomy import ACCESS, ACCESS_TAXONOMY, GENDER_TAXONOMY, LINK_TYPE, term_id

pytestmark = pytest.mark.django_db


def names(query: SearchQuery) -> list[str]:
    return [hit.listing.name for hit in search(query, NETWORK).hits]


def test_barrier_and_gender_filters() -> None:
    make_listing("Ashgrove Walk-in Shelter", access=("walk-in", "no-id-required"))
    make_listing("Mossbank Girls Shelter", access=("walk-in",), genders=("female",))
    make_listing("Duskwater Boys Shelter", genders=("male",))
    assert names(SearchQuery(access=("walk-in",))) == ["Ashgrove Walk-in Shelter", "Mossbank Girls Shelter"]
    assert names(SearchQuery(access=("walk-in", "no-id-required"))) == ["Ashgrove Walk-in Shelter"]
    assert names(SearchQuery(gender="female")) == ["Ashgrove Walk-in Shelter", "Mossbank Girls Shelter"]
    assert names(SearchQuery(gender="male")) == ["Ashgrove Walk-in Shelter", "Duskwater Boys Shelter"]


def test_the_profile_names_every_barrier_of_seed_003() -> None:
    assert set(ACCESS) == {
        "no-id-required",
        "no-tb-test",
        "no-curfew",
        "single-rooms",
        "walk-in",
        "transport-provided",
        "no-guardian-needed",
    }
    assert LINK_TYPE[ACCESS_TAXONOMY] == "access" and LINK_TYPE[GENDER_TAXONOMY] == "gender_served"
    assert term_id(ACCESS_TAXONOMY, "walk-in") == term_id(ACCESS_TAXONOMY, "walk-in")  # fixed ids


def test_staff_search_form_offers_the_filters(
    client_for: Callable[[Persona], Client], coordinator: Persona
) -> None:
    make_listing("Ashgrove Walk-in Shelter", access=("walk-in",))
    make_listing("Thistledown Shelter")
    response = client_for(coordinator).post(
        "/directory/staff/", {"access": ["walk-in"], "page": "1"}, follow=True
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ashgrove Walk-in Shelter" in body and "Thistledown Shelter" not in body

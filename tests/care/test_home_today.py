"""Issue 13: the coordinator's and the on-call advocate's home page is their Today, not a grid of links;
people who do not take referrals keep the grid."""

from __future__ import annotations

import pytest

from tests.conftest import ClientFor, Persona

pytestmark = pytest.mark.django_db

TODAY_HEADINGS = ("New and urgent referrals", "Advocates in the field", "Consents ending within 14 days")


@pytest.mark.parametrize("who", ["coordinator", "advocate", "supervisor"])
def test_people_who_take_referrals_land_on_today(
    who: str, request: pytest.FixtureRequest, client_for: ClientFor
) -> None:
    persona: Persona = request.getfixturevalue(who)
    html = client_for(persona).get("/").content.decode()
    assert all(heading in html for heading in TODAY_HEADINGS)
    assert 'class="tiles"' not in html


@pytest.mark.parametrize("who", ["program_admin", "dfps_caseworker", "auditor"])
def test_everyone_else_keeps_the_grid_of_links(
    who: str, request: pytest.FixtureRequest, client_for: ClientFor
) -> None:
    persona: Persona = request.getfixturevalue(who)
    html = client_for(persona).get("/").content.decode()
    assert 'class="tiles"' in html
    assert not any(heading in html for heading in TODAY_HEADINGS)

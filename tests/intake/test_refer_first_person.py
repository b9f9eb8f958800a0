"""Issue 13: when the young person refers themself ("this is me"), the public /refer/ page asks in the
first person, in English and Spanish, chosen on the server (no JavaScript needed): by the "I am the
young person" link, or by the "Who are you?" answer when the page comes back (e.g. a field to fix)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def shown(body: bytes) -> str:
    """The page as read, without the other wording kept for the page's script."""
    return re.sub(r'data-wordings="[^"]*"', "", body.decode())


def test_the_page_for_someone_else_asks_about_the_young_person(client: Client) -> None:
    html = shown(client.get("/refer/").content)
    assert "About how old are they? (optional)" in html
    assert "How old are you? (optional)" not in html
    assert 'href="/refer/?who=me"' in html


def test_this_is_me_asks_in_the_first_person_without_javascript(client: Client) -> None:
    response = client.get("/refer/?who=me")
    assert response.status_code == 200
    html = shown(response.content)
    for words in (
        "What do you like to be called? (optional)",
        "How old are you? (optional)",
        "Your date of birth (optional)",
        "Which county are you in, travelling to, or were you harmed in? (optional)",
        "I may be in danger now or soon",
        "I am at high risk",
    ):
        assert words in html, words
    assert "About how old are they?" not in html
    assert "What does the young person like to be called?" not in html
    assert '<option value="self" selected>' in html


def test_first_person_in_spanish(client: Client) -> None:
    """Labels come from the Spanish catalog on the server (filled from /work/notes JSON at merge)."""
    from django.utils import translation

    from threadline.intake.refer_wording import LABELS

    html = shown(client.get("/refer/?who=me", headers={"accept-language": "es"}).content)
    assert 'lang="es"' in html
    with translation.override("es"):
        assert str(LABELS["age"]) in html and str(LABELS["youth_name"]) in html
        assert "About how old are they?" not in html


def test_the_answer_sent_decides_the_wording_when_the_page_comes_back(client: Client) -> None:
    """Sent without the safety check (no JavaScript): the page comes back with everything typed, in
    the first person because "Who are you?" says so."""
    response = client.post(
        "/refer/", {"source": "self", "what_is_known": "I left home last week.", "age": "15"}
    )
    assert response.status_code == 400
    html = shown(response.content)
    assert "How old are you? (optional)" in html and "I left home last week." in html
    back = client.post("/refer/?who=me", {"source": "family", "what_is_known": "My niece."})
    assert "About how old are they? (optional)" in shown(back.content)

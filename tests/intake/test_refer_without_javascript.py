"""/refer/ without JavaScript: the proof-of-work cannot be solved, so the page says so up front and
gives a phone line, and a submission the server refuses keeps everything that was typed."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client
from pytest_django import Settings

from threadline.intake.models import Referral, Region

pytestmark = pytest.mark.django_db

TYPED = {
    "what_is_known": "My cousin's friend is being driven to motels by a man she met online.",
    "youth_name": "Paloma",
    "youth_aliases": "Palo, Mimi",
    "age": "15",
    "youth_date_of_birth": "2011-02-03",
    "youth_phone": "(830) 555-0123",
    "county": "Kendall",
    "connection": "resides",
    "concern": "suspected",
    "source": "family",
    "urgent": "on",
    "referrer_contact": "call me after 6, ask for Rocio",
}


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def test_the_page_says_up_front_how_to_reach_us_without_javascript() -> None:
    html = Client().get("/refer/").content.decode()
    noscript = re.search(r"<noscript>(.*?)</noscript>", html, re.S)
    assert noscript is not None
    assert "needs JavaScript" in noscript.group(1)
    # Default: the National Human Trafficking Hotline, by phone and by text.
    assert 'href="tel:+18883737888"' in noscript.group(1) and "1-888-373-7888" in noscript.group(1)
    assert 'href="sms:233733"' in noscript.group(1)
    # The same line is ready for browsers that run scripts but cannot do the check.
    assert 'id="pow-fallback"' in html


def test_the_program_sets_its_own_line(settings: Settings) -> None:
    settings.INTAKE_HOTLINE_PHONE = "1-800-555-0100"
    settings.INTAKE_HOTLINE_TEXT = ""
    html = Client().get("/refer/").content.decode()
    assert 'href="tel:+18005550100"' in html
    assert "1-888-373-7888" not in html and "sms:" not in html


def test_a_submission_without_the_check_sends_nothing_and_keeps_everything_typed(region: Region) -> None:
    client = Client()
    client.get("/refer/")
    response = client.post("/refer/", {**TYPED, "altcha": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "was not sent yet" in html
    assert "1-888-373-7888" in html.split("</noscript>", 1)[1]  # in the message itself, not only in noscript
    assert not Referral.objects.exists()
    assert "driven to motels" in html
    for name in ("youth_name", "youth_aliases", "age", "youth_date_of_birth", "youth_phone", "county"):
        field = re.search(rf'<[^>]*name="{name}"[^>]*>', html)
        assert field is not None, name
    assert 'value="Paloma"' in html
    assert 'value="Palo, Mimi"' in html
    assert 'value="15"' in html
    assert 'value="2011-02-03"' in html
    assert 'value="(830) 555-0123"' in html
    assert 'value="Kendall"' in html
    assert 'value="call me after 6, ask for Rocio"' in html
    assert re.search(r'<option value="resides" selected>', html)
    assert re.search(r'<option value="suspected" selected>', html)
    assert re.search(r'<option value="family" selected>', html)
    assert re.search(r'name="urgent"[^>]*checked|checked[^>]*name="urgent"', html)
    # The hidden answer to the check is always empty again: the page's script solves a new one.
    assert re.search(r'<input type="hidden" name="altcha" value="">', html)


def test_a_spent_solution_is_not_sent_back(region: Region, settings: Settings) -> None:
    settings.INTAKE_POW_MAX_NUMBER = 2000
    from tests.intake.test_refer_public import form

    client = Client()
    data = form(client, **TYPED)
    assert client.post("/refer/", data).status_code == 302
    again = client.post("/refer/", data)
    assert again.status_code == 400
    assert str(data["altcha"]) not in again.content.decode()
    assert 'value="Paloma"' in again.content.decode()
    assert Referral.objects.count() == 1


def test_the_new_fields_are_saved_encrypted(region: Region, settings: Settings) -> None:
    settings.INTAKE_POW_MAX_NUMBER = 2000
    from django.db import connection

    from tests.intake.test_refer_public import form

    client = Client()
    assert client.post("/refer/", form(client, **TYPED)).status_code == 302
    referral = Referral.objects.get()
    assert referral.youth_aliases == "Palo, Mimi"
    assert referral.youth_phone == "(830) 555-0123"
    assert str(referral.youth_date_of_birth) == "2011-02-03"
    with connection.cursor() as cursor:
        cursor.execute("SELECT youth_aliases, youth_date_of_birth, youth_phone FROM intake_referral")
        row = cursor.fetchone()
    blob = b"".join(bytes(value) for value in row)
    assert b"Mimi" not in blob and b"2011-02-03" not in blob and b"555-0123" not in blob


def test_a_rate_limited_submission_keeps_everything_typed_and_gives_the_line(
    region: Region, settings: Settings
) -> None:
    settings.INTAKE_POW_MAX_NUMBER = 2000
    settings.INTAKE_REFER_PER_HOUR = 0
    from tests.intake.test_refer_public import form

    client = Client()
    response = client.post("/refer/", form(client, **TYPED))
    assert response.status_code == 429
    html = response.content.decode()
    assert "driven to motels" in html and 'value="Palo, Mimi"' in html
    assert 'href="tel:+18883737888"' in html.split("</noscript>", 1)[1].split('id="pow-fallback"', 1)[1]
    assert not Referral.objects.exists()

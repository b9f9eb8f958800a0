"""Issue 15, "directory truths": Back keeps the filters (through real HTTP), an empty result suggests
the nearest partial matches and a wider radius, hours read as words, provider text in the visitor's
language or marked as English."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation

from tests.conftest import ClientFor, Persona
from tests.directory.conftest import Maker
from threadline.directory import models as m
from threadline.directory.audience import PUBLIC
from threadline.directory.hours import hours_in_words
from threadline.directory.nearby import suggest
from threadline.directory.search_index import reindex_organization
from threadline.directory.selectors import SearchQuery
from threadline.directory.translations import ensure_terms, translation_attributes

pytestmark = pytest.mark.django_db


def results(html: str) -> str:
    return html.split('id="results"')[1].split("</section>")[0]


def spanish_client() -> Client:
    client = Client()
    client.post("/i18n/language", {"language": "es", "next": "/directory/"})
    return client


def test_back_keeps_county_age_and_language_through_plain_get(listing: Maker) -> None:
    listing("Wrenholt Youth Counsel", counties=["48029"], languages=["es"], minimum_age=12, maximum_age=20)
    listing("Wrenholt Adult Counsel", counties=["48029"], languages=["es"], minimum_age=21, maximum_age=90)
    listing("Wrenholt Travis Counsel", counties=["48453"], languages=["es"])
    client = Client()
    posted = client.post("/directory/", {"county": "48029", "age": "15", "language": "es"})
    assert posted.status_code == 302
    url = posted["Location"]
    assert url.startswith("/directory/?") and "county=48029" in url and "age=15" in url
    first = client.get(url)
    assert first.status_code == 200
    assert re.findall(r"Wrenholt \w+ Counsel", results(first.content.decode())) == ["Wrenholt Youth Counsel"]
    service = m.Service.objects.get(name="Wrenholt Youth Counsel")
    detail = client.get(f"/directory/services/{service.id}/").content.decode()
    assert f'href="{url.replace("&", "&amp;")}"' in detail  # "Back to search" keeps the filters
    # the browser's Back re-requests the same GET URL: same filters, same results, form filled in
    again = client.get(url).content.decode()
    assert re.findall(r"Wrenholt \w+ Counsel", results(again)) == ["Wrenholt Youth Counsel"]
    assert 'value="15"' in again and '<option value="48029" selected>' in again
    assert '<option value="es" selected>' in again


def test_back_keeps_the_zip_code_from_the_session_not_the_url(listing: Maker) -> None:
    listing("Copperleaf Downtown", zip_code="78205")
    listing("Copperleaf El Paso", zip_code="79901", counties=["48141"])
    client = Client()
    posted = client.post("/directory/", {"zip_code": "78205", "radius": "25"})
    url = posted["Location"]
    assert "78205" not in url and "s=" in url and "radius=25" in url
    html = client.get(url).content.decode()
    assert 'value="78205"' in html
    assert re.findall(r"Copperleaf [\w ]+?(?=<)", results(html)) == ["Copperleaf Downtown"]
    # an HTMX search answers with the results and pushes the same kind of URL
    pushed = client.post("/directory/", {"zip_code": "79901", "radius": "25"}, HTTP_HX_REQUEST="true")
    assert "79901" not in pushed["HX-Push-Url"] and "Copperleaf El Paso" in pushed.content.decode()
    # Back to the first URL: the first ZIP code again
    assert 'value="78205"' in client.get(url).content.decode()


def test_a_spanish_speaker_near_78201_who_finds_nothing_gets_the_nearest_and_a_wider_radius(
    listing: Maker,
) -> None:
    listing("Larchmont English Clinic", zip_code="78205", languages=["en"])
    listing("Larchmont Spanish Clinic", zip_code="78130", counties=["48091"], languages=["es"])  # ~30 mi
    query = SearchQuery(zip_code="78201", radius_miles=10, language="es")
    found = suggest(query, PUBLIC)
    assert found.wider_radius == 50
    assert [(n.hit.listing.name, n.unmet) for n in found.near] == [
        ("Larchmont English Clinic", "does not list Spanish")
    ]
    client = spanish_client()
    posted = client.post("/directory/", {"zip_code": "78201", "radius": "10", "language": "es"})
    html = results(client.get(posted["Location"]).content.decode())
    assert "Larchmont English Clinic" in html and "No incluye Español" in html
    wider = re.search(r'href="\?([^"]*radius=50[^"]*)"', html)
    assert wider is not None
    widened = results(client.get("/directory/?" + wider.group(1).replace("&amp;", "&")).content.decode())
    assert "Larchmont Spanish Clinic" in widened


def test_hours_in_words_in_both_languages() -> None:
    schedules = [
        {"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR", "opens_at": "09:00", "closes_at": "17:00"},
        {"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR,SA,SU", "opens_at": "00:00", "closes_at": "23:59"},
        {"freq": "WEEKLY", "byday": "SA,SU", "opens_at": "10:00", "closes_at": "14:30"},
    ]
    with translation.override("en"):
        assert hours_in_words(schedules) == [
            "Mon–Fri 9 a.m.–5 p.m.",
            "Open 24 hours",
            "Sat, Sun 10 a.m.–2:30 p.m.",
        ]
    with translation.override("es"):
        assert hours_in_words(schedules) == [
            "lun–vie 09:00–17:00",
            "Abierto las 24 horas",
            "sáb, dom 10:00–14:30",
        ]


def test_provider_text_in_the_visitors_language_or_marked_as_english(listing: Maker) -> None:
    org = listing("Hazelmere Family Center", hours=("MO,TU,WE,TH,FR,SA,SU", "00:00", "23:59"))
    service = m.Service.objects.get(organization_id=org.id)
    m.Service.objects.filter(id=service.id).update(application_process="Call us any time.")
    ensure_terms("es")
    m.Attribute.objects.bulk_create(
        translation_attributes(service.id, "es", {"description": "Apoyo para familias (ficticio)."})
    )
    reindex_organization(org.id)
    page = spanish_client().get(f"/directory/services/{service.id}/").content.decode()
    assert "Apoyo para familias (ficticio)." in page
    assert "fictional provider for tests" not in page
    assert '<span lang="en">Call us any time.</span> <span class="muted">(en inglés)</span>' in page
    assert "Abierto las 24 horas" in page and "00:00–23:59" not in page and "MO,TU" not in page
    english = Client().get(f"/directory/services/{service.id}/").content.decode()
    assert "fictional provider for tests" in english and "(in English)" not in english
    assert "Open 24 hours" in english


def test_staff_search_keeps_filters_too(
    listing: Maker, dfps_caseworker: Persona, client_for: ClientFor
) -> None:
    listing("Oakhurst Network Legal", visibility="network", service_types=["legal"])
    client = client_for(dfps_caseworker)
    posted = client.post("/directory/staff/", {"service_type": "legal"})
    assert posted.status_code == 302 and posted["Location"] == "/directory/staff/?service_type=legal"
    assert "Oakhurst Network Legal" in results(client.get(posted["Location"]).content.decode())

"""Directory statistics (issue 15): every count for directory admins; a public summary of public
listings with small counts suppressed; who may see which."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import ClientFor, Persona
from tests.directory.conftest import Maker
from threadline.audit.models import AccessEvent
from threadline.directory import models as m
from threadline.directory.statistics import statistics

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(listing: Maker) -> None:
    for n in range(6):
        listing(f"Bexar Public {n}", populations=["lgbtq"], minimum_age=12)
    listing("Kendall Shelter", confidential=True, counties=["48259"], minimum_age=12)
    listing("Network Clinic", visibility="network", minimum_age=18)
    listing("Private Clinic", visibility="private", minimum_age=18)
    listing("Applied Clinic", status="applied")


def test_admin_counts_everything(directory: None) -> None:
    stats = statistics(public=False)
    assert (stats.listed.count, stats.serving_minors.count) == (9, 7)
    assert [(c.label, c.count) for c in stats.by_visibility] == [
        ("Public: anyone", 7),
        ("Network: staff of partner agencies", 1),
        ("Private: the Care Coordinator only", 1),
    ]
    assert [(c.label, c.count) for c in stats.by_county] == [("Bexar", 8), ("Kendall", 1)]
    assert ("LGBTQ+ people", 6) in [(c.label, c.count) for c in stats.by_specialization]
    assert (stats.applications, stats.audits_due, stats.audits_overdue) == (1, 0, 0)


def test_public_summary_suppresses_small_counts_and_hides_the_rest(directory: None) -> None:
    stats = statistics(public=True)
    assert (stats.listed.count, stats.serving_minors.count) == (7, 7)
    assert [(c.label, c.count, c.suppressed) for c in stats.by_county] == [
        ("Bexar", 6, False),
        ("Kendall", 0, True),  # one shelter serves Kendall County: never shown as "1"
    ]
    html = Client().get("/directory/summary/").content.decode()
    assert "fewer than 5" in html and "Kendall" in html
    assert "Network Clinic" not in html and "Audits overdue" not in html and "Network: staff" not in html
    spanish = Client()
    spanish.post("/i18n/language", {"language": "es", "next": "/directory/summary/"})
    assert "menos de 5" in spanish.get("/directory/summary/").content.decode()


def test_statistics_page_needs_manage_directory(
    directory: None,
    directory_admin: Persona,
    dfps_caseworker: Persona,
    program_admin: Persona,
    auditor: Persona,
    client_for: ClientFor,
) -> None:
    before = (m.Organization.objects.count(), AccessEvent.objects.count())
    assert Client().get("/directory/statistics/").status_code == 302  # to sign in
    for persona in (dfps_caseworker, program_admin, auditor):
        response = client_for(persona).get("/directory/statistics/")
        assert response.status_code == 403
        assert "Kendall" not in response.content.decode()
    page = client_for(directory_admin).get("/directory/statistics/")
    assert page.status_code == 200 and "Audits overdue" in page.content.decode()
    assert "/directory/statistics/" in client_for(directory_admin).get("/").content.decode()
    assert "/directory/statistics/" not in client_for(dfps_caseworker).get("/").content.decode()
    assert (m.Organization.objects.count(), AccessEvent.objects.count()) == before

"""Issue 16, items 3-5: search by record code; a partner's menu offers only pages that open and says
until when the record is shared; placements (type, dates) are the location category, on the record and
on the timeline, and a date-only placement is a date at the start of its day."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from tests.conftest import ClientFor, Persona
from tests.factories.access import consent_share, guardian_add, youth_with_team
from threadline.access.categories import Category
from threadline.access.models import TeamRole
from threadline.audit.models import AccessEvent
from threadline.youth.models import Placement, TimelineEntry, Youth
from threadline.youth.said import Said
from threadline.youth.services import placement_add
from threadline.youth.timeline import timeline_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def youth(coordinator: Persona, dfps_caseworker: Persona, probation_officer: Persona) -> Youth:
    """Noemi (fictional): DFPS may see the care plan until a set day; probation has no consent."""
    youth = youth_with_team(
        coordinator.membership,
        [(dfps_caseworker.organization, TeamRole.OTHER), (probation_officer.organization, TeamRole.OTHER)],
        preferred_name="Noemi",
    )
    guardian = guardian_add(coordinator.membership, youth, name="Tia (fictional)")
    consent_share(
        coordinator.membership,
        youth,
        dfps_caseworker.organization,
        [Category.CARE_PLAN],
        guardian=guardian,
        expires_at=timezone.make_aware(datetime.datetime(2028, 3, 14, 12, 0)),
    )
    return youth


def search(client: object, query: str) -> str:
    response = client.post("/youth/", {"q": query}, HTTP_HX_REQUEST="true")  # type: ignore[attr-defined]
    assert response.status_code == 200
    return str(response.content.decode())


def test_search_finds_a_youth_by_record_code_in_any_case(
    coordinator: Persona, client_for: ClientFor, youth: Youth
) -> None:
    client = client_for(coordinator)
    for query in (youth.reference, youth.reference.lower(), f"  {youth.reference}  "):
        body = search(client, query)
        assert "1 match" in body, query
        assert f'href="/youth/{youth.pk}/"><strong>Noemi</strong>' in body
    assert "0 matches" in search(client, "Y-ZZZZZZ")
    rows = AccessEvent.objects.filter(youth_id=youth.pk, action="search", purpose="search by record code")
    assert rows.count() == 3


def test_a_record_code_finds_only_youths_the_policy_shows(
    dfps_caseworker: Persona, probation_officer: Persona, client_for: ClientFor, youth: Youth
) -> None:
    # The partner with a release finds the record, but not the name (identity is not shared).
    body = search(client_for(dfps_caseworker), youth.reference)
    assert "1 match" in body and f"<strong>{youth.reference}</strong>" in body and "Noemi" not in body
    # The partner without one finds nothing, exactly like a code nobody has; nothing is ledgered.
    before = AccessEvent.objects.filter(youth_id=youth.pk).count()
    probation = client_for(probation_officer)
    assert search(probation, youth.reference) == search(probation, "Y-ZZZZZZ")
    assert "0 matches" in search(probation, youth.reference)
    assert AccessEvent.objects.filter(youth_id=youth.pk).count() == before


def test_partner_menu_offers_only_pages_that_open_and_the_banner_says_until_when(
    dfps_caseworker: Persona, client_for: ClientFor, youth: Youth
) -> None:
    client = client_for(dfps_caseworker)
    plan = client.get(f"/care/{youth.pk}/plan")
    assert plan.status_code == 200
    menu = re.search(
        r'<nav class="inline-form" aria-label="Care for this youth">(.*?)</nav>', plan.content.decode(), re.S
    )
    assert menu is not None
    links = re.findall(r'href="([^"]+)"', menu.group(1))
    assert links == [
        f"/youth/{youth.pk}/",
        f"/care/{youth.pk}/plan",
        f"/care/{youth.pk}/meetings",
        f"/care/{youth.pk}/safety-plan",
        f"/care/{youth.pk}/progress",
    ]
    for link in links:
        assert client.get(link).status_code == 200, link
    # The pages not linked are the ones that answer 404 to this partner.
    for page in ("screenings", "notes"):
        assert client.get(f"/care/{youth.pk}/{page}").status_code == 404
    record = client.get(f"/youth/{youth.pk}/").content.decode()
    assert "Shared with you until 03/14/2028: Care plan" in record


def test_coordinator_menu_offers_every_page_and_no_partner_banner(
    coordinator: Persona, client_for: ClientFor, youth: Youth
) -> None:
    client = client_for(coordinator)
    page = client.get(f"/care/{youth.pk}/plan").content.decode()
    for path in ("plan", "screenings", "notes", "meetings", "safety-plan", "progress"):
        assert f'href="/care/{youth.pk}/{path}"' in page
    assert "Shared with you until" not in client.get(f"/youth/{youth.pk}/").content.decode()


def test_placement_type_and_date_are_location_on_record_and_timeline(
    coordinator: Persona, dfps_caseworker: Persona, client_for: ClientFor, youth: Youth
) -> None:
    placement_add(
        membership=coordinator.membership,
        youth_id=youth.pk,
        placement_type="foster",
        started_on=datetime.date(2026, 5, 2),
    )
    entry = TimelineEntry.objects.get(youth=youth, kind="placement")
    assert (entry.category, entry.date_only) == (Category.LOCATION, True)
    partner = client_for(dfps_caseworker)
    record = partner.get(f"/youth/{youth.pk}/").content.decode()
    timeline = partner.get(f"/youth/{youth.pk}/timeline").content.decode()
    for html in (record, timeline):
        assert "Foster home" not in html and "New placement" not in html and "05/02/2026" not in html
    assert "Placements" not in record and "Record a placement" not in record
    # Writing a placement needs the location category too: refused like a missing youth, nothing saved.
    before = Placement.objects.count()
    refused = partner.post(
        f"/youth/{youth.pk}/placements", {"placement_type": "shelter", "started_on": "2026-06-01"}
    )
    assert refused.status_code == 404 and Placement.objects.count() == before
    coordinator_record = client_for(coordinator).get(f"/youth/{youth.pk}/").content.decode()
    assert "Foster home · since 05/02/2026" in coordinator_record


def test_a_date_only_placement_sorts_by_its_day_and_shows_no_time(
    coordinator: Persona, client_for: ClientFor, youth: Youth
) -> None:
    placement_add(
        membership=coordinator.membership,
        youth_id=youth.pk,
        placement_type="shelter",
        started_on=datetime.date(2026, 5, 2),
    )
    with_time = timezone.make_aware(datetime.datetime(2026, 5, 2, 9, 30))
    from django.db import transaction

    with transaction.atomic():
        timeline_add(
            youth=youth,
            kind="note",
            category=Category.CARE_PLAN,
            summary=Said("Morning check-in"),
            at=with_time,
        )
    html = client_for(coordinator).get(f"/youth/{youth.pk}/timeline").content.decode()
    assert '<time datetime="2026-05-02">05/02/2026</time> · New placement: Shelter' in html
    # Newest first: the 9:30 entry of the same day comes before the day-only placement.
    assert html.index("Morning check-in") < html.index("New placement: Shelter")
    assert "12:00" not in html and "noon" not in html

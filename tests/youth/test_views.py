"""Youth pages: what each persona sees, HTMX search, edit conflicts, consents, emergency access."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks

from tests.conftest import ClientFor, Persona
from tests.factories.access import consent_share, guardian_add, youth_with_team
from tests.factories.youth import make_youth
from threadline.access.categories import Category
from threadline.access.models import TeamRole
from threadline.audit.models import AccessEvent
from threadline.youth.models import Youth
from threadline.youth.services import contact_way_add, household_member_add, placement_add
from threadline.youth.sharing import care_team_add, consent_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_youth(coordinator: Persona, dfps_caseworker: Persona, probation_officer: Persona) -> Youth:
    """Yesenia: DFPS may see the care plan only; probation is on the team with no consent."""
    youth = youth_with_team(
        coordinator.membership,
        [(dfps_caseworker.organization, TeamRole.OTHER), (probation_officer.organization, TeamRole.OTHER)],
        preferred_name="Yesenia",
        legal_name="Yesenia Quintanilla",
    )
    contact_way_add(
        membership=coordinator.membership,
        youth_id=youth.pk,
        kind="phone",
        value="210-555-0147",
        safe_to_contact=False,
    )
    placement_add(
        membership=coordinator.membership,
        youth_id=youth.pk,
        placement_type="shelter",
        started_on=youth.created_at.date(),
        address="12 Hidden Way, Safe House",
    )
    guardian = guardian_add(coordinator.membership, youth, name="Aunt")
    consent_share(
        coordinator.membership,
        youth,
        dfps_caseworker.organization,
        [Category.CARE_PLAN],
        guardian=guardian,
        purpose="placement planning",
    )
    return youth


def test_coordinator_sees_the_whole_record(
    coordinator: Persona, client_for: ClientFor, shared_youth: Youth
) -> None:
    html = client_for(coordinator).get(f"/youth/{shared_youth.pk}/").content.decode()
    assert "Yesenia Quintanilla" in html and "210-555-0147" in html and "12 Hidden Way" in html
    assert "NOT safe to contact" in html


def test_partner_sees_only_the_consented_category(
    dfps_caseworker: Persona, client_for: ClientFor, shared_youth: Youth
) -> None:
    client = client_for(dfps_caseworker)
    response = client.get(f"/youth/{shared_youth.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Care plan" in html and "Missing episodes" in html
    # The placement (its type and date too) is the location category, not shared (issue 16, item 5).
    for secret in ("Yesenia", "Quintanilla", "210-555-0147", "12 Hidden Way", "Aunt", "Shelter"):
        assert secret not in html
    listing = client.get("/youth/").content.decode()
    assert shared_youth.reference in listing and "Yesenia" not in listing
    assert client.get(f"/youth/{shared_youth.pk}/edit").status_code == 404
    assert client.get(f"/youth/{shared_youth.pk}/consents").status_code == 404


def test_partner_without_consent_gets_the_same_404_as_nothing(
    probation_officer: Persona, client_for: ClientFor, shared_youth: Youth
) -> None:
    import uuid

    client = client_for(probation_officer)
    real = client.get(f"/youth/{shared_youth.pk}/")
    fake = client.get(f"/youth/{uuid.uuid4()}/")
    assert real.status_code == fake.status_code == 404
    import re

    def scrub(body: bytes) -> str:  # the per-response CSRF mask and the requested path differ by design
        text = re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', "", body.decode())
        return re.sub(r"/youth/[0-9a-f-]{36}/", "/youth/ID/", text)

    assert scrub(real.content) == scrub(fake.content)
    assert shared_youth.reference not in client.get("/youth/").content.decode()
    results = client.post("/youth/", {"q": "Yesenia"}, HTTP_HX_REQUEST="true").content.decode()
    assert shared_youth.reference not in results and "0 matches" in results


def test_search_finds_by_name_alias_phonetics_and_phone(
    coordinator: Persona, client_for: ClientFor, shared_youth: Youth
) -> None:
    client = client_for(coordinator)
    for query in ["yesenia", "Quintaniya", "210 555 0147"]:
        response = client.post("/youth/", {"q": query}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        body = response.content.decode()
        assert shared_youth.reference in body, query
        assert "<html" not in body  # the HTMX partial only
    assert AccessEvent.objects.filter(youth_id=shared_youth.pk, action="search").count() == 3


def test_new_youth_needs_nothing(coordinator: Persona, client_for: ClientFor) -> None:
    response = client_for(coordinator).post("/youth/new", {"legal_status": "unknown"})
    assert response.status_code == 302
    assert Youth.objects.count() == 1


def test_bad_input_keeps_what_was_typed(coordinator: Persona, client_for: ClientFor) -> None:
    response = client_for(coordinator).post(
        "/youth/new", {"preferred_name": "Ximena", "estimated_age": "abc", "legal_status": "unknown"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Ximena"' in html and "errorlist" in html
    assert Youth.objects.count() == 0


def test_concurrent_edit_never_overwrites(
    coordinator: Persona, advocate: Persona, client_for: ClientFor, shared_youth: Youth
) -> None:
    care_team_add(
        membership=coordinator.membership,
        youth_id=shared_youth.pk,
        organization_id=coordinator.organization.pk,
        role="care_coordinator",
    )
    first = client_for(coordinator)
    version = shared_youth.version
    ok = first.post(
        f"/youth/{shared_youth.pk}/edit",
        {"preferred_name": "Yesi", "legal_status": "unknown", "version": version},
    )
    assert ok.status_code == 302
    late = first.post(
        f"/youth/{shared_youth.pk}/edit",
        {"preferred_name": "Yessy", "legal_status": "unknown", "version": version},
    )
    assert late.status_code == 409
    html = late.content.decode()
    assert "Someone else saved" in html and 'value="Yessy"' in html and "Yesi" in html
    assert Youth.objects.select_related("data_key").get(pk=shared_youth.pk).preferred_name == "Yesi"


def _edit_with_ledger(
    client: Client, youth: Youth, data: dict[str, object]
) -> tuple[int, str, list[tuple[str, str]]]:
    """Post the edit form: the status, the page, and the ledger rows it wrote about the youth as
    (action, purpose)."""
    before = set(AccessEvent.objects.filter(youth_id=youth.pk).values_list("pk", flat=True))
    response = client.post(f"/youth/{youth.pk}/edit", data)
    rows = AccessEvent.objects.filter(youth_id=youth.pk).exclude(pk__in=before)
    return (
        response.status_code,
        response.content.decode(),
        [(r.action, r.purpose.split(" [")[0]) for r in rows],
    )


def test_saving_an_edit_opens_the_record_once(
    coordinator: Persona, client_for: ClientFor, shared_youth: Youth
) -> None:
    """One user action, one ledger row: the save is the service's edit row, not a form read before it."""
    status, _page, rows = _edit_with_ledger(
        client_for(coordinator),
        shared_youth,
        {"preferred_name": "Yesi", "legal_status": "unknown", "version": shared_youth.version},
    )
    assert status == 302
    assert rows == [("edit", "edit record")]


def test_a_refused_edit_shows_the_form_with_one_read(
    coordinator: Persona, client_for: ClientFor, shared_youth: Youth
) -> None:
    status, page, rows = _edit_with_ledger(
        client_for(coordinator),
        shared_youth,
        {"preferred_name": "Yesi", "estimated_age": "abc", "legal_status": "unknown", "version": 1},
    )
    assert status == 200
    assert 'value="Yesi"' in page
    assert rows == [("edit", "edit form")]
    assert Youth.objects.select_related("data_key").get(pk=shared_youth.pk).preferred_name == "Yesenia"


def test_break_glass_alerts_supervisor_and_shows_in_history(
    coordinator: Persona,
    supervisor: Persona,
    client_for: ClientFor,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    from tests.conftest import make_persona

    outsider_org_youth = make_youth(coordinator.membership, preferred_name="Zaria")
    other = make_persona(
        email="kai@cedar.test", role="care_coordinator", organization=coordinator.organization
    )
    # Kai is a coordinator in the same agency but the agency is on the team: make a youth of another org.
    from threadline.access.models import CareTeamMember

    CareTeamMember.objects.filter(youth=outsider_org_youth).delete()
    client = client_for(other)
    assert client.get(f"/youth/{outsider_org_youth.pk}/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/youth/emergency-access",
            {
                "reference": outsider_org_youth.reference,
                "reason": "Youth called from a stranger's phone, in danger now",
            },
        )
    assert response.status_code == 302
    assert client.get(f"/youth/{outsider_org_youth.pk}/").status_code == 200
    assert [m.to for m in mail.outbox] == [[supervisor.user.email]]
    assert "Zaria" not in mail.outbox[0].body and outsider_org_youth.reference not in mail.outbox[0].body
    assert AccessEvent.objects.filter(youth_id=outsider_org_youth.pk, action="break_glass").exists()


def test_api_lists_only_permitted_fields_and_blocks_mass_assignment(
    dfps_caseworker: Persona, coordinator: Persona, client_for: ClientFor, shared_youth: Youth
) -> None:
    partner = client_for(dfps_caseworker).get(f"/api/v1/youth/{shared_youth.pk}")
    assert partner.status_code == 200
    body = partner.json()
    assert body["shared_categories"] == ["care_plan"]
    assert "preferred_name" not in body and "contact_ways" not in body
    coord = client_for(coordinator)
    full = coord.get(f"/api/v1/youth/{shared_youth.pk}").json()
    assert full["preferred_name"] == "Yesenia"
    sneaky = coord.patch(
        f"/api/v1/youth/{shared_youth.pk}",
        {"version": full["version"], "status": "closed", "reference": "Y-HACKED"},
        content_type="application/json",
    )
    assert sneaky.status_code == 422
    stale = coord.patch(
        f"/api/v1/youth/{shared_youth.pk}",
        {"version": full["version"] - 1, "pronouns": "she/her"},
        content_type="application/json",
    )
    assert stale.status_code in (409, 200)
    garbage = coord.patch(f"/api/v1/youth/{shared_youth.pk}", "{not json", content_type="application/json")
    assert garbage.status_code in (400, 422)
    assert Youth.objects.get(pk=shared_youth.pk).status == "open"


def test_access_history_and_disclosure_ledger_show_who_saw_what(
    coordinator: Persona, dfps_caseworker: Persona, client_for: ClientFor, shared_youth: Youth
) -> None:
    client_for(dfps_caseworker).get(f"/youth/{shared_youth.pk}/")
    coord = client_for(coordinator)
    history = coord.get(f"/youth/{shared_youth.pk}/access").content.decode()
    # Words, not codes (issue 16, item 2): "Care plan", never "care_plan".
    assert dfps_caseworker.organization.name in history and "<td>Care plan</td>" in history
    assert "care_plan" not in history and "viewed · youth record" in history
    printable = coord.get(f"/youth/{shared_youth.pk}/access", {"print": "1"}).content.decode()
    assert "Disclosure ledger" in printable and dfps_caseworker.organization.name in printable
    # Read on a phone too: laid out for its width (it had no viewport), the table in its scroll region.
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in printable
    assert '<div class="table-scroll" tabindex="0" role="region"' in printable.split("<table>")[0]
    assert "<td>Care plan, Record</td>" in printable and "care_plan" not in printable
    assert (
        coordinator.organization.name not in printable.split("<tbody>")[1]
    )  # own agency is not a disclosure
    assert client_for(dfps_caseworker).get(f"/youth/{shared_youth.pk}/access").status_code == 404


def test_search_words_never_travel_in_the_url(
    coordinator: Persona, client_for: ClientFor, shared_youth: Youth
) -> None:
    client = client_for(coordinator)
    ignored = client.get("/youth/", {"q": "Yesenia"}).content.decode()
    assert "1 match" not in ignored  # a GET query string is not a search
    page = client.get("/youth/").content.decode()
    assert 'method="post"' in page and "hx-post" in page and "hx-get" not in page
    api = client.post("/api/v1/youth/search", {"q": "Yesenia"}, content_type="application/json")
    assert api.status_code == 200 and api.json()[0]["reference"] == shared_youth.reference
    assert client.post("/api/v1/youth/search", {"q": ""}, content_type="application/json").status_code == 422


def test_full_name_search_needs_every_word_but_falls_back(
    coordinator: Persona, client_for: ClientFor
) -> None:
    both = make_youth(coordinator.membership, preferred_name="Maribel", legal_name="Maribel Ochoa-Tannery")
    first_only = make_youth(coordinator.membership, preferred_name="Maribel", legal_name="Maribel Quist")
    client = client_for(coordinator)
    hits = client.post("/youth/", {"q": "Maribel Ochoa"}, HTTP_HX_REQUEST="true").content.decode()
    assert both.reference in hits and first_only.reference not in hits
    misheard = client.post("/youth/", {"q": "Maribel Zzyzx"}, HTTP_HX_REQUEST="true").content.decode()
    assert both.reference in misheard and first_only.reference in misheard


def test_a_partner_sees_only_its_own_releases_and_team(  # type: ignore[no-untyped-def]
    coordinator, dfps_caseworker, probation_officer, client_for
) -> None:
    """Issue 9, item 8: My work listed other agencies' releases ending soon (with no ledger row), and
    the record showed every agency on the team."""
    import datetime

    from django.utils import timezone

    youth = make_youth(coordinator.membership, preferred_name="Odalys")
    for org in (dfps_caseworker.organization, probation_officer.organization):
        care_team_add(
            membership=coordinator.membership, youth_id=youth.pk, organization_id=org.pk, role="other"
        )
    guardian = household_member_add(
        membership=coordinator.membership, youth_id=youth.pk, name="Aunt", is_guardian=True
    )
    soon = timezone.now() + datetime.timedelta(days=5)
    for org in (dfps_caseworker.organization, probation_officer.organization):
        consent_record(
            membership=coordinator.membership,
            youth_id=youth.pk,
            organization_id=org.pk,
            categories=[Category.CARE_PLAN],
            purpose="coordinate",
            given_by="parent_guardian",
            guardian_id=guardian.pk,
            expires_at=soon,
        )
    client = client_for(dfps_caseworker)
    before = AccessEvent.objects.filter(youth_id=youth.pk, actor=dfps_caseworker.user).count()
    work = client.get("/care/").content.decode()
    assert dfps_caseworker.organization.name in work
    assert probation_officer.organization.name not in work
    rows = AccessEvent.objects.filter(youth_id=youth.pk, actor=dfps_caseworker.user)
    assert rows.count() == before + 1 and rows.order_by("-seq")[0].purpose == "my work: releases ending"
    detail = client.get(f"/youth/{youth.pk}/").content.decode()
    assert probation_officer.organization.name not in detail
    assert coordinator.organization.name in detail


def test_a_blank_household_member_is_refused_and_what_was_typed_stays(  # type: ignore[no-untyped-def]
    coordinator, client_for
) -> None:
    """Issue 9, item 8: the household form stored a member with nothing in it."""
    from threadline.youth.models import HouseholdMember

    youth = make_youth(coordinator.membership, preferred_name="Itzel")
    response = client_for(coordinator).post(
        f"/youth/{youth.pk}/household",
        {"name": "  ", "relationship": "", "contact_restrictions": "No calls after 9"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Type a name or how this person is related to the youth." in html
    assert "No calls after 9" in html
    assert not HouseholdMember.objects.filter(youth=youth).exists()

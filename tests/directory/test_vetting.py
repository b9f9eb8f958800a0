"""The vetting workflow end to end: a provider applies on the public form, a directory admin reviews,
records an on-site check and approves; the listing appears in public search; the yearly audit link
confirms it; an unconfirmed, overdue listing leaves search on its own and is never deleted."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from tests.conftest import ClientFor, Persona
from tests.directory.conftest import Maker
from threadline.audit.models import AccessEvent
from threadline.directory import models as m
from threadline.directory import services
from threadline.directory.audience import PUBLIC
from threadline.directory.models import VettingStatus
from threadline.directory.selectors import SearchQuery, search
from threadline.directory.tasks import hide_overdue_listings

pytestmark = pytest.mark.django_db

APPLICATION = {
    "organization_name": "Larkspur Bend Youth Haven",
    "description": "Drop-in center and emergency beds for youth.",
    "email": "intake@larkspur-bend.example.org",
    "phone": "(210) 555-0142",
    "address_1": "5 Larkspur Bend Lane",
    "city": "San Antonio",
    "postal_code": "78205",
    "counties": ["48029", "48091"],
    "service_types": ["shelter"],
    "populations": ["serves-minors", "lgbtq"],
    "languages": ["en", "es"],
    "minimum_age": "12",
    "maximum_age": "21",
    "victim_centered": "Youth choose their own goals; staff trained in trauma-informed care.",
    "sustainable_management": "Board oversight, three-year funding.",
    "collaboration": "We sit on the regional task force.",
    "ability_to_serve": "Eight years serving survivors.",
    "accepts_referrals": "on",
    "accepts_warm_transfers": "on",
}


def public_names() -> list[str]:
    return [h.listing.name for h in search(SearchQuery(), PUBLIC).hits]


def test_apply_review_onsite_approve_then_public(directory_admin: Persona, client_for: ClientFor) -> None:
    response = Client().post("/directory/apply/", APPLICATION)
    assert response.status_code == 302
    org = m.Organization.objects.get(name="Larkspur Bend Youth Haven")
    assert (org.vetting_status, org.visibility) == (VettingStatus.APPLIED, "private")
    assert org.applications.get().collaboration.startswith("We sit")
    assert public_names() == []

    admin = client_for(directory_admin)
    queue = admin.get("/directory/admin/").content.decode()
    assert "Larkspur Bend Youth Haven" in queue
    url = f"/directory/admin/{org.id}/"
    assert admin.post(url, {"action": "review"}).status_code == 302
    today = timezone.localdate().isoformat()
    assert (
        admin.post(
            url, {"action": "onsite", "checked_on": today, "notes": "Visited; safe intake room."}
        ).status_code
        == 302
    )
    # approving without saying what was checked keeps the form and changes nothing
    response = admin.post(url, {"action": "approve", "visibility": "public", "evidence": ""})
    assert response.status_code == 200
    org.refresh_from_db()
    assert org.vetting_status == VettingStatus.UNDER_REVIEW
    assert (
        admin.post(
            url, {"action": "approve", "visibility": "public", "evidence": "Answers read, site visited."}
        ).status_code
        == 302
    )
    org.refresh_from_db()
    assert org.vetting_status == VettingStatus.VETTED and org.reviewer == directory_admin.user
    assert org.next_audit_date == timezone.localdate() + timedelta(days=365)
    assert public_names() == ["Larkspur Bend Youth Haven"]
    assert "Larkspur Bend Youth Haven" in Client().get("/directory/?county=48091").content.decode()
    assert AccessEvent.objects.filter(object_id=org.id, action="approve").exists()


def test_audit_link_confirms_once_and_corrections_wait_for_an_admin(
    listing: Maker,
    directory_admin: Persona,
    client_for: ClientFor,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    org = listing("Copperleaf Counseling")
    admin = client_for(directory_admin)
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(f"/directory/admin/{org.id}/", {"action": "audit"}).status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [org.email]
    link = re.search(r"http://testserver(/directory/confirm/[^/\s]+/)", str(mail.outbox[0].body))
    assert link is not None
    stored = m.AuditRequest.objects.get()
    assert link.group(1).split("/")[-2] not in stored.token_hash  # only the hash is kept
    m.Organization.objects.filter(id=org.id).update(next_audit_date=timezone.localdate() - timedelta(days=3))
    provider = Client()
    assert "Copperleaf Counseling" in provider.get(link.group(1)).content.decode()
    response = provider.post(link.group(1), {"name": org.name, "phone": "(210) 555-0177"})
    assert response.status_code == 200
    org.refresh_from_db()
    assert (
        org.next_audit_date == timezone.localdate() + timedelta(days=365)
        and org.last_confirmed_at is not None
    )
    stored.refresh_from_db()
    assert stored.proposed_changes == {"phone": "(210) 555-0177"}
    assert not m.Phone.objects.filter(number="(210) 555-0177").exists()  # not applied yet
    assert provider.get(link.group(1)).status_code == 404  # one time only
    assert (
        admin.post(
            f"/directory/admin/{org.id}/", {"action": "apply_changes", "audit_id": stored.pk}
        ).status_code
        == 302
    )
    assert m.Phone.objects.filter(number="(210) 555-0177").exists()


def test_overdue_unconfirmed_listing_is_hidden_never_deleted(listing: Maker) -> None:
    late = listing("Emberlin Recovery House")
    listing("Wrenfield Mentoring Circle")
    m.Organization.objects.filter(id=late.id).update(next_audit_date=timezone.localdate() - timedelta(days=1))
    assert hide_overdue_listings.call_local() == 1
    assert public_names() == ["Wrenfield Mentoring Circle"]
    late.refresh_from_db()
    assert late.hidden_at is not None and late.vetting_status == VettingStatus.VETTED
    assert m.Service.objects.filter(organization_id=late.id).exists()
    assert hide_overdue_listings.call_local() == 0  # idempotent
    assert AccessEvent.objects.filter(object_id=late.id, action="audit_overdue").count() == 1


def test_pages_need_the_right_permission(
    listing: Maker, dfps_caseworker: Persona, program_admin: Persona, auditor: Persona, client_for: ClientFor
) -> None:
    org = listing("Fennwick Family Services")
    before = (m.Organization.objects.get(id=org.id).version, AccessEvent.objects.count())
    anonymous = Client()
    for path in ["/directory/staff/", "/directory/admin/", f"/directory/admin/{org.id}/"]:
        assert anonymous.get(path).status_code == 302, path  # to sign in
    partner = client_for(dfps_caseworker)
    assert partner.get("/directory/staff/").status_code == 200
    assert partner.get("/directory/admin/").status_code == 403
    assert (
        partner.post(f"/directory/admin/{org.id}/", {"action": "suspend", "reason": "x"}).status_code == 403
    )
    assert client_for(auditor).get("/directory/staff/").status_code == 403
    assert (
        client_for(program_admin).post(f"/directory/admin/{org.id}/", {"action": "audit"}).status_code == 403
    )
    assert (m.Organization.objects.get(id=org.id).version, AccessEvent.objects.count()) == before
    assert len(mail.outbox) == 0
    with pytest.raises(PermissionDenied):
        services.listing_suspend(membership=dfps_caseworker.membership, organization_id=org.id, reason="no")


def test_staff_search_page_filters_and_htmx_partial(
    listing: Maker, dfps_caseworker: Persona, client_for: ClientFor
) -> None:
    listing("Quillmere Network Clinic", visibility="network", languages=["vi"])
    listing("Quillmere Public Clinic", visibility="public", languages=["en"])
    client = client_for(dfps_caseworker)
    html = client.post("/directory/staff/", {"language": "vi"}, follow=True).content.decode()
    assert "Quillmere Network Clinic" in html and "Quillmere Public Clinic" not in html
    partial = client.post("/directory/staff/", {"language": "en"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Quillmere Public Clinic" in partial and "<html" not in partial
    bad = client.post("/directory/staff/", {"zip_code": "12ab", "age": "old"})
    assert bad.status_code == 200 and "12ab" in bad.content.decode()


def test_public_directory_in_spanish(listing: Maker) -> None:
    listing("Starling Draw Legal Aid")
    client = Client()
    client.post("/i18n/language", {"language": "es", "next": "/directory/"})
    html = client.get("/directory/").content.decode()
    assert '<html lang="es">' in html
    assert "Encuentre ayuda cerca de usted" in html
    assert '<script src="http' not in html and "maps.google" not in html


def test_application_form_keeps_what_was_typed_on_error() -> None:
    data = {**APPLICATION, "email": "not-an-email", "minimum_age": "30", "maximum_age": "20"}
    response = Client().post("/directory/apply/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Larkspur Bend Youth Haven" in html and "regional task force" in html
    assert not m.Organization.objects.exists()


def test_menu_shows_directory_items_by_role(
    directory_admin: Persona, dfps_caseworker: Persona, auditor: Persona, client_for: ClientFor
) -> None:
    admin_home = client_for(directory_admin).get("/").content.decode()
    assert "/directory/staff/" in admin_home and "/directory/admin/" in admin_home
    partner_home = client_for(dfps_caseworker).get("/").content.decode()
    assert "/directory/staff/" in partner_home and "/directory/admin/" not in partner_home
    assert "/directory/staff/" not in client_for(auditor).get("/").content.decode()


def test_searches_are_posted_so_nothing_searched_for_is_in_a_url(
    listing: Maker, dfps_caseworker: Persona, client_for: ClientFor
) -> None:
    """The ZIP code (a location) and the typed words stay in the session; the URL the search
    redirects to carries only filters about the service, and a key that means nothing elsewhere."""
    for n in range(25):
        listing(f"Cindervale Service {n:02d}")
    client = client_for(dfps_caseworker)
    response = client.post("/directory/staff/", {"zip_code": "78205", "age": "15", "q": "cindervale"})
    assert response.status_code == 302
    location = response["Location"]
    assert "78205" not in location and "cindervale" not in location and "age=15" in location
    html = client.get(location).content.decode()
    assert 'method="post"' in html and "78205" not in html.split('id="results"')[1].split("</section>")[0]
    assert "?zip_code" not in html and "zip_code=" not in html and "q=cindervale" not in html
    assert "Cindervale Service 00" in html and "Cindervale Service 24" not in html
    second = client.get(f"{location}&page=2").content.decode()
    assert "Cindervale Service 24" in second and "Cindervale Service 00" not in second
    # the same URL in another browser (no session): the age filter, but no ZIP code, no words
    elsewhere = client_for(dfps_caseworker).get(location).content.decode()
    assert 'value="78205"' not in elsewhere and 'value="cindervale"' not in elsewhere
    assert 'value="15"' in elsewhere

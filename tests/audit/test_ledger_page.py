"""The access ledger page (issue 16, items 2 and 9): plain words and record codes instead of codes and
ids, an honest chain figure, filters (date, person, action, youth record code) and a table that
scrolls inside a focusable region; a partner's reader sees only its own organization's rows."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from tests.conftest import ClientFor, Persona
from tests.factories.access import consent_share, youth_with_team
from tests.factories.youth import make_youth
from threadline.access.categories import Category
from threadline.access.models import TeamRole
from threadline.accounts.models import Organization
from threadline.audit.models import AccessEvent, LedgerCheck
from threadline.core.roles import Role
from threadline.youth.models import Youth
from threadline.youth.selectors import youth_caseload, youth_record

pytestmark = pytest.mark.django_db


def rows_of(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def test_rows_read_in_plain_words_with_record_codes(
    supervisor: Persona, coordinator: Persona, client_for: ClientFor
) -> None:
    youth = make_youth(coordinator.membership, preferred_name="Lucia")
    youth_caseload(membership=coordinator.membership)
    youth_record(membership=coordinator.membership, youth_id=youth.pk)
    html = client_for(supervisor).get("/audit/").content.decode()
    assert f"listed · youth record {youth.reference}" in html
    assert f"viewed · youth record {youth.reference}" in html
    assert str(youth.pk) not in html
    assert "care_plan" not in html and "case_notes" not in html
    assert "Identity and contact, Legal, Location (placements, shelters, safe houses)" in html


def test_the_chain_figure_says_which_rows_were_verified_of_how_many(
    supervisor: Persona, coordinator: Persona, client_for: ClientFor
) -> None:
    make_youth(coordinator.membership)
    call_command("audit_verify")
    verified = LedgerCheck.objects.get().rows_checked
    make_youth(coordinator.membership)  # rows written after the check
    total = AccessEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    assert total is not None and total > verified
    html = client_for(supervisor).get("/audit/").content.decode()
    assert f"rows 1 to {verified} intact, of {total} rows now." in html
    assert f"{total - verified} rows written since then are checked at the next verification." in html


def test_filters_by_youth_code_action_person_and_date(
    supervisor: Persona, coordinator: Persona, advocate: Persona, client_for: ClientFor
) -> None:
    first = make_youth(coordinator.membership, preferred_name="Lucia")
    second = make_youth(coordinator.membership, preferred_name="Mara")
    youth_record(membership=coordinator.membership, youth_id=first.pk)
    youth_record(membership=coordinator.membership, youth_id=second.pk)
    client = client_for(supervisor)
    by_code = client.get("/audit/", {"youth": first.reference.lower()})
    assert by_code.status_code == 200
    rows = rows_of(by_code.content.decode())
    expected = AccessEvent.objects.filter(youth_id=first.pk).count()
    assert len(rows) == expected and all(first.reference in r for r in rows)
    assert second.reference not in by_code.content.decode().split("<tbody>")[1]
    viewed = rows_of(client.get("/audit/", {"youth": first.reference, "action": "view"}).content.decode())
    assert len(viewed) == AccessEvent.objects.filter(youth_id=first.pk, action__in=["view", "read"]).count()
    assert len(viewed) >= 1 and all("viewed ·" in r for r in viewed)
    nobody = client.get("/audit/", {"youth": "Y-ZZZZZZ"}).content.decode()
    assert rows_of(nobody) == ['<td colspan="6" class="muted">No rows match.</td>']
    by_person = rows_of(client.get("/audit/", {"person": coordinator.user.pk}).content.decode())
    assert by_person and all(coordinator.user.email in r for r in by_person)
    future = rows_of(client.get("/audit/", {"date_from": "2099-01-01"}).content.decode())
    assert future == ['<td colspan="6" class="muted">No rows match.</td>']
    backwards = client.get("/audit/", {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert backwards.status_code == 200
    assert "The end date is before the start date." in backwards.content.decode()


def test_the_table_scrolls_in_a_focusable_region(supervisor: Persona, client_for: ClientFor) -> None:
    html = client_for(supervisor).get("/audit/").content.decode()
    assert (
        '<div class="table-scroll" role="region" aria-labelledby="ledger-table-caption" tabindex="0">' in html
    )


def test_a_partner_reader_sees_only_its_own_rows_whatever_the_filter(
    coordinator: Persona, dfps_caseworker: Persona, dfps_org: Organization, client_for: ClientFor
) -> None:
    from tests.conftest import make_persona

    partner_supervisor = make_persona(
        email="pat@sagebrush-dfps.test", role=Role.SUPERVISOR, organization=dfps_org
    )
    youth: Youth = youth_with_team(
        coordinator.membership, [(dfps_org, TeamRole.OTHER)], preferred_name="Lucia"
    )
    consent_share(coordinator.membership, youth, dfps_org, [Category.CARE_PLAN])
    youth_record(membership=dfps_caseworker.membership, youth_id=youth.pk)
    before = AccessEvent.objects.count()
    client = client_for(partner_supervisor)
    html = client.get("/audit/", {"youth": youth.reference}).content.decode()
    rows = rows_of(html)
    assert len(rows) == AccessEvent.objects.filter(youth_id=youth.pk, organization=dfps_org).count() == 1
    assert coordinator.user.email not in html.split("<tbody>")[1]
    assert "You see the rows of your own organization only." in html
    # Another organization's person is not a choice: refused, and the rows stay their own.
    other = client.get("/audit/", {"person": coordinator.user.pk}).content.decode()
    assert coordinator.user.email not in other.split("<tbody>")[1]
    assert AccessEvent.objects.count() == before


def test_people_who_do_not_read_the_ledger_get_403(
    coordinator: Persona, dfps_caseworker: Persona, client_for: ClientFor
) -> None:
    for persona in (coordinator, dfps_caseworker):
        response = client_for(persona).get("/audit/", {"youth": "Y-ZZZZZZ"})
        assert response.status_code == 403
        assert "<tbody>" not in response.content.decode() and "Chain" not in response.content.decode()

"""The coordinator's intake dashboard: who is on call now, open alerts and their clocks, acknowledge."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import ClientFor, Persona
from threadline.intake import oncall
from threadline.intake.models import Alert, Region, Shift

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_rota(region: Region, advocate: Persona, coordinator: Persona, supervisor: Persona) -> Shift:
    now = timezone.now()
    return Shift.objects.create(
        region=region,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=8),
        primary=advocate.user,
        backup=coordinator.user,
        supervisor=supervisor.user,
    )


def test_dashboard_shows_who_is_on_call_and_the_clock(
    live_rota: Shift,
    region: Region,
    coordinator: Persona,
    advocate: Persona,
    client_for: ClientFor,
    sms_outbox: list[dict[str, str]],
) -> None:
    oncall.alert_raise(region=region, kind="urgent_referral", now=timezone.now() - timedelta(minutes=7))
    html = client_for(coordinator).get("/intake/").content.decode()
    assert advocate.user.full_name in html
    assert "Five-county area" in html
    assert "7 min" in html
    assert "Acknowledge" in html


def test_advocate_acknowledges_and_the_clock_stops(
    live_rota: Shift,
    region: Region,
    advocate: Persona,
    client_for: ClientFor,
    sms_outbox: list[dict[str, str]],
) -> None:
    alert = oncall.alert_raise(
        region=region, kind="urgent_referral", now=timezone.now() - timedelta(minutes=3)
    )
    client = client_for(advocate)
    response = client.post(f"/intake/alerts/{alert.pk}/acknowledge", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and 'id="board"' in html
    assert "Nothing waiting" in html
    alert.refresh_from_db()
    assert alert.acknowledged_by == advocate.user
    assert oncall.clock(alert, timezone.now() + timedelta(hours=5)) < timedelta(minutes=4)


def test_htmx_refresh_returns_only_the_board(
    live_rota: Shift, coordinator: Persona, client_for: ClientFor
) -> None:
    html = client_for(coordinator).get("/intake/", HTTP_HX_REQUEST="true").content.decode()
    assert html.lstrip().startswith('<div id="board"')


def test_partner_staff_cannot_see_the_dashboard_nor_acknowledge(
    live_rota: Shift,
    region: Region,
    dfps_caseworker: Persona,
    client_for: ClientFor,
    sms_outbox: list[dict[str, str]],
) -> None:
    alert = oncall.alert_raise(region=region, kind="urgent_referral", now=timezone.now())
    client = client_for(dfps_caseworker)
    response = client.get("/intake/")
    assert response.status_code == 403
    assert "Five-county area" not in response.content.decode()
    assert client.post(f"/intake/alerts/{alert.pk}/acknowledge").status_code == 404
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_nav_item_for_coordinators_only(
    coordinator: Persona, dfps_caseworker: Persona, client_for: ClientFor
) -> None:
    assert 'href="/intake/"' in client_for(coordinator).get("/").content.decode()
    assert 'href="/intake/"' not in client_for(dfps_caseworker).get("/").content.decode()


def test_anonymous_is_sent_to_sign_in() -> None:
    from django.test import Client

    response = Client().get("/intake/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_alert_kinds_are_known() -> None:
    assert set(Alert.Kind.values) == {
        "urgent_referral",
        "test",
        "new_referral",
        "immediate_danger",
        "check_in_missed",
        "report_overdue",
    }


def test_acknowledge_answers_one_404_for_missing_and_not_yours(
    live_rota: Shift,
    region: Region,
    program_admin: Persona,
    client_for: ClientFor,
    sms_outbox: list[dict[str, str]],
) -> None:
    """Issue 9, item 8: a colleague who does not take referrals got 403, a missing alert 404."""
    alert = oncall.alert_raise(region=region, kind="urgent_referral", now=timezone.now())
    client = client_for(program_admin)
    mine = client.post(f"/intake/alerts/{alert.pk}/acknowledge")
    missing = client.post(f"/intake/alerts/{alert.pk + 1000}/acknowledge")
    assert (mine.status_code, missing.status_code) == (404, 404)
    alert.refresh_from_db()
    assert alert.acknowledged_at is None

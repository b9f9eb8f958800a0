"""Missing episodes from the youth record: report, who was told, return, recovery roundtable."""

from __future__ import annotations

import pytest

from tests.conftest import ClientFor, Persona
from tests.factories.youth import make_youth
from threadline.care.models import Meeting, Task
from threadline.youth.models import MissingEpisode

pytestmark = pytest.mark.django_db


def test_report_notify_return_and_roundtable(coordinator: Persona, client_for: ClientFor) -> None:
    from threadline.care.models import Meeting

    youth = make_youth(coordinator.membership, preferred_name="Anahí")
    client = client_for(coordinator)
    url = f"/youth/{youth.pk}/missing"
    assert client.post(url, {"step": "start", "started_at": "2026-11-01T21:30"}).status_code == 302
    episode = MissingEpisode.objects.get(youth=youth)
    assert episode.ended_at is None
    client.post(
        url,
        {
            "step": "notify",
            "episode": episode.pk,
            "to": "law enforcement",
            "at": "2026-11-01T22:00",
            "reference": "RPD-0042",
        },
    )
    client.post(
        url, {"step": "notify", "episode": episode.pk, "to": "child welfare (SWI)", "at": "2026-11-01T22:10"}
    )
    page = client.get(f"/youth/{youth.pk}/").content.decode()
    assert "still missing" in page and "RPD-0042" in page
    client.post(
        f"/care/{youth.pk}/missing-return",
        {
            "episode": episode.pk,
            "ended_at": "2026-11-03T09:00",
            "debrief": "",
            "roundtable": "on",
        },
    )
    episode.refresh_from_db()
    assert episode.ended_at is not None and len(episode.notifications) == 2
    assert Meeting.objects.filter(youth=youth, meeting_type="recovery_roundtable").exists()
    assert "Return debrief still to do" in client.get(f"/youth/{youth.pk}/").content.decode()


def test_return_before_start_is_refused_and_nothing_changes(
    coordinator: Persona, client_for: ClientFor
) -> None:
    youth = make_youth(coordinator.membership)
    client = client_for(coordinator)
    client.post(f"/youth/{youth.pk}/missing", {"step": "start", "started_at": "2026-11-05T10:00"})
    episode = MissingEpisode.objects.get(youth=youth)
    response = client.post(
        f"/care/{youth.pk}/missing-return",
        {"episode": episode.pk, "ended_at": "2026-11-04T10:00", "roundtable": "on"},
        follow=True,
    )
    assert "cannot be before" in response.content.decode()
    episode.refresh_from_db()
    assert episode.ended_at is None
    # One transaction: the refused return scheduled no roundtable and added no next step either.
    assert Meeting.objects.filter(youth=youth).count() == 0
    assert Task.objects.filter(youth=youth).count() == 0


def test_partner_without_care_plan_consent_cannot_report(
    coordinator: Persona, dfps_caseworker: Persona, client_for: ClientFor
) -> None:
    youth = make_youth(coordinator.membership)
    response = client_for(dfps_caseworker).post(
        f"/youth/{youth.pk}/missing", {"step": "start", "started_at": "2026-11-05T10:00"}
    )
    assert response.status_code == 404
    assert not MissingEpisode.objects.exists()

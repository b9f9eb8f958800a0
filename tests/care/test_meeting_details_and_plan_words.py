"""Issue 16: a meeting has a place (location: encrypted, shown only with that category), a video
link and a duration, and the coordinator's own organization is invited by default (item 10); the care
plan's history and the timeline say what changed in words, in the reader's language (item 2)."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.conftest import ClientFor, Persona
from tests.factories.access import Share
from threadline.access.categories import Category
from threadline.care.models import Meeting
from threadline.care.services.plan import plan_goal_add
from threadline.youth.models import Youth

pytestmark = pytest.mark.django_db


def schedule(**extra: object) -> dict[str, object]:
    return {
        "form": "schedule",
        "m-meeting_type": "care_coordination",
        "m-scheduled_at": "2026-12-10T10:00",
        **extra,
    }


def test_the_coordinators_organization_is_invited_by_default(
    coordinator: Persona, client_for: ClientFor, youth: Youth
) -> None:
    html = client_for(coordinator).get(f"/care/{youth.pk}/meetings").content.decode()
    own = coordinator.organization.pk
    assert f'value="{own}" id="id_m-invited_' in html
    checked = [m for m in html.split("<input") if f'value="{own}"' in m and 'name="m-invited"' in m]
    assert len(checked) == 1 and "checked" in checked[0]


def test_place_video_link_and_duration_are_saved_and_shown(
    coordinator: Persona, client_for: ClientFor, youth: Youth
) -> None:
    client = client_for(coordinator)
    response = client.post(
        f"/care/{youth.pk}/meetings",
        schedule(
            **{
                "m-place": "Room 4, Cedar Hollow office (fictional)",
                "m-video_link": "https://meet.example.test/abc-defg",
                "m-duration_minutes": "45",
                "m-invited": [str(coordinator.organization.pk)],
            }
        ),
    )
    assert response.status_code == 302
    meeting = Meeting.objects.select_related("youth__data_key").get()
    assert (meeting.place, meeting.video_link, meeting.duration_minutes) == (
        "Room 4, Cedar Hollow office (fictional)",
        "https://meet.example.test/abc-defg",
        45,
    )
    with connection.cursor() as cursor:  # the place is encrypted at rest
        cursor.execute("SELECT place FROM care_meeting")
        stored = cursor.fetchone()[0]
    assert "Cedar Hollow" not in str(stored)
    html = client.get(f"/care/{youth.pk}/meetings").content.decode()
    assert '<span class="location">Room 4, Cedar Hollow office (fictional)</span>' in html
    assert '<a href="https://meet.example.test/abc-defg" rel="noopener noreferrer">' in html
    assert "45 minutes" in html


def test_a_bad_video_link_is_refused_and_what_was_typed_stays(
    coordinator: Persona, client_for: ClientFor, youth: Youth
) -> None:
    response = client_for(coordinator).post(
        f"/care/{youth.pk}/meetings",
        schedule(**{"m-video_link": "javascript:alert(1)", "m-agenda": "Talk about school"}),
    )
    assert response.status_code == 400
    assert "Talk about school" in response.content.decode()
    assert Meeting.objects.count() == 0


def test_a_partner_without_location_neither_sees_nor_writes_the_place(
    coordinator: Persona, dfps_caseworker: Persona, client_for: ClientFor, youth: Youth, share: Share
) -> None:
    share(youth, dfps_caseworker, [Category.CARE_PLAN])
    client_for(coordinator).post(
        f"/care/{youth.pk}/meetings", schedule(**{"m-place": "Back room at the clinic (fictional)"})
    )
    first = Meeting.objects.get()
    partner = client_for(dfps_caseworker)
    page = partner.get(f"/care/{youth.pk}/meetings").content.decode()
    assert "Back room at the clinic" not in page and 'name="m-place"' not in page
    # A place typed anyway is ignored by the form (no field) and the meeting is saved without it.
    response = partner.post(f"/care/{youth.pk}/meetings", schedule(**{"m-place": "Behind the station"}))
    assert response.status_code == 302
    # (UUID keys do not sort by age: the partner's meeting is the one that is not the coordinator's)
    newest = Meeting.objects.select_related("youth__data_key").exclude(pk=first.pk).get()
    assert newest.place == "" and Meeting.objects.count() == 2


def test_plan_history_and_timeline_say_what_changed_in_words(
    coordinator: Persona, client_for: ClientFor, youth: Youth
) -> None:
    plan_goal_add(
        membership=coordinator.membership,
        youth_id=youth.pk,
        domain="education",
        in_their_words="Back to school",
    )
    client = client_for(coordinator)
    plan = client.get(f"/care/{youth.pk}/plan").content.decode()
    assert "Goal added to the care plan" in plan and "goal_added" not in plan
    assert client.post("/i18n/language", {"language": "es", "next": "/"}).status_code == 302
    spanish_plan = client.get(f"/care/{youth.pk}/plan").content.decode()
    spanish_timeline = client.get(f"/youth/{youth.pk}/timeline").content.decode()
    assert "Meta añadida al plan de atención" in spanish_plan and "goal_added" not in spanish_plan
    assert "Meta añadida al plan de atención" in spanish_timeline

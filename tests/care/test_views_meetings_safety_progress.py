"""Pages for meetings (action items become tasks), the safety plan (safe places only with the
location category; printable in English and Spanish) and progress (stage of change, check-ins)."""

from __future__ import annotations

import pytest

from tests.conftest import ClientFor, Persona
from tests.factories.access import Share
from threadline.access.categories import Category
from threadline.care.models import Meeting, OutcomeCheckIn, SafetyPlan, StageAssessment, Task
from threadline.care.services.safety import safety_plan_save
from threadline.youth.models import Youth

pytestmark = pytest.mark.django_db


def url(youth: Youth, page: str) -> str:
    return f"/care/{youth.pk}/{page}"


def test_meeting_page_schedules_records_and_turns_action_items_into_tasks(
    coordinator: Persona, dfps_caseworker: Persona, client_for: ClientFor, youth: Youth
) -> None:
    client = client_for(coordinator)
    assert client.get(url(youth, "meetings")).status_code == 200
    response = client.post(
        url(youth, "meetings"),
        {
            "form": "schedule",
            "m-meeting_type": "rapid_response",
            "m-scheduled_at": "2026-12-01T10:00",
            "m-invited": [str(dfps_caseworker.organization.pk)],
            "m-agenda": "First staffing",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    response = client.post(
        url(youth, "meetings"),
        {
            "form": "record",
            "r-meeting": str(meeting.pk),
            "r-version": "1",
            "r-attended": [str(dfps_caseworker.organization.pk)],
            "r-notes": "Everyone agreed on next steps",
            "r-decisions": "Start counselling",
        },
    )
    assert response.status_code == 302
    response = client.post(
        url(youth, "meetings"),
        {
            "form": "action",
            "a-meeting": str(meeting.pk),
            "a-title": "Book counselling intake",
            "a-owner": f"org:{dfps_caseworker.organization.pk}",
        },
    )
    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.source, task.source_id) == ("meeting", str(meeting.pk))
    html = client.get(url(youth, "meetings")).content.decode()
    assert "Everyone agreed on next steps" in html and "Start counselling" in html
    bad = client.post(url(youth, "meetings"), {"form": "schedule", "m-meeting_type": "advisory_council"})
    assert bad.status_code == 400 and Meeting.objects.count() == 1


def test_safety_plan_page_and_printable_versions(
    coordinator: Persona, dfps_caseworker: Persona, client_for: ClientFor, youth: Youth, share: Share
) -> None:
    client = client_for(coordinator)
    response = client.post(
        url(youth, "safety-plan"),
        {
            "version": "0",
            "warning_signs": "Stops eating",
            "safe_places": "Library (fictional)",
            "code_words": "pineapple",
        },
    )
    assert response.status_code == 302
    assert SafetyPlan.objects.get().version == 1
    stale = client.post(url(youth, "safety-plan"), {"version": "0", "warning_signs": "stale"})
    assert stale.status_code == 400 and "Someone else saved a change first" in stale.content.decode()
    english = client.get(url(youth, "safety-plan/print") + "?lang=en").content.decode()
    spanish = client.get(url(youth, "safety-plan/print") + "?lang=es").content.decode()
    assert "My safety plan" in english and "pineapple" in english and "Library (fictional)" in english
    assert '<html lang="es">' in spanish and "Mi plan de seguridad" in spanish

    share(youth, dfps_caseworker, [Category.CARE_PLAN])
    partner = client_for(dfps_caseworker)
    page = partner.get(url(youth, "safety-plan")).content.decode()
    printed = partner.get(url(youth, "safety-plan/print")).content.decode()
    assert "pineapple" in page and "Library (fictional)" not in page and "Library (fictional)" not in printed
    # Saving without the location field leaves the safe places untouched.
    assert partner.post(url(youth, "safety-plan"), {"version": "1", "code_words": "mango"}).status_code == 302
    plan = SafetyPlan.objects.select_related("youth__data_key").get()
    assert (plan.code_words, plan.safe_places) == ("mango", "Library (fictional)")


def test_progress_page(coordinator: Persona, client_for: ClientFor, youth: Youth) -> None:
    client = client_for(coordinator)
    assert client.post(url(youth, "progress"), {"form": "stage", "s-stage": "action"}).status_code == 302
    response = client.post(
        url(youth, "progress"), {"form": "check_in", "c-safe_housing": "4", "c-social_support": "2"}
    )
    assert response.status_code == 302
    assert OutcomeCheckIn.objects.get().ratings == {"safe_housing": 4, "social_support": 2}
    assert StageAssessment.objects.get().stage == "action"
    assert client.post(url(youth, "progress"), {"form": "check_in"}).status_code == 400
    html = client.get(url(youth, "progress")).content.decode()
    assert "Making changes" in html and "4/5" in html


def test_these_pages_are_not_for_partners_without_care_plan_consent(
    coordinator: Persona, dfps_caseworker: Persona, client_for: ClientFor, youth: Youth
) -> None:
    safety_plan_save(membership=coordinator.membership, youth_id=youth.pk, version=0, code_words="kiwi")
    client = client_for(dfps_caseworker)
    for page in ("meetings", "safety-plan", "safety-plan/print", "progress"):
        response = client.get(url(youth, page))
        assert response.status_code == 404, page
        assert "kiwi" not in response.content.decode()


def test_recovery_roundtable_from_the_meetings_page(
    coordinator: Persona, client_for: ClientFor, youth: Youth
) -> None:
    import datetime

    from django.utils import timezone

    from threadline.youth.services import missing_episode_close, missing_episode_open

    m = coordinator.membership
    episode = missing_episode_open(
        membership=m, youth_id=youth.pk, started_at=timezone.now() - datetime.timedelta(days=2)
    )
    client = client_for(coordinator)
    assert "Schedule a recovery roundtable" not in client.get(url(youth, "meetings")).content.decode()
    missing_episode_close(membership=m, youth_id=youth.pk, episode_id=episode.pk, ended_at=timezone.now())
    assert "Schedule a recovery roundtable" in client.get(url(youth, "meetings")).content.decode()
    assert client.post(url(youth, "meetings"), {"form": "roundtable", "episode": "nope"}).status_code == 404
    response = client.post(url(youth, "meetings"), {"form": "roundtable", "episode": str(episode.pk)})
    assert response.status_code == 302
    assert Meeting.objects.get().meeting_type == "recovery_roundtable"
    assert Task.objects.filter(source="missing").count() == 2
    assert "Roundtable scheduled" in client.get(url(youth, "meetings")).content.decode()

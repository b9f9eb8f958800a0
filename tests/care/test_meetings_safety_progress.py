"""Meetings whose action items become plan tasks; a recovery roundtable after a missing episode;
the safety plan with safe places behind the location category; stage of change and outcome
check-ins, dated and attributed."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.conftest import Persona
from tests.factories.access import Share
from threadline.access.categories import Category
from threadline.care import selectors
from threadline.care.models import Meeting, OutcomeCheckIn, SafetyPlan, StageAssessment, Task
from threadline.care.services.meetings import meeting_record, meeting_schedule
from threadline.care.services.missing import missing_episode_follow_up, missing_episode_return
from threadline.care.services.progress import outcome_check_in, stage_assess
from threadline.care.services.safety import safety_plan_save
from threadline.care.services.tasks import task_add
from threadline.core.errors import EditConflict
from threadline.youth.models import TimelineEntry, Youth
from threadline.youth.policy import YouthNotFound
from threadline.youth.services import missing_episode_close, missing_episode_open

pytestmark = pytest.mark.django_db


def soon(days: int = 1) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def test_meeting_with_action_items_that_become_tasks(
    coordinator: Persona, dfps_caseworker: Persona, probation_officer: Persona, youth: Youth, share: Share
) -> None:
    m = coordinator.membership
    meeting = meeting_schedule(
        membership=m,
        youth_id=youth.pk,
        meeting_type="rapid_response",
        scheduled_at=soon(),
        invited_ids=[dfps_caseworker.organization.pk, probation_officer.organization.pk],
        agenda="Placement options",
    )
    recorded = meeting_record(
        membership=m,
        youth_id=youth.pk,
        meeting_id=meeting.pk,
        version=1,
        attended_ids=[dfps_caseworker.organization.pk],
        notes="Discussed options",
        decisions="Kinship placement first",
    )
    assert {o.pk for o in recorded.attended.all()} == {dfps_caseworker.organization.pk}
    with pytest.raises(EditConflict):
        meeting_record(membership=m, youth_id=youth.pk, meeting_id=meeting.pk, version=1, notes="old")
    for partner in (dfps_caseworker, probation_officer):
        task_add(
            membership=m,
            youth_id=youth.pk,
            meeting_id=meeting.pk,
            title=f"Follow-up for {partner.organization.name}",
            owner_organization_id=partner.organization.pk,
            due_on=datetime.date(2026, 12, 1),
        )
    tasks = Task.objects.filter(youth=youth, source="meeting", source_id=str(meeting.pk))
    assert {t.owner_organization_id for t in tasks} == {
        dfps_caseworker.organization.pk,
        probation_officer.organization.pk,
    }
    # The partner sees the meeting once its organization may see the care plan.
    with pytest.raises(YouthNotFound):
        selectors.meetings_of(membership=dfps_caseworker.membership, youth_id=youth.pk)
    share(youth, dfps_caseworker, [Category.CARE_PLAN])
    [seen] = selectors.meetings_of(membership=dfps_caseworker.membership, youth_id=youth.pk)
    assert seen.decisions == "Kinship placement first"


def test_meeting_input_is_checked(coordinator: Persona, youth: Youth) -> None:
    from tests.factories.accounts import OrganizationFactory

    outsider = OrganizationFactory(name="Gravel Road Clinic (fictional)")
    m = coordinator.membership
    with pytest.raises(ValidationError, match="care team"):
        meeting_schedule(
            membership=m,
            youth_id=youth.pk,
            meeting_type="service_status",
            scheduled_at=soon(),
            invited_ids=[outsider.pk],
        )
    with pytest.raises(ValidationError, match="advisory council"):
        meeting_schedule(
            membership=m, youth_id=youth.pk, meeting_type="advisory_council", scheduled_at=soon()
        )
    with pytest.raises(ValidationError):
        meeting_schedule(membership=m, youth_id=youth.pk, meeting_type="party", scheduled_at=soon())
    assert not Meeting.objects.exists()


def test_upcoming_meetings_show_on_my_work(
    coordinator: Persona, dfps_caseworker: Persona, youth: Youth, share: Share
) -> None:
    meeting_schedule(
        membership=coordinator.membership,
        youth_id=youth.pk,
        meeting_type="care_coordination",
        scheduled_at=soon(3),
        invited_ids=[dfps_caseworker.organization.pk],
    )
    assert len(selectors.my_work(membership=coordinator.membership).meetings) == 1
    assert selectors.my_work(membership=dfps_caseworker.membership).meetings == []
    share(youth, dfps_caseworker, [Category.CARE_PLAN])
    assert len(selectors.my_work(membership=dfps_caseworker.membership).meetings) == 1


def test_missing_episode_follow_up(coordinator: Persona, youth: Youth) -> None:
    m = coordinator.membership
    episode = missing_episode_open(
        membership=m, youth_id=youth.pk, started_at=timezone.now() - datetime.timedelta(days=3)
    )
    missing_episode_close(membership=m, youth_id=youth.pk, episode_id=episode.pk, ended_at=timezone.now())
    meeting, tasks = missing_episode_follow_up(membership=m, youth_id=youth.pk, episode_id=episode.pk)
    assert meeting.meeting_type == "recovery_roundtable"
    titles = [t.title for t in tasks]
    assert titles == ["Return debrief with the youth", "Hold the recovery roundtable"]
    assert all(t.source == "missing" and t.source_id == str(episode.pk) for t in tasks)


def test_a_scheduled_meeting_and_a_recovery_roundtable_each_go_on_the_timeline(
    coordinator: Persona, youth: Youth
) -> None:
    m = coordinator.membership
    meeting = meeting_schedule(
        membership=m, youth_id=youth.pk, meeting_type="rapid_response", scheduled_at=soon()
    )
    episode = missing_episode_open(
        membership=m, youth_id=youth.pk, started_at=timezone.now() - datetime.timedelta(days=3)
    )
    missing_episode_close(membership=m, youth_id=youth.pk, episode_id=episode.pk, ended_at=timezone.now())
    roundtable, _tasks = missing_episode_follow_up(membership=m, youth_id=youth.pk, episode_id=episode.pk)
    lines = {
        e.object_id: (e.category, e.summary, e.author_id)
        for e in TimelineEntry.objects.filter(youth=youth, kind="meeting_scheduled")
    }
    assert lines == {
        str(meeting.pk): (
            Category.CARE_PLAN,
            "Meeting scheduled: Rapid response / initial staffing",
            m.user.pk,
        ),
        str(roundtable.pk): (
            Category.CARE_PLAN,
            "Meeting scheduled: Recovery roundtable (after a missing episode)",
            m.user.pk,
        ),
    }
    assert roundtable.created_by == m.user and roundtable.agenda == ""


def test_safety_plan_versions_and_safe_places_are_location(
    coordinator: Persona, dfps_caseworker: Persona, youth: Youth, share: Share
) -> None:
    m = coordinator.membership
    plan = safety_plan_save(
        membership=m,
        youth_id=youth.pk,
        version=0,
        warning_signs="Stops answering texts",
        safe_places="Aunt's house on Elm (fictional)",
        code_words="blue umbrella",
    )
    assert plan.version == 1
    with pytest.raises(EditConflict):
        safety_plan_save(membership=m, youth_id=youth.pk, version=0, warning_signs="stale")
    with pytest.raises(ValidationError):
        safety_plan_save(membership=m, youth_id=youth.pk, version=1, home_address="x")

    share(youth, dfps_caseworker, [Category.CARE_PLAN])
    view = selectors.safety_plan_of(membership=dfps_caseworker.membership, youth_id=youth.pk)
    assert view.plan is not None and view.plan.code_words == "blue umbrella"
    assert view.shows_places is False
    with pytest.raises(PermissionDenied):
        safety_plan_save(
            membership=dfps_caseworker.membership, youth_id=youth.pk, version=1, safe_places="Changed"
        )
    safety_plan_save(
        membership=dfps_caseworker.membership, youth_id=youth.pk, version=1, warning_signs="Skips school"
    )
    stored = SafetyPlan.objects.select_related("youth__data_key").get(youth=youth)
    assert (stored.version, stored.warning_signs, stored.safe_places) == (
        2,
        "Skips school",
        "Aunt's house on Elm (fictional)",
    )
    assert selectors.safety_plan_of(membership=m, youth_id=youth.pk).shows_places is True


def test_stage_of_change_records_a_return_without_blame(coordinator: Persona, youth: Youth) -> None:
    m = coordinator.membership
    day = datetime.date(2026, 1, 5)
    for offset, stage in enumerate(["contemplation", "action", "preparation"]):
        stage_assess(
            membership=m,
            youth_id=youth.pk,
            stage=stage,
            assessed_on=day + datetime.timedelta(days=30 * offset),
        )
    movements = list(StageAssessment.objects.order_by("assessed_on").values_list("movement", flat=True))
    assert movements == ["first", "forward", "returned"]
    progress = selectors.progress_of(membership=m, youth_id=youth.pk)
    assert progress.net_steps == 1
    with pytest.raises(ValidationError):
        stage_assess(membership=m, youth_id=youth.pk, stage="denial")


def test_outcome_check_in(coordinator: Persona, dfps_caseworker: Persona, youth: Youth) -> None:
    m = coordinator.membership
    check_in = outcome_check_in(
        membership=m, youth_id=youth.pk, ratings={"safe_housing": "4", "social_support": 3, "resiliency": ""}
    )
    assert check_in.ratings == {"safe_housing": 4, "social_support": 3}
    assert check_in.by == coordinator.user and check_in.organization == coordinator.organization
    with pytest.raises(ValidationError):
        outcome_check_in(membership=m, youth_id=youth.pk, ratings={"safe_housing": 9})
    with pytest.raises(ValidationError):
        outcome_check_in(membership=m, youth_id=youth.pk, ratings={})
    with pytest.raises(YouthNotFound):
        outcome_check_in(membership=dfps_caseworker.membership, youth_id=youth.pk, ratings={"safety": 2})
    assert OutcomeCheckIn.objects.count() == 1


def test_missing_episode_return_is_one_service(coordinator, youth) -> None:  # type: ignore[no-untyped-def]
    m = coordinator.membership
    episode = missing_episode_open(
        membership=m, youth_id=youth.pk, started_at=timezone.now() - datetime.timedelta(days=3)
    )
    returned, meeting = missing_episode_return(
        membership=m, youth_id=youth.pk, episode_id=episode.pk, ended_at=timezone.now(), debrief="Talked."
    )
    assert returned.ended_at is not None
    assert meeting is not None and meeting.meeting_type == "recovery_roundtable"
    # The debrief is done, so the only next step is the roundtable itself.
    assert [t.title for t in Task.objects.filter(youth=youth, source="missing")] == [
        "Hold the recovery roundtable"
    ]


def test_refused_missing_episode_return_creates_nothing(coordinator, youth) -> None:  # type: ignore[no-untyped-def]
    m = coordinator.membership
    episode = missing_episode_open(membership=m, youth_id=youth.pk, started_at=timezone.now())
    with pytest.raises(ValidationError):
        missing_episode_return(
            membership=m,
            youth_id=youth.pk,
            episode_id=episode.pk,
            ended_at=timezone.now() - datetime.timedelta(days=1),
        )
    episode.refresh_from_db()
    assert episode.ended_at is None
    assert Meeting.objects.filter(youth=youth).count() == 0
    assert Task.objects.filter(youth=youth).count() == 0

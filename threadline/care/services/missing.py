"""After a missing episode: the return and the recovery roundtable."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from threadline.access.categories import Category
from threadline.accounts.models import Membership
from threadline.care import timeline_messages as msg
from threadline.care.choices import (
    MeetingType,
    PlanState,
)
from threadline.care.models import (
    CarePlan,
    Meeting,
    Task,
    TaskSource,
)
from threadline.care.services.base import _lock_plan, _on_timeline, _open_plan, _today
from threadline.care.services.tasks import _task_create
from threadline.youth.models import MissingEpisode, Youth
from threadline.youth.policy import access_youth
from threadline.youth.said import Choice
from threadline.youth.services import missing_episode_end


def missing_episode_follow_up(
    *, membership: Membership, youth_id: Any, episode_id: Any, roundtable_at: datetime.datetime | None = None
) -> tuple[Meeting, list[Task]]:
    """After a youth returns from a missing episode: schedule a recovery roundtable and add the
    next steps (return debrief if not done yet, roundtable) owned by the person who records it."""
    with transaction.atomic():
        youth, plan = _open_plan(membership, youth_id, purpose="missing episode follow-up")
        episode = youth.missing_episodes.filter(pk=episode_id).first()  # only the opened youth's
        if episode is None:
            raise MissingEpisode.DoesNotExist
        return _recovery_roundtable(youth, plan, membership, episode, roundtable_at)


def missing_episode_return(
    *,
    membership: Membership,
    youth_id: Any,
    episode_id: Any,
    ended_at: datetime.datetime,
    debrief: str = "",
    roundtable: bool = True,
) -> tuple[MissingEpisode, Meeting | None]:
    """A missing youth is back: record the return and, if asked, offer the recovery roundtable (with
    its next steps). One transaction: a refused return schedules nothing."""
    with transaction.atomic():
        youth = access_youth(
            membership, youth_id, Category.CARE_PLAN, write=True, purpose="return from missing"
        )
        episode = missing_episode_end(
            youth=youth, membership=membership, episode_id=episode_id, ended_at=ended_at, debrief=debrief
        )
        if not roundtable:
            return episode, None
        meeting, _tasks = _recovery_roundtable(youth, _lock_plan(youth), membership, episode, None)
    return episode, meeting


def _recovery_roundtable(
    youth: Youth,
    plan: CarePlan,
    membership: Membership,
    episode: MissingEpisode,
    roundtable_at: datetime.datetime | None,
) -> tuple[Meeting, list[Task]]:
    episode.youth = youth
    when = roundtable_at or timezone.now() + datetime.timedelta(days=2)
    meeting = Meeting(
        youth=youth,
        meeting_type=MeetingType.RECOVERY_ROUNDTABLE,
        scheduled_at=when,
        agenda="",
        created_by=membership.user,
    )
    meeting.save(force_insert=True)
    _on_timeline(
        membership,
        youth,
        meeting,
        "meeting_scheduled",
        msg.MEETING_SCHEDULED(meeting_type=Choice(MeetingType.RECOVERY_ROUNDTABLE)),
    )
    tasks = []
    if plan.state != PlanState.CLOSED:
        steps = [("Hold the recovery roundtable", timezone.localdate(when))]
        if episode.debrief_done_on is None:
            steps.insert(0, ("Return debrief with the youth", _today() + datetime.timedelta(days=1)))
        for title, due in steps:
            tasks.append(
                _task_create(
                    youth=youth,
                    plan=plan,
                    membership=membership,
                    title=title,
                    owner_person_id=membership.user.pk,
                    owner_organization_id=membership.organization.pk,
                    due_on=due,
                    source=TaskSource.MISSING,
                    source_id=episode.pk,
                )
            )
    return meeting, tasks

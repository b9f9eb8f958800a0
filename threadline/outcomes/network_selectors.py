"""The partner network's facts for one scope and period (issue 15): the program's trainings and
program meetings. Column-only reads; organizations become numbers local to one load."""

from __future__ import annotations

from django.db.models import Count

from threadline.network.models import ProgramMeeting, Training, TrainingAttendance
from threadline.outcomes.measures.facts import Period
from threadline.outcomes.measures.network import ProgramMeetingFact, TrainingFact
from threadline.outcomes.selectors import Scope, bounds


def training_facts(scope: Scope, period: Period) -> list[TrainingFact]:
    if scope.organization_id is None:
        return []
    sessions = Training.objects.filter(
        program_organization_id=scope.organization_id,
        delivered_on__gte=period.start,
        delivered_on__lte=period.end,
    )
    attendance: dict[int, list[tuple[int, int]]] = {}
    numbers: dict[int, int] = {}
    rows = TrainingAttendance.objects.filter(training__in=sessions).values_list(
        "training_id", "organization_id", "attendees"
    )
    for training_id, organization_id, people in rows.order_by():
        number = numbers.setdefault(organization_id, len(numbers) + 1)
        attendance.setdefault(training_id, []).append((number, people))
    return [
        TrainingFact(kind, day, hours, tuple(attendance.get(pk, ())))
        for pk, kind, day, hours in sessions.values_list("pk", "kind", "delivered_on", "hours").order_by()
    ]


def program_meeting_facts(scope: Scope, period: Period) -> list[ProgramMeetingFact]:
    if scope.organization_id is None:
        return []
    start, end = bounds(period)
    rows = (
        ProgramMeeting.objects.filter(program_organization_id=scope.organization_id)
        .filter(scheduled_at__lt=end)
        .exclude(held_at__lt=start)
        .annotate(items=Count("action_items"))
        .values_list("kind", "scheduled_at", "held_at", "items")
        .order_by()
    )
    return [ProgramMeetingFact(*row) for row in rows]

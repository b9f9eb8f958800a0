"""Trainings, technical assistance and program meetings count as seed 004 activities in outcomes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.conftest import ClientFor, Persona
from threadline.network.meeting_services import (
    meeting_action_item_add,
    program_meeting_record,
    program_meeting_schedule,
)
from threadline.network.models import ProgramMeetingKind, TrainingKind
from threadline.network.training_services import training_record
from threadline.outcomes import report
from threadline.outcomes.measures.facts import Period
from threadline.outcomes.measures.network import ProgramMeetingFact, TrainingFact, program_meetings, trainings
from threadline.outcomes.selectors import facts_for

YEAR = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def at(day: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day + "T10:00"))


def test_trainings_counted_by_kind_on_hand_made_facts() -> None:
    table = trainings(
        [
            TrainingFact(TrainingKind.TRAINING, dt.date(2026, 2, 1), Decimal("1.5"), ((1, 10), (2, 5))),
            TrainingFact(TrainingKind.TRAINING, dt.date(2026, 3, 1), Decimal("1.25"), ((1, 4),)),
            TrainingFact(TrainingKind.TECHNICAL_ASSISTANCE, dt.date(2026, 4, 1), Decimal("2"), ((3, 2),)),
            TrainingFact(TrainingKind.TRAINING, dt.date(2025, 12, 31), Decimal("8"), ((4, 50),)),  # before
        ],
        YEAR,
    )
    assert table.value("training", "sessions") == 2
    assert table.value("training", "hours") == 3  # 2.75 rounded
    assert table.value("training", "organizations") == 2  # organization 1 once
    assert table.value("training", "people") == 19
    assert table.value("technical_assistance", "sessions") == 1
    assert table.value("technical_assistance", "people") == 2


def test_program_meetings_counted_on_hand_made_facts() -> None:
    table = program_meetings(
        [
            ProgramMeetingFact(ProgramMeetingKind.ADVISORY_COUNCIL, at("2026-03-01"), at("2026-03-01"), 2),
            ProgramMeetingFact(ProgramMeetingKind.ADVISORY_COUNCIL, at("2026-06-01"), None, 0),
            ProgramMeetingFact(
                ProgramMeetingKind.PARTNER_NETWORK, at("2025-06-01"), at("2025-06-01"), 1
            ),  # before
        ],
        YEAR,
    )
    assert table.value("advisory_council", "held") == 1
    assert table.value("advisory_council", "not_held") == 1
    assert table.value("advisory_council", "action_items") == 2
    assert table.value("partner_network", "held") == 0


@pytest.mark.django_db
def test_the_programs_trainings_and_council_appear_in_its_report(
    coordinator: Persona, program_admin: Persona, dfps_caseworker: Persona, probation_officer: Persona
) -> None:
    today = timezone.localdate()
    training_record(
        membership=program_admin.membership,
        topic="Recognizing exploitation",
        delivered_on=today,
        hours="3",
        attendance=[(dfps_caseworker.organization.pk, 12), (probation_officer.organization.pk, 6)],
    )
    meeting = program_meeting_schedule(
        membership=program_admin.membership,
        kind=ProgramMeetingKind.ADVISORY_COUNCIL,
        scheduled_at=timezone.now(),
    )
    program_meeting_record(
        membership=program_admin.membership, meeting_id=meeting.pk, version=1, minutes="Held."
    )
    meeting_action_item_add(
        membership=program_admin.membership,
        meeting_id=meeting.pk,
        title="Share the survey",
        owner_organization_id=dfps_caseworker.organization.pk,
    )
    period = Period(today.replace(day=1), today)
    built = report.build(facts_for(membership=coordinator.membership, period=period))
    table = built.table("activities.trainings")
    assert table is not None
    assert [table.value("training", c) for c in ("sessions", "hours", "organizations", "people")] == [
        1,
        3,
        2,
        18,
    ]
    council = built.table("activities.program_meetings")
    assert council is not None
    assert council.value("advisory_council", "held") == 1
    assert council.value("advisory_council", "action_items") == 1
    # A partner agency's report has no program scope: nothing of the program's network.
    partner = report.build(facts_for(membership=dfps_caseworker.membership, period=period))
    partner_table = partner.table("activities.trainings")
    assert partner_table is not None and partner_table.value("training", "sessions") == 0


@pytest.mark.django_db
def test_the_dashboard_shows_the_trainings(
    coordinator: Persona, program_admin: Persona, dfps_caseworker: Persona, client_for: ClientFor
) -> None:
    training_record(
        membership=program_admin.membership,
        topic="Screening basics",
        delivered_on=timezone.localdate(),
        hours="2",
        attendance=[(dfps_caseworker.organization.pk, 7)],
    )
    html = client_for(coordinator).get("/outcomes/").content.decode()
    assert "Trainings and technical assistance" in html

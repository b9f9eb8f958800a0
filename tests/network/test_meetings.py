"""An advisory-council meeting with action items creates tasks owned by organizations; the owners see
and close them; the minutes print without inline style; youth meetings still refuse the council."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import ClientFor, Persona
from tests.factories.access import youth_with_team
from threadline.care.services.meetings import meeting_schedule
from threadline.network.models import ActionItem, ActionItemState, CouncilMemberKind, ProgramMeetingKind

pytestmark = pytest.mark.django_db


def test_an_advisory_council_meeting_gives_organizations_tasks(
    program_admin: Persona,
    dfps_caseworker: Persona,
    probation_officer: Persona,
    client_for: ClientFor,
) -> None:
    admin = client_for(program_admin)
    assert (
        admin.post(
            "/network/meetings/",
            {"form": "member", "kind": CouncilMemberKind.SURVIVOR_LEADER, "name": "Ana (survivor leader)"},
        ).status_code
        == 302
    )
    assert (
        admin.post(
            "/network/meetings/",
            {
                "form": "member",
                "kind": CouncilMemberKind.ORGANIZATION,
                "organization": dfps_caseworker.organization.pk,
            },
        ).status_code
        == 302
    )
    when = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = admin.post(
        "/network/meetings/",
        {
            "form": "schedule",
            "kind": ProgramMeetingKind.ADVISORY_COUNCIL,
            "title": "Spring council",
            "scheduled_at": when,
        },
    )
    assert response.status_code == 302
    from threadline.network.models import ProgramMeeting

    meeting = ProgramMeeting.objects.get()
    due = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    for owner, title in (
        (dfps_caseworker, "Bring the placement numbers"),
        (probation_officer, "Map rural transport"),
    ):
        response = admin.post(
            f"/network/meetings/{meeting.pk}",
            {"form": "action", "title": title, "owner_organization": owner.organization.pk, "due_on": due},
        )
        assert response.status_code == 302
    items = {i.title: i for i in ActionItem.objects.all()}
    assert items["Bring the placement numbers"].owner_organization == dfps_caseworker.organization
    assert items["Map rural transport"].owner_organization == probation_officer.organization
    assert {i.meeting_id for i in items.values()} == {meeting.pk}

    # The owners see their own tasks only, and close them.
    dfps = client_for(dfps_caseworker)
    page = dfps.get("/network/tasks/").content.decode()
    assert "Bring the placement numbers" in page and "Map rural transport" not in page
    probation_item = items["Map rural transport"]
    refused = dfps.post("/network/tasks/", {"done": probation_item.pk, "version": probation_item.version})
    assert refused.status_code == 404
    probation_item.refresh_from_db()
    assert probation_item.state == ActionItemState.OPEN
    mine = items["Bring the placement numbers"]
    done = dfps.post("/network/tasks/", {"done": mine.pk, "version": mine.version}, HTTP_HX_REQUEST="true")
    assert done.status_code == 200
    assert "<html" not in done.content.decode()  # the list alone, for HTMX
    mine.refresh_from_db()
    assert mine.state == ActionItemState.DONE
    # A partner does not read the program's meeting pages.
    assert dfps.get(f"/network/meetings/{meeting.pk}").status_code == 403


def test_minutes_print_with_their_own_stylesheet(program_admin: Persona, client_for: ClientFor) -> None:
    from threadline.network.meeting_services import program_meeting_record, program_meeting_schedule

    meeting = program_meeting_schedule(
        membership=program_admin.membership,
        kind=ProgramMeetingKind.ADVISORY_COUNCIL,
        scheduled_at=timezone.now(),
        agenda="Quarter review",
    )
    program_meeting_record(
        membership=program_admin.membership,
        meeting_id=meeting.pk,
        version=meeting.version,
        minutes="Reviewed the quarter.",
        decisions="Pilot vouchers.",
    )
    response = client_for(program_admin).get(f"/network/meetings/{meeting.pk}/minutes")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pilot vouchers." in html and "/static/network/print.css" in html
    # On a phone the action items scroll inside their own region, never the page (380 px wide at 360).
    assert '<div class="table-scroll" tabindex="0" role="region"' in html.split("<table>")[0]
    assert "style=" not in html and "<style" not in html
    assert "style-src 'self'" in response["Content-Security-Policy"]


def test_a_stale_minutes_edit_never_overwrites(program_admin: Persona, client_for: ClientFor) -> None:
    from threadline.network.meeting_services import program_meeting_record, program_meeting_schedule

    meeting = program_meeting_schedule(
        membership=program_admin.membership, kind=ProgramMeetingKind.OTHER, scheduled_at=timezone.now()
    )
    program_meeting_record(
        membership=program_admin.membership, meeting_id=meeting.pk, version=1, minutes="First"
    )
    response = client_for(program_admin).post(
        f"/network/meetings/{meeting.pk}", {"form": "minutes", "version": "1", "minutes": "Second"}
    )
    assert response.status_code == 200
    assert "Someone else saved a change first" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes == "First"


def test_youth_meetings_still_send_the_council_to_program_meetings(coordinator: Persona) -> None:
    youth = youth_with_team(coordinator.membership, [])
    with pytest.raises(ValidationError, match="Program meetings"):
        meeting_schedule(
            membership=coordinator.membership,
            youth_id=youth.pk,
            meeting_type="advisory_council",
            scheduled_at=timezone.now(),
        )

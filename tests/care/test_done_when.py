"""Issue 6, "done when", in the browser: a coordinator takes a demo youth to an active plan with tasks
for two partners, holds a meeting whose action items become tasks, records a screening with the demo
instrument, follows up a missing episode with its debrief, and closes the case with aftercare; a
partner with consent for the care plan only sees the plan and tasks but not notes or screenings."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.care.helpers import all_fine
from tests.conftest import ClientFor, Persona
from tests.factories.access import Share
from threadline.access.categories import Category
from threadline.care.instruments import DEMO_INSTRUMENT, load_file
from threadline.care.models import CarePlan, Meeting, Task
from threadline.care.services.instruments import instrument_load
from threadline.care.services.notes import case_note_autosave, case_note_save
from threadline.youth.models import Youth
from threadline.youth.services import missing_episode_close, missing_episode_open

pytestmark = pytest.mark.django_db


def test_the_whole_story(
    coordinator: Persona,
    dfps_caseworker: Persona,
    probation_officer: Persona,
    client_for: ClientFor,
    youth: Youth,
    share: Share,
) -> None:
    instrument = instrument_load(definition=load_file(DEMO_INSTRUMENT), licence_attestation="").instrument
    c = client_for(coordinator)
    base = f"/care/{youth.pk}"
    dfps, probation = dfps_caseworker.organization.pk, probation_officer.organization.pk

    for owner, title in ((dfps, "Kinship paperwork"), (probation, "Move the hearing")):
        r = c.post(f"{base}/plan", {"form": "task", "task-title": title, "task-owner": f"org:{owner}"})
        assert r.status_code == 302
    version = CarePlan.objects.get(youth=youth).version
    assert (
        c.post(
            f"{base}/plan", {"form": "state", "state-state": "active", "state-version": version}
        ).status_code
        == 302
    )
    assert CarePlan.objects.get(youth=youth).state == "active"

    when = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    r = c.post(
        f"{base}/meetings",
        {
            "form": "schedule",
            "m-meeting_type": "care_coordination",
            "m-scheduled_at": when,
            "m-invited": [dfps, probation],
        },
    )
    assert r.status_code == 302
    meeting = Meeting.objects.get()
    for owner in (dfps, probation):
        r = c.post(
            f"{base}/meetings",
            {
                "form": "action",
                "a-meeting": meeting.pk,
                "a-title": f"Action for {owner}",
                "a-owner": f"org:{owner}",
            },
        )
        assert r.status_code == 302
    assert Task.objects.filter(source="meeting").count() == 2

    answers = {f"item:{k}": v for k, v in {**all_fine(), "worried": "often", "felt_alone": "often"}.items()}
    assert c.post(f"{base}/screenings", {"instrument": instrument.pk, **answers}).status_code == 302

    episode = missing_episode_open(
        membership=coordinator.membership,
        youth_id=youth.pk,
        started_at=timezone.now() - datetime.timedelta(days=2),
    )
    missing_episode_close(
        membership=coordinator.membership,
        youth_id=youth.pk,
        episode_id=episode.pk,
        ended_at=timezone.now(),
        debrief="Safe with grandmother",
    )
    assert c.post(f"{base}/meetings", {"form": "roundtable", "episode": episode.pk}).status_code == 302
    assert Task.objects.filter(source="missing").count() == 1  # the debrief was already done

    draft = case_note_autosave(
        membership=coordinator.membership,
        youth_id=youth.pk,
        narrative="Private note text",
        contact_type="phone",
    )
    case_note_save(membership=coordinator.membership, youth_id=youth.pk, note_id=draft.pk, version=1)

    share(youth, dfps_caseworker, [Category.CARE_PLAN])
    p = client_for(dfps_caseworker)
    plan_html = p.get(f"{base}/plan").content.decode()
    assert "Kinship paperwork" in plan_html and "Move the hearing" in plan_html
    assert p.get(f"{base}/notes").status_code == 404
    assert p.get(f"{base}/screenings").status_code == 404

    r = c.post(f"{base}/closure", {"reason": "goals_met", "aftercare": "Mentor check-ins monthly"})
    assert r.status_code == 302
    youth.refresh_from_db()
    assert youth.status == "closed" and CarePlan.objects.get(youth=youth).state == "closed"

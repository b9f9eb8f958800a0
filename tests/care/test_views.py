"""The care pages in the browser: a coordinator builds the plan, screens, writes notes, closes and
re-opens; a partner with care-plan consent sees the plan and tasks but not notes or screenings;
anyone else gets the same 404 as for a youth that does not exist."""

from __future__ import annotations

import uuid

import pytest

from tests.care.helpers import all_fine
from tests.conftest import ClientFor, Persona
from tests.factories.access import Share
from threadline.access.categories import Category
from threadline.care.instruments import DEMO_INSTRUMENT, load_file
from threadline.care.models import CaseNote, PlanGoal, ScreeningResult, Task
from threadline.care.services.instruments import instrument_load
from threadline.care.services.notes import case_note_autosave, case_note_save
from threadline.care.services.tasks import task_add
from threadline.youth.models import Youth

pytestmark = pytest.mark.django_db


def url(youth: Youth, page: str) -> str:
    return f"/care/{youth.pk}/{page}"


def test_coordinator_builds_the_plan_in_the_browser(
    coordinator: Persona, dfps_caseworker: Persona, client_for: ClientFor, youth: Youth
) -> None:
    client = client_for(coordinator)
    assert client.get(url(youth, "plan")).status_code == 200
    response = client.post(
        url(youth, "plan"),
        {"form": "goal", "goal-domain": "education", "goal-in_their_words": "Get my diploma"},
    )
    assert response.status_code == 302
    response = client.post(
        url(youth, "plan"),
        {
            "form": "task",
            "task-title": "Enrol in GED class",
            "task-owner": f"org:{dfps_caseworker.organization.pk}",
            "task-due_on": "2026-12-01",
        },
    )
    assert response.status_code == 302
    html = client.get(url(youth, "plan")).content.decode()
    assert "Get my diploma" in html and "Enrol in GED class" in html
    task = Task.objects.get()
    response = client.post(f"/care/{youth.pk}/tasks/{task.pk}", {"state": "done", "version": 1})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.state == "done"
    stale = client.post(f"/care/{youth.pk}/tasks/{task.pk}", {"state": "open", "version": 1}, follow=True)
    assert "Someone else saved a change first" in stale.content.decode()
    task.refresh_from_db()
    assert task.state == "done"


def test_bad_input_keeps_what_was_typed(coordinator: Persona, client_for: ClientFor, youth: Youth) -> None:
    client = client_for(coordinator)
    response = client.post(
        url(youth, "plan"), {"form": "task", "task-title": "Call the school", "task-owner": "x"}
    )
    assert response.status_code == 400
    assert 'value="Call the school"' in response.content.decode()
    response = client.post(url(youth, "plan"), {"form": "goal", "goal-domain": "nonsense"})
    assert response.status_code == 400
    assert not Task.objects.exists() and not PlanGoal.objects.exists()
    garbage = client.post(f"/care/{youth.pk}/tasks/not-a-uuid", {"state": "done", "version": "x"})
    assert garbage.status_code in (302, 404)


def test_partner_with_care_plan_consent_sees_plan_and_tasks_only(
    coordinator: Persona, dfps_caseworker: Persona, client_for: ClientFor, youth: Youth, share: Share
) -> None:
    task_add(
        membership=coordinator.membership,
        youth_id=youth.pk,
        title="Bring documents to court",
        owner_organization_id=dfps_caseworker.organization.pk,
    )
    draft = case_note_autosave(
        membership=coordinator.membership, youth_id=youth.pk, narrative="Private words", contact_type="phone"
    )
    case_note_save(membership=coordinator.membership, youth_id=youth.pk, note_id=draft.pk, version=1)
    client = client_for(dfps_caseworker)
    assert client.get(url(youth, "plan")).status_code == 404
    share(youth, dfps_caseworker, [Category.CARE_PLAN])
    html = client.get(url(youth, "plan")).content.decode()
    assert "Bring documents to court" in html
    for page in ("notes", "screenings", "closure"):
        response = client.get(url(youth, page))
        assert response.status_code == 404, page
        assert "Private words" not in response.content.decode()
    assert "Bring documents to court" in client.get("/care/").content.decode()


def test_strangers_get_the_same_404_as_for_nobody(
    probation_officer: Persona, auditor: Persona, client_for: ClientFor, youth: Youth
) -> None:
    for persona in (probation_officer, auditor):
        client = client_for(persona)
        for page in ("plan", "notes", "screenings", "closure"):
            real = client.get(url(youth, page))
            fake = client.get(f"/care/{uuid.uuid4()}/{page}")
            junk = client.get(f"/care/junk/{page}")
            assert real.status_code == fake.status_code == junk.status_code
            assert real.status_code in (403, 404)
            assert youth.reference not in real.content.decode()


def test_screening_with_the_demo_instrument(
    coordinator: Persona, client_for: ClientFor, youth: Youth
) -> None:
    instrument = instrument_load(definition=load_file(DEMO_INSTRUMENT), licence_attestation="").instrument
    client = client_for(coordinator)
    form = client.get(url(youth, "screenings"), {"instrument": instrument.pk}).content.decode()
    assert "I have a place to stay tonight where I feel safe." in form
    answers = {f"item:{k}": v for k, v in {**all_fine(), "safe_tonight": "no"}.items()}
    response = client.post(url(youth, "screenings"), {"instrument": instrument.pk, **answers})
    assert response.status_code == 302
    assert ScreeningResult.objects.get().band == "clear_concern"
    assert "Clear concern" in client.get(url(youth, "screenings")).content.decode()
    bad = client.post(url(youth, "screenings"), {"instrument": instrument.pk, "item:worried": "always"})
    assert bad.status_code == 400 and "not an answer" in bad.content.decode()
    assert ScreeningResult.objects.count() == 1


def test_screening_form_in_spanish(coordinator: Persona, client_for: ClientFor, youth: Youth) -> None:
    instrument = instrument_load(definition=load_file(DEMO_INSTRUMENT), licence_attestation="").instrument
    coordinator.user.preferred_language = "es"
    coordinator.user.save(update_fields=["preferred_language"])
    html = (
        client_for(coordinator).get(url(youth, "screenings"), {"instrument": instrument.pk}).content.decode()
    )
    assert "Tengo un lugar donde quedarme esta noche" in html


def test_note_autosaves_over_htmx_then_saves(
    coordinator: Persona, client_for: ClientFor, youth: Youth
) -> None:
    client = client_for(coordinator)
    first = client.post(
        url(youth, "notes"), {"action": "autosave", "narrative": "Met at the park"}, HTTP_HX_REQUEST="true"
    )
    assert first.status_code == 200
    note = CaseNote.objects.get()
    body = first.content.decode()
    assert f'name="note_id" value="{note.pk}"' in body and "<html" not in body
    second = client.post(
        url(youth, "notes"),
        {
            "action": "autosave",
            "narrative": "Met at the park; talked about school",
            "note_id": note.pk,
            "version": 1,
        },
        HTTP_HX_REQUEST="true",
    )
    assert second.status_code == 200 and 'name="version" value="2"' in second.content.decode()
    stale = client.post(
        url(youth, "notes"),
        {"action": "autosave", "narrative": "old tab", "note_id": note.pk, "version": 1},
        HTTP_HX_REQUEST="true",
    )
    assert stale.status_code == 409
    saved = client.post(
        url(youth, "notes"),
        {
            "action": "save",
            "contact_type": "in_person",
            "narrative": "Met at the park; talked about school",
            "note_id": note.pk,
            "version": 2,
        },
    )
    assert saved.status_code == 302
    note.refresh_from_db()
    assert note.state == "final"
    assert "talked about school" in client.get(url(youth, "notes")).content.decode()


def test_close_and_reopen_in_the_browser(coordinator: Persona, client_for: ClientFor, youth: Youth) -> None:
    client = client_for(coordinator)
    assert client.post(url(youth, "closure"), {"reason": "nope"}).status_code == 400
    response = client.post(url(youth, "closure"), {"reason": "goals_met", "aftercare": "Check in monthly"})
    assert response.status_code == 302
    assert "Check in monthly" in client.get(url(youth, "closure")).content.decode()
    assert client.post(url(youth, "closure"), {"action": "reopen"}).status_code == 302
    youth.refresh_from_db()
    assert youth.status == "open"


def test_my_work_page(coordinator: Persona, client_for: ClientFor, youth: Youth) -> None:
    task_add(
        membership=coordinator.membership,
        youth_id=youth.pk,
        title="Call back about housing",
        owner_person_id=coordinator.user.pk,
    )
    html = client_for(coordinator).get("/care/").content.decode()
    assert "Call back about housing" in html and youth.reference in html
    assert "Marisol" not in html  # lists show the reference code, never a name

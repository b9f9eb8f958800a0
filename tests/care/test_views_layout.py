"""Issue 16, part 6, with the test client: an add on the long plan page comes back at its own section,
and a case-note draft comes back on reload of the notes page (the browser journeys check the same)."""

from __future__ import annotations

import pytest

from tests.conftest import ClientFor, Persona
from threadline.care.models import CaseNote, Task
from threadline.care.services.notes import case_note_autosave
from threadline.youth.models import Youth

pytestmark = pytest.mark.django_db


def test_an_add_on_the_plan_returns_to_its_section(
    coordinator: Persona, dfps_caseworker: Persona, client_for: ClientFor, youth: Youth
) -> None:
    client = client_for(coordinator)
    before = set(Task.objects.values_list("pk", flat=True))
    response = client.post(
        f"/care/{youth.pk}/plan",
        {
            "form": "task",
            "task-title": "Call the school",
            "task-owner": f"org:{dfps_caseworker.organization.pk}",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/care/{youth.pk}/plan#tasks-h"
    task = Task.objects.exclude(pk__in=before).get()
    assert task.title == "Call the school"
    response = client.post(
        f"/care/{youth.pk}/tasks/{task.pk}", {"state": "in_progress", "version": task.version}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/care/{youth.pk}/plan#tasks-h"
    page = client.get(f"/care/{youth.pk}/plan").content.decode()
    assert 'id="tasks-h"' in page
    # The "Task updated." message: a list inside the live region, not a list that is itself the region.
    assert '<div role="status"><ul class="messages">' in page
    assert '<ul class="messages" role="status">' not in page


def test_a_case_note_draft_comes_back_on_reload(
    coordinator: Persona, client_for: ClientFor, youth: Youth
) -> None:
    draft = case_note_autosave(
        membership=coordinator.membership, youth_id=youth.pk, narrative="Talked about the move"
    )
    client = client_for(coordinator)
    page = client.get(f"/care/{youth.pk}/notes")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Talked about the move</textarea>" in html
    assert f'name="note_id" value="{draft.pk}"' in html
    assert "Your draft was brought back." in html
    blank = client.get(f"/care/{youth.pk}/notes?new=1").content.decode()
    assert "Talked about the move</textarea>" not in blank
    assert CaseNote.objects.get(pk=draft.pk).state == "draft"  # reading changed nothing

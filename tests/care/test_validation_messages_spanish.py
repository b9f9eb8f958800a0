"""House rule 4: a service's validation message reaches a Spanish-speaking person in Spanish, through
the API's one error contract (422 with field paths). A signed-in person's language is the one stored on
their account (``UserLanguageMiddleware``), so that is what these tests set."""

from __future__ import annotations

import pytest

from tests.conftest import ClientFor, Persona
from threadline.care.models import Task
from threadline.youth.models import Youth

pytestmark = pytest.mark.django_db


def test_a_task_without_an_owner_is_refused_in_the_persons_language(
    coordinator: Persona, client_for: ClientFor, youth: Youth
) -> None:
    coordinator.speaks("es")
    client = client_for(coordinator)
    refused = client.post(
        f"/api/v1/care/{youth.pk}/tasks", {"title": "Llamar a la escuela"}, content_type="application/json"
    )
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {
            "loc": ["body", "owner"],
            "msg": "Elija quién se encarga de esta tarea: una persona, una organización aliada o ambas.",
            "type": "value_error",
        }
    ]
    assert not Task.objects.exists()

    # The same person back in English gets the English text.
    coordinator.speaks("en")
    english = client.post(
        f"/api/v1/care/{youth.pk}/tasks", {"title": "Call the school"}, content_type="application/json"
    )
    assert english.json()["errors"][0]["msg"] == "Choose who owns this task: a person, a partner, or both."
    assert not Task.objects.exists()


def test_an_impossible_date_of_birth_is_refused_in_spanish(
    coordinator: Persona, client_for: ClientFor, youth: Youth
) -> None:
    """The message comes from an errors dict the service fills field by field."""
    coordinator.speaks("es")
    youth.refresh_from_db()
    before = (youth.version, youth.date_of_birth)
    refused = client_for(coordinator).patch(
        f"/api/v1/youth/{youth.pk}",
        {"version": youth.version, "date_of_birth": "1985-01-01"},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {
            "loc": ["body", "date_of_birth"],
            "msg": "Esa fecha de nacimiento no es posible.",
            "type": "value_error",
        }
    ]
    youth.refresh_from_db()
    assert (youth.version, youth.date_of_birth) == before

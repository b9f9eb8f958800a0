"""In Spanish a task is "Abierta" and the youth's record "Abierto" (docs/spanish-glossary.md): the record's
status asks for "Open" in the context "record status", so the merged catalogs cannot give both one form;
a list of open referrals is "Abiertas"."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ClientFor, Persona
from threadline.care.services.tasks import task_add
from threadline.youth.models import Youth

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_spanish(coordinator: Persona) -> Persona:
    coordinator.speaks("es")
    return coordinator


def test_a_task_is_abierta_and_the_record_abierto(
    in_spanish: Persona, client_for: ClientFor, youth: Youth
) -> None:
    task_add(
        membership=in_spanish.membership,
        youth_id=youth.pk,
        title="Llamar sobre la vivienda",
        owner_person_id=in_spanish.user.pk,
    )
    client = client_for(in_spanish)
    plan = client.get(f"/care/{youth.pk}/plan").content.decode()
    assert re.findall(r'<option value="open" selected>([^<]*)</option>', plan) == ["Abierta"]
    record = client.get(f"/youth/{youth.pk}/").content.decode()
    # The record's head: "Y-… · edad 15 · Abierto".
    assert re.findall(rf'<p class="muted">{youth.reference}[^<]* · (\w+)</p>', record) == ["Abierto"]
    assert "Abierta" not in record


@pytest.mark.parametrize(
    ("path", "pattern"),
    [
        ("/referrals/", r'<h2 id="open-h">([^<]*)</h2>'),
        ("/intake/referrals/", r'<a href="\?status=open"[^>]*>([^<]*)</a>'),
    ],
)
def test_a_list_of_open_referrals_is_abiertas(
    in_spanish: Persona, client_for: ClientFor, path: str, pattern: str
) -> None:
    page = client_for(in_spanish).get(path)
    assert page.status_code == 200
    assert re.findall(pattern, page.content.decode()) == ["Abiertas"]

"""Program admins load instruments in the browser; a malformed file is refused with every problem and
nothing is stored; caseworkers cannot reach the page."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.care.helpers import demo_data
from tests.conftest import ClientFor, Persona
from threadline.care.instruments import DEMO_INSTRUMENT
from threadline.care.models import Instrument

pytestmark = pytest.mark.django_db


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_program_admin_loads_the_demo_and_a_licensed_instrument(
    program_admin: Persona, client_for: ClientFor
) -> None:
    client = client_for(program_admin)
    assert client.get("/care/instruments").status_code == 200
    response = client.post(
        "/care/instruments", {"file": upload("demo.yaml", DEMO_INSTRUMENT.read_bytes()), "activate": "on"}
    )
    assert response.status_code == 302
    licensed = json.dumps({**demo_data(), "id": "sage-county-check", "demo": False}).encode()
    refused = client.post("/care/instruments", {"file": upload("sage.json", licensed)})
    assert refused.status_code == 400 and "licensed to use" in refused.content.decode()
    ok = client.post(
        "/care/instruments",
        {
            "file": upload("sage.json", licensed),
            "licence_attestation": "Fictional licence 7",
            "activate": "on",
        },
    )
    assert ok.status_code == 302
    assert set(Instrument.objects.values_list("slug", "loaded_by")) == {
        ("demo-wellbeing", program_admin.user.pk),
        ("sage-county-check", program_admin.user.pk),
    }


def test_a_malformed_upload_shows_every_problem_and_stores_nothing(
    program_admin: Persona, client_for: ClientFor
) -> None:
    data = demo_data()
    data["bands"][1]["min"] = 6
    data["sections"][0]["items"][0]["colour"] = "red"
    client = client_for(program_admin)
    response = client.post("/care/instruments", {"file": upload("bad.json", json.dumps(data).encode())})
    html = response.content.decode()
    assert response.status_code == 400
    assert "sections[0].items[0]: unknown key &#x27;colour&#x27;" in html
    for name, content in (("x.txt", b"id: x"), ("x.yaml", b"\xff\xfe"), ("x.yaml", b"id: [unclosed")):
        assert client.post("/care/instruments", {"file": upload(name, content)}).status_code == 400
    assert not Instrument.objects.exists()


def test_caseworkers_cannot_load_instruments(coordinator: Persona, client_for: ClientFor) -> None:
    client = client_for(coordinator)
    assert client.get("/care/instruments").status_code == 403
    response = client.post("/care/instruments", {"file": upload("demo.yaml", DEMO_INSTRUMENT.read_bytes())})
    assert response.status_code == 403
    assert not Instrument.objects.exists()

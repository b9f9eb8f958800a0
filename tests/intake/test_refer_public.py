"""The public referral page /refer/: no login, quick exit, no third-party scripts, proof-of-work and
rate limits, a confirmation that reveals nothing, and an alert to the on-call advocate."""

from __future__ import annotations

import base64
import html as html_lib
import json
import re
from collections.abc import Iterator

import pytest
from altcha import v1 as altcha
from django.core.cache import cache
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from threadline.intake.models import Alert, Program, Referral, Region, Shift

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_cache(settings: Settings) -> Iterator[None]:
    settings.INTAKE_POW_MAX_NUMBER = 2000  # quick to solve in tests
    cache.clear()
    yield
    cache.clear()


def solve(html: str) -> str:
    """What the page's script does: find the number, return the ALTCHA payload."""
    raw = re.search(r'data-pow="([^"]+)"', html)
    assert raw is not None
    challenge = json.loads(html_lib.unescape(raw.group(1)))
    solution = altcha.solve_challenge(
        challenge["challenge"], challenge["salt"], challenge["algorithm"], challenge["maxnumber"]
    )
    assert solution is not None
    payload = {k: challenge[k] for k in ("algorithm", "challenge", "salt", "signature")}
    payload["number"] = solution.number
    return base64.b64encode(json.dumps(payload).encode()).decode()


def form(client: Client, **fields: object) -> dict[str, object]:
    html = client.get("/refer/").content.decode()
    data: dict[str, object] = {
        "what_is_known": "A friend of my daughter is being picked up late at night by an older man.",
        "concern": "clear_concern",
        "altcha": solve(html),
    }
    data.update(fields)
    return data


def test_page_is_public_with_quick_exit_and_only_our_own_scripts() -> None:
    response = Client().get("/refer/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-quick-exit" in html
    assert "Immigration status does not matter" in html
    assert "Police do not need to be involved" in html
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts
    for tag in scripts:
        src = re.search(r'src="([^"]+)"', tag)
        assert src is not None, f"inline script: {tag}"
        assert src.group(1).startswith("/static/"), tag  # nothing from another origin
    assert not re.search(r'(href|src)="https?://(?!www\.weather\.gov)', html)  # only the quick exit leaves
    assert "no-store" in response["Cache-Control"]


def test_spanish_page() -> None:
    client = Client()
    client.post("/i18n/language", {"language": "es", "next": "/refer/"})
    html = client.get("/refer/").content.decode()
    assert '<html lang="es">' in html
    assert "El estatus migratorio no importa" in html


def test_anonymous_referral_lands_in_the_queue_and_alerts_on_call(
    region: Region,
    rota: Shift,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    sms_outbox: list[dict[str, str]],
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from threadline.intake.models import Shift

    now = timezone.now()
    Shift.objects.filter(pk=rota.pk).update(
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1)
    )
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/refer/", form(client, youth_name="Marisol", county="Kerr", age="16", urgent="on")
        )
    assert response.status_code == 302
    assert response["Location"] == "/refer/thanks/"
    html = client.get("/refer/thanks/").content.decode()
    assert "Thank you" in html
    assert "Marisol" not in html and "Kerr" not in html  # the answer reveals nothing
    referral = Referral.objects.get()
    assert (referral.channel, referral.urgent, referral.age, referral.county) == (
        "web_form",
        True,
        16,
        "Kerr",
    )
    assert referral.youth_name == "Marisol"
    assert referral.decision is not None and referral.decision.outcome == "eligible"
    alert = Alert.objects.get()
    assert (alert.object_type, alert.object_id, alert.assigned_to) == (
        "referral",
        str(referral.pk),
        rota.primary,
    )
    assert [m["body"] for m in sms_outbox] == ["New urgent referral. Open Threadline."]


def test_identifying_words_are_encrypted_at_rest(region: Region) -> None:
    from django.db import connection

    client = Client()
    client.post("/refer/", form(client, youth_name="Marisol", referrer_contact="tia.lupe@example.test"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT youth_name, what_is_known, referrer_contact FROM intake_referral")
        row = cursor.fetchone()
    blob = b"".join(bytes(value) for value in row)
    assert b"Marisol" not in blob and b"tia.lupe" not in blob and b"daughter" not in blob


def test_confirmation_is_the_same_whoever_the_youth_is(region: Region) -> None:
    client = Client()
    first = client.post("/refer/", form(client, youth_name="Marisol")).content.decode()
    second = client.post("/refer/", form(client, youth_name="Marisol")).content.decode()
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|nonce="[^"]+"|"X-CSRFToken": "[^"]+"')
    assert strip.sub("", first) == strip.sub("", second)


def test_without_proof_of_work_nothing_is_saved_and_nothing_typed_is_lost(region: Region) -> None:
    client = Client()
    data = form(client, altcha="")
    response = client.post("/refer/", data)
    assert response.status_code == 400
    assert "small safety check" in response.content.decode()
    assert "picked up late at night" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_solution_works_only_once(region: Region) -> None:
    client = Client()
    data = form(client)
    assert client.post("/refer/", data).status_code == 302
    assert client.post("/refer/", data).status_code == 400
    assert Referral.objects.count() == 1


def test_garbage_is_refused_cleanly(region: Region) -> None:
    client = Client()
    for bad in ("not base64 at all", base64.b64encode(b"{}").decode(), "x" * 5000):
        assert client.post("/refer/", form(client, altcha=bad)).status_code == 400
    response = client.post("/refer/", form(client, what_is_known="", age="old"))
    assert response.status_code == 422
    assert not Referral.objects.exists()


def test_rate_limit(region: Region, settings: Settings) -> None:
    settings.INTAKE_REFER_PER_HOUR = 2
    client = Client()
    assert client.post("/refer/", form(client)).status_code == 302
    assert client.post("/refer/", form(client)).status_code == 302
    response = client.post("/refer/", form(client))
    assert response.status_code == 429
    assert Referral.objects.count() == 2


def test_thank_you_page_after_redirect_shows_reference_and_next_steps_and_survives_refresh(
    region: Region, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/refer/", form(client, urgency="immediate_danger", county="Kerr"))
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.urgency == "immediate_danger"
    for _ in range(2):  # a refresh shows the same page, sends nothing, refills nothing
        page = client.get("/refer/thanks/")
        assert page.status_code == 200
        html = page.content.decode()
        assert referral.reference in html
        assert "What happens next" in html
        assert "call 911" in html
        assert "Kerr" not in html
    assert Referral.objects.count() == 1


def test_the_hotline_number_is_on_the_page_and_sure_choices_are_plain() -> None:
    Program.objects.get(slug="demo-five-county")
    html = Client().get("/refer/").content.decode()
    assert html.count("tel:") >= 2  # in the page itself, not only for browsers without JavaScript
    assert "I have a feeling something is wrong" in html
    assert "in danger right now" in html

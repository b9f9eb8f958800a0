"""The referral's likely matches and the link over the API: the same selector and service as the
referral page, the same refusals (403 for a role without intake, 404 alike for missing and hidden)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.conftest import Persona
from tests.intake.test_referral_matches import marisol, submit, yesenia  # noqa: F401
from threadline.accounts.services import api_token_issue
from threadline.audit.models import AccessEvent
from threadline.intake.models import Program, Referral
from threadline.youth.models import TimelineEntry, Youth

pytestmark = pytest.mark.django_db
MISSING = "00000000-0000-0000-0000-000000000000"


def call(persona: Persona, method: str, path: str, body: object = None) -> tuple[int, dict[str, Any]]:
    token = api_token_issue(membership=persona.membership, name="test").raw
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    url = f"/api/v1/intake/referrals/{path}"
    if method == "GET":
        response = client.get(url)
    else:
        raw = body if isinstance(body, str) else json.dumps(body)
        response = client.post(url, raw, content_type="application/json")
    return response.status_code, response.json()


def test_matches_then_link(program: Program, coordinator: Persona, yesenia: Youth, marisol: Youth) -> None:  # noqa: F811
    referral = submit(program, youth_name="Llesenia", youth_phone="210 555 0144")
    status, body = call(coordinator, "GET", f"{referral.pk}/matches")
    assert status == 200
    [match] = body["matches"]
    assert match["youth_id"] == str(yesenia.pk) and match["reference"] == yesenia.reference
    assert match["display_name"] == "Yesenia" and match["may_link"] is True
    assert match["matched_on"] == ["same phone +12.6", "first name spelled or sounding alike +3.5"]
    assert match["band"] == "same" and match["probability"] > 0.99
    status, body = call(coordinator, "POST", f"{referral.pk}/link", {"youth_id": str(yesenia.pk)})
    assert (status, body["youth_id"], body["status"]) == (200, str(yesenia.pk), "under_review")
    assert TimelineEntry.objects.filter(youth=yesenia, kind="referral_linked").count() == 1
    status, body = call(coordinator, "POST", f"{referral.pk}/link", {"youth_id": str(marisol.pk)})
    assert status == 409
    status, body = call(coordinator, "GET", f"{referral.pk}/matches")
    assert (body["linked_youth_id"], body["matches"]) == (str(yesenia.pk), [])


def test_refusals_leak_nothing_and_change_nothing(
    program: Program,
    dfps_caseworker: Persona,
    advocate: Persona,
    yesenia: Youth,  # noqa: F811
) -> None:
    referral = submit(program, youth_name="Yesenia")
    tokens_and_reads = AccessEvent.objects.exclude(object_type="api_token")
    for path in (f"{referral.pk}/matches", f"{MISSING}/matches"):
        status, body = call(dfps_caseworker, "GET", path)
        assert status == 403 and "Yesenia" not in json.dumps(body)
    status, _body = call(dfps_caseworker, "POST", f"{referral.pk}/link", {"youth_id": str(yesenia.pk)})
    assert status == 403
    # Tomas takes referrals but is not on Yesenia's team: her record answers like a missing one.
    before = tokens_and_reads.count()
    hidden = call(advocate, "POST", f"{referral.pk}/link", {"youth_id": str(yesenia.pk)})
    missing = call(advocate, "POST", f"{referral.pk}/link", {"youth_id": MISSING})
    no_referral = call(advocate, "POST", f"{MISSING}/link", {"youth_id": str(yesenia.pk)})
    assert hidden == missing == no_referral == (404, {"detail": "Not found."})
    assert tokens_and_reads.count() == before
    referral.refresh_from_db()
    assert referral.youth_id is None and referral.status == Referral.Status.RECEIVED
    assert not TimelineEntry.objects.filter(kind="referral_linked").exists()


def test_malformed_bodies_are_422(program: Program, coordinator: Persona) -> None:
    referral = submit(program, youth_name="Yesenia")
    for body in ({"youth": "x"}, {"youth_id": ""}, [1, 2]):
        status, _ = call(coordinator, "POST", f"{referral.pk}/link", body)
        assert status == 422, body
    # A body that is not JSON at all, or JSON nested too deep to read, is a 400 (never a 500).
    for raw in ("{not json", "[" * 100_000 + "]" * 100_000, '{"youth_id": ' * 50_000 + "1" + "}" * 50_000):
        status, answer = call(coordinator, "POST", f"{referral.pk}/link", raw)
        assert (status, answer["detail"]) == (400, "The body could not be read."), raw[:20]
    status, _ = call(coordinator, "POST", f"{referral.pk}/link", {"youth_id": "not-a-uuid"})
    assert status == 404

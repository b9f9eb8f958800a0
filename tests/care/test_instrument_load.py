"""Loading instruments: the command validates, stores a version once, refuses changed content under
the same version, needs a licence attestation for anything but our demo, and records who loaded it."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import override_settings

from tests.care.helpers import demo_data
from tests.conftest import Persona
from threadline.audit.models import AccessEvent
from threadline.care import selectors
from threadline.care.instruments import DEMO_INSTRUMENT, score
from threadline.care.models import Instrument
from threadline.care.services.instruments import instrument_load

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("instrument_load", *args, stdout=out)
    return out.getvalue()


def licensed_tool(tmp_path: Path, **changes: Any) -> Path:
    """A fictional agency instrument: the demo's structure under another name, not marked demo."""
    data = {**demo_data(), "id": "juniper-intake-check", "demo": False, **changes}
    data["title"] = {"en": "Juniper intake check (fictional)"}
    path = tmp_path / f"juniper-{data['version']}.json"
    path.write_text(json.dumps(data))
    return path


def test_loading_the_demo_instrument(program_admin: Persona) -> None:
    output = run(str(DEMO_INSTRUMENT), "--by", program_admin.user.email)
    assert "loaded demo-wellbeing 1.0 (active)" in output
    instrument = Instrument.objects.get()
    assert (instrument.slug, instrument.version, instrument.is_demo, instrument.is_active) == (
        "demo-wellbeing",
        "1.0",
        True,
        True,
    )
    assert instrument.title.startswith("Demo wellbeing check")
    assert instrument.loaded_by == program_admin.user
    assert "Demo instrument" in instrument.licence_attestation
    event = AccessEvent.objects.get(object_type="instrument")
    assert (event.action, event.actor_id, event.object_id) == (
        "load",
        program_admin.user.pk,
        str(instrument.pk),
    )
    # What was stored scores the same way as the file.
    definition = selectors.instrument_definition(instrument=instrument)
    assert score(definition, {"safe_tonight": "no"}).band == "clear_concern"


def test_loading_the_same_file_again_changes_nothing() -> None:
    run(str(DEMO_INSTRUMENT))
    output = run(str(DEMO_INSTRUMENT))
    assert "already loaded with the same content; nothing changed" in output
    assert Instrument.objects.count() == 1
    assert AccessEvent.objects.filter(object_type="instrument").count() == 1


def test_changed_content_under_the_same_version_is_refused(tmp_path: Path) -> None:
    run(str(licensed_tool(tmp_path)), "--licence-attestation", "Fictional licence 42, valid to 2030")
    before = Instrument.objects.get()
    changed = demo_data()
    changed["bands"][1]["actions"][0]["due_in_days"] = 14
    path = tmp_path / "changed.json"
    path.write_text(json.dumps({**changed, "id": "juniper-intake-check", "demo": False}))
    with pytest.raises(CommandError, match="already loaded with different content"):
        run(str(path), "--licence-attestation", "Fictional licence 42, valid to 2030")
    after = Instrument.objects.get()
    assert after.content_hash == before.content_hash
    assert after.definition == before.definition


def test_a_new_version_becomes_the_active_one_and_the_old_stays_for_its_results(tmp_path: Path) -> None:
    attest = ("--licence-attestation", "Fictional licence 42")
    run(str(licensed_tool(tmp_path, version="1.0")), *attest)
    run(str(licensed_tool(tmp_path, version="1.1")), *attest)
    versions = {i.version: i.is_active for i in Instrument.objects.filter(slug="juniper-intake-check")}
    assert versions == {"1.0": False, "1.1": True}
    assert [i.version for i in selectors.instruments_active()] == ["1.1"]


def test_inactive_load_leaves_the_current_version_offered(tmp_path: Path) -> None:
    attest = ("--licence-attestation", "Fictional licence 42")
    run(str(licensed_tool(tmp_path, version="1.0")), *attest)
    output = run(str(licensed_tool(tmp_path, version="2.0")), *attest, "--inactive")
    assert "(inactive)" in output
    assert [i.version for i in selectors.instruments_active()] == ["1.0"]


def test_an_instrument_that_is_not_our_demo_needs_a_licence_attestation(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="only instruments your agency is licensed to use"):
        run(str(licensed_tool(tmp_path)))
    with pytest.raises(ValidationError):
        instrument_load(definition={**demo_data(), "demo": False}, licence_attestation="   ", loaded_by=None)
    assert not Instrument.objects.exists()
    run(str(licensed_tool(tmp_path)), "--licence-attestation", "Fictional licence 42, valid to 2030")
    assert Instrument.objects.get().licence_attestation == "Fictional licence 42, valid to 2030"


def test_a_malformed_file_is_refused_with_every_problem_and_nothing_is_stored(tmp_path: Path) -> None:
    data = demo_data()
    data["bands"][1]["min"] = 5
    data["sections"][0]["items"][0]["scale"] = "nope"
    data["bands"][0]["actions"][0]["kind"] = "send_sms"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError) as caught:
        run(str(path))
    message = str(caught.value)
    assert "1 problem in instrument" in message
    assert "bands[0].actions[0].kind: 'send_sms' is not allowed here" in message
    # Structure first: the meaning checks run once the structure is right.
    data["bands"][0]["actions"][0]["kind"] = "schedule_rescreen"
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError) as caught:
        run(str(path))
    message = str(caught.value)
    assert "sections[0].items[0].scale: there is no scale named 'nope'" in message
    assert not Instrument.objects.exists()
    assert not AccessEvent.objects.filter(object_type="instrument").exists()


def test_check_only_validates(tmp_path: Path) -> None:
    assert "demo-wellbeing 1.0: valid" in run(str(DEMO_INSTRUMENT), "--check")
    assert not Instrument.objects.exists()


def test_unknown_loader_is_refused() -> None:
    with pytest.raises(CommandError, match="no person with the e-mail"):
        run(str(DEMO_INSTRUMENT), "--by", "nobody@nowhere.test")
    assert not Instrument.objects.exists()


@override_settings(DEMO_MODE=True)  # demo data is only ever loaded in demo mode (load_demo refuses otherwise)
def test_demo_loader_is_idempotent() -> None:
    from threadline.accounts import demo as accounts_demo
    from threadline.care import demo
    from threadline.care.models import CarePlan, Task
    from threadline.youth import demo as youth_demo

    lines: list[str] = []
    demo.load(lines.append)  # no demo people or youths yet: loads the instrument only
    accounts_demo.load(lines.append)
    youth_demo.load(lines.append)
    demo.load(lines.append)
    demo.load(lines.append)
    care_lines = [line for line in lines if "demo" in line and ("instrument" in line or "care plan" in line)]
    assert care_lines == [
        "demo screening instrument demo-wellbeing 1.0 (loaded)",
        "demo screening instrument demo-wellbeing 1.0 (already there)",
        "demo care plan for Y-DEMCAA",
        "demo screening instrument demo-wellbeing 1.0 (already there)",
        "demo care plan already present",
    ]
    plan = CarePlan.objects.get(youth__reference="Y-DEMCAA")
    assert plan.state == "active"
    owners = set(Task.objects.filter(plan=plan).values_list("owner_organization__name", flat=True))
    assert {"Bluebonnet DFPS Regional Office", "Limestone County Juvenile Probation"} <= owners

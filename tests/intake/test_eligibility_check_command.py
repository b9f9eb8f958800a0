"""``manage.py eligibility_check``: JSON for operators and scripts, on a freshly migrated database."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def run(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("eligibility_check", *args, stdout=out)
    return json.loads(out.getvalue())


def test_eligible_with_rule_version_and_reason() -> None:
    body = run("--program", "demo-five-county", "--county", "Bexar", "--age", "17")
    assert body["decision"] == "eligible"
    assert body["rule_version"] == 1
    assert "Bexar County" in body["reason"]


def test_not_eligible_offers_refer_out() -> None:
    body = run("--program", "demo-five-county", "--county", "Harris", "--age", "17")
    assert body["decision"] == "not_eligible"
    assert body["next_steps"]["refer_out"] is True
    assert body["next_steps"]["agencies"]


def test_age_unknown_needs_review() -> None:
    assert run("--program", "demo-central-texas", "--county", "McLennan")["decision"] == "needs_review"


def test_connection_and_extension_flags() -> None:
    args = ["--program", "demo-five-county", "--county", "Bexar", "--age", "20"]
    assert run(*args)["decision"] == "needs_review"
    assert run(*args, "--entered-before-18")["decision"] == "eligible"
    assert run(*args, "--not-entered-before-18")["decision"] == "not_eligible"
    victim = run(
        "--program", "demo-five-county", "--county", "Kerr", "--age", "19", "--connection", "victimized_in"
    )
    assert victim["decision"] == "eligible"
    assert victim["connection"] == "victimized_in"


def test_bad_input_is_a_clear_command_error() -> None:
    with pytest.raises(CommandError, match="no program"):
        run("--program", "nope", "--county", "Bexar", "--age", "3")
    with pytest.raises(CommandError, match="age"):
        run("--program", "demo-five-county", "--county", "Bexar", "--age", "-4")
    with pytest.raises(CommandError):
        run("--program", "demo-five-county", "--county", "Bexar", "--connection", "nearby")

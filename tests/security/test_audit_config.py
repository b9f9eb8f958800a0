"""The reviewed findings of `make audit` stay honest: each has a reason and points at a file that exists,
and the audit script fails on a finding nobody reviewed."""

from __future__ import annotations

import importlib.util
import json
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_audit() -> ModuleType:
    spec = importlib.util.spec_from_file_location("security_audit", ROOT / "tools" / "security_audit.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_review_has_a_reason_and_an_existing_file() -> None:
    reviewed = tomllib.loads((ROOT / "tools" / "security_reviewed.toml").read_text())
    for skip in reviewed["bandit"]["skips"]:
        assert skip["id"].startswith("B") and len(skip["reason"]) > 30
    for entry in reviewed["bandit"]["reviewed"]:
        assert (ROOT / entry["file"]).is_file(), entry
        assert len(entry["reason"]) > 30, entry
    for entry in reviewed["pip_audit"]["ignore"]:
        assert len(entry["reason"]) > 30, entry


def test_an_unreviewed_bandit_finding_fails_the_audit(monkeypatch: pytest.MonkeyPatch) -> None:
    audit = load_audit()
    finding = {
        "test_id": "B602",
        "issue_severity": "HIGH",
        "filename": "threadline/new_module.py",
        "line_number": 3,
        "issue_text": "subprocess call with shell=True",
    }

    class Done:
        stdout = json.dumps({"errors": [], "results": [finding]})

    def fake_run(*args: Any, **kwargs: Any) -> Done:
        return Done()

    monkeypatch.setattr(audit.subprocess, "run", fake_run)
    assert audit.bandit() == ["bandit B602 HIGH threadline/new_module.py:3 subprocess call with shell=True"]

"""Without the official HSDS folder the schema tests skip, saying where to get it; under CI they fail."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_django import Settings

from tests.directory.hsds_helpers import require_spec


def test_missing_spec_skips_outside_ci(settings: Settings, tmp_path: Path) -> None:
    settings.HSDS_SPEC_DIR = tmp_path / "nowhere"
    settings.HSDS_SPEC_DIR_REQUIRED = False
    with pytest.raises(pytest.skip.Exception) as skipped:
        require_spec()
    assert "github.com/openreferral/specification" in str(skipped.value)


def test_missing_spec_fails_under_ci(settings: Settings, tmp_path: Path) -> None:
    settings.HSDS_SPEC_DIR = tmp_path / "nowhere"
    settings.HSDS_SPEC_DIR_REQUIRED = True
    with pytest.raises(pytest.fail.Exception) as failed:
        require_spec()
    assert "HSDS_SPEC_DIR" in str(failed.value)


def test_nothing_from_the_spec_is_copied_into_the_project() -> None:
    root = Path(__file__).resolve().parents[2]
    copies = [
        p
        for folder in ("threadline", "tests", "docs", "bench")
        for p in (root / folder).rglob("*.json")
        if p.name in {"service_full.json", "openapi.json", "service.json", "taxonomy_term.json"}
    ]
    assert copies == []

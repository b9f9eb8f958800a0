"""The profile in docs/hsds-profile/ is a set of JSON merge patches to the official schemas; what
Threadline exports validates against the patched schemas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.directory.conftest import Maker
from tests.directory.hsds_helpers import require_spec
from threadline.directory.audience import ALL, PUBLIC, Scope
from threadline.directory.hsds import export, schemas

pytestmark = pytest.mark.django_db
PROFILE = Path(__file__).resolve().parents[2] / "docs" / "hsds-profile" / "schema"


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def patched(type_name: str) -> Any:
    spec = require_spec()
    official = json.loads((spec / "schema" / f"{type_name}.json").read_text())
    return merge_patch(official, json.loads((PROFILE / f"{type_name}.json").read_text()))


@pytest.mark.parametrize("scope", [ALL, PUBLIC], ids=["all", "public"])
def test_exports_validate_against_the_profile(listing: Maker, scope: Scope) -> None:
    listing("Ashgrove Hollow Shelter", confidential=True, counties=["48029", "48091"], capacity=2)
    listing("Pinnacle Mesa Legal Aid", visibility="network")
    objects = export.collect(scope)
    assert objects["organization"], "nothing exported"
    problems: list[str] = []
    for type_name in sorted(p.stem for p in PROFILE.glob("*.json")):
        validator = schemas._validator(patched(type_name))
        for item in objects[type_name]:
            problems.extend(f"{type_name} {item['id']}: {e.message}" for e in validator.iter_errors(item))
    assert problems == []
    orgs = {o["name"]: o for o in objects["organization"]}
    shelter = orgs["Ashgrove Hollow Shelter"]
    assert shelter["visibility"] == "public" and shelter["vetting"]["status"] == "vetted"
    if scope is ALL:
        assert "applied_date" in shelter["vetting"]
        assert any(loc.get("confidential") for loc in objects["location"])
    else:
        assert not any("confidential" in loc for loc in objects["location"])
        assert not {"applied_date", "reviewer", "evidence", "onsite_notes"} & set(shelter["vetting"])
        assert "Pinnacle Mesa Legal Aid" not in orgs


def test_patches_are_valid_json_objects() -> None:
    for path in PROFILE.glob("*.json"):
        assert isinstance(json.loads(path.read_text()), dict), path.name

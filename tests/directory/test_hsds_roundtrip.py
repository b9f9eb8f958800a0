"""The official HSDS examples import, export again, and every exported object validates."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.directory.hsds_helpers import require_spec
from threadline.directory import models as m
from threadline.directory.audience import ALL
from threadline.directory.hsds import export, schemas
from threadline.directory.hsds.importer import import_path

pytestmark = pytest.mark.django_db

SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"


def _import_examples() -> Path:
    spec = require_spec()
    examples = spec / "examples"
    for path in sorted(examples.glob("*.json")):
        import_path(path)
    import_path(examples / "csv")
    return examples


def test_every_official_example_imports_and_keeps_its_fields() -> None:
    examples = _import_examples()
    official = json.loads((examples / "service_full.json").read_text())
    service = m.Service.objects.get(id=SERVICE_ID)
    assert service.name == official["name"]
    assert service.minimum_age == official["minimum_age"] == 12
    assert service.organization_id == official["organization"]["id"]
    assert m.Phone.objects.filter(id=official["phones"][0]["id"], service_id=SERVICE_ID).exists()
    assert m.Address.objects.filter(location_id="3a19ff88-4620-4d17-9830-ac1d859eb5d5").exists()
    assert m.HsdsRecord.objects.filter(object_type="cost_option").exists()
    assert m.ServiceCapacity.objects.filter(id="8896b788-7b3e-11ef-8db9-7f3d040352b3").exists()


def test_export_validates_against_the_official_schemas(tmp_path: Path) -> None:
    _import_examples()
    counts = export.write(tmp_path, ALL)
    assert counts["service"] >= 1 and counts["organization"] >= 1 and counts["taxonomy_term"] >= 1
    problems: list[str] = []
    for path in sorted((tmp_path / "json").glob("*.json")):
        for item in json.loads(path.read_text()):
            # One file per type is the tabular form: an object nested elsewhere (a capacity's unit,
            # which the official example points at under another id) lives in its own file.
            problems.extend(
                f"{path.name} {item['id']}: {e}" for e in schemas.errors(path.stem, item, flat=True)
            )
    assert problems == []
    assert (tmp_path / "csv" / "services.csv").read_text().count("\n") == counts["service"] + 1
    package = json.loads((tmp_path / "csv" / "datapackage.json").read_text())
    assert {r["path"] for r in package["resources"]} >= {"services.csv", "organizations.csv"}


def test_export_imports_again_unchanged(tmp_path: Path) -> None:
    _import_examples()
    first, second = tmp_path / "first", tmp_path / "second"
    export.write(first, ALL)
    import_path(first)  # idempotent: the same objects again
    export.write(second, ALL)
    for path in sorted((first / "json").glob("*.json")):
        assert json.loads(path.read_text()) == json.loads((second / "json" / path.name).read_text()), (
            path.name
        )


def test_csv_package_round_trip(tmp_path: Path) -> None:
    _import_examples()
    export.write(tmp_path / "out", ALL)
    before = {
        t: sorted(json.loads((tmp_path / "out" / "json" / f"{t}.json").read_text()), key=lambda o: o["id"])
        for t in ("service", "phone", "schedule")
    }
    for model in (m.Service, m.Phone, m.Schedule):
        model._default_manager.all().delete()
    shutil.rmtree(tmp_path / "out" / "json")
    import_path(tmp_path / "out")  # the CSV package only
    export.write(tmp_path / "again", ALL)
    for type_name, items in before.items():
        after = sorted(
            json.loads((tmp_path / "again" / "json" / f"{type_name}.json").read_text()), key=lambda o: o["id"]
        )
        assert after == items, type_name

"""hsds_import: line-numbered errors, nothing half-imported, idempotent by id."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from threadline.directory import models as m

pytestmark = pytest.mark.django_db

ORG = "5b0c7a8e-1f2d-4c3b-9a4e-6d7f8a9b0c1d"
SERVICE = "7e1d2c3b-4a5f-4e6d-8c7b-9a0f1e2d3c4b"


def write_csv(folder: Path, rows: str) -> Path:
    folder.mkdir()
    (folder / "organizations.csv").write_text(
        f"id,name,description\n{ORG},Mossbank Outreach,Fictional outreach\n"
    )
    (folder / "services.csv").write_text("id,organization_id,name,status,minimum_age\n" + rows)
    return folder


def test_bad_records_are_named_by_line_and_nothing_is_imported(tmp_path: Path) -> None:
    folder = write_csv(
        tmp_path / "pkg",
        f"{SERVICE},{ORG},Good service,active,12\n"
        f"not-a-uuid,{ORG},Bad id,active,\n"
        f"8e1d2c3b-4a5f-4e6d-8c7b-9a0f1e2d3c4b,{ORG},Bad status,paused,\n"
        f"9e1d2c3b-4a5f-4e6d-8c7b-9a0f1e2d3c4b,{ORG},Bad age,active,twelve\n",
    )
    with pytest.raises(CommandError):
        call_command("hsds_import", str(folder))
    assert not m.Organization.objects.exists() and not m.Service.objects.exists()


def test_error_messages_carry_file_and_line(tmp_path: Path) -> None:
    from threadline.directory.hsds.importer import ImportFailed, import_path

    folder = write_csv(tmp_path / "pkg", f"{SERVICE},{ORG},Fine,active,\nnot-a-uuid,{ORG},Bad,active,\n")
    with pytest.raises(ImportFailed) as failed:
        import_path(folder)
    assert any(e.startswith("services.csv line 3:") and "UUID" in e for e in failed.value.errors)
    bad_json = tmp_path / "service_list.json"
    bad_json.write_text(json.dumps([{"id": SERVICE, "name": "No status"}], indent=2))
    with pytest.raises(ImportFailed) as failed:
        import_path(bad_json)
    assert failed.value.errors == [f"service_list.json line 3: service {SERVICE}: status is required"]
    broken = tmp_path / "organization.json"
    broken.write_text('{"id": "x",\n "name": }')
    with pytest.raises(ImportFailed) as failed:
        import_path(broken)
    assert failed.value.errors[0].startswith("organization.json line 2: not valid JSON")


def test_import_is_idempotent_by_id(tmp_path: Path) -> None:
    folder = write_csv(tmp_path / "pkg", f"{SERVICE},{ORG},Mossbank Drop-in,active,14\n")
    call_command("hsds_import", str(folder))
    call_command("hsds_import", str(folder))
    assert m.Organization.objects.count() == 1 and m.Service.objects.count() == 1
    service = m.Service.objects.get()
    assert service.minimum_age == 14
    org = m.Organization.objects.get()
    assert (org.vetting_status, org.visibility) == ("applied", "private")  # imported data is not published
    assert m.ListingIndex.objects.get(service_id=SERVICE).listed is False


@pytest.mark.parametrize("escape", ["../outside/organizations.csv", "ABSOLUTE"])
def test_a_manifest_cannot_point_outside_its_folder(tmp_path: Path, escape: str) -> None:
    """Issue 9, item 8: hsds_import followed "../" and absolute paths out of the package folder."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "organizations.csv").write_text(f"id,name,description\n{ORG},Pried Loose,Not in the package\n")
    package = tmp_path / "pkg"
    package.mkdir()
    path = str(outside / "organizations.csv") if escape == "ABSOLUTE" else escape
    (package / "datapackage.json").write_text(
        json.dumps({"resources": [{"name": "organizations", "path": path}]})
    )
    errors = io.StringIO()
    with pytest.raises(CommandError):
        call_command("hsds_import", str(package / "datapackage.json"), stderr=errors)
    assert f"resource path {path!r} is outside the package folder" in errors.getvalue()
    assert not m.Organization.objects.exists()

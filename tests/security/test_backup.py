"""``manage.py backup`` and ``restore``: a round trip gives back every table with equal row counts and
checksums, on SQLite (online backup API) and PostgreSQL (pg_dump / pg_restore)."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import Persona
from tests.factories.youth import make_youth
from threadline.management.backup import table_checksums
from threadline.youth.models import Youth

pytestmark = pytest.mark.django_db(transaction=True)


def test_backup_and_restore_round_trip(coordinator: Persona, tmp_path: Path) -> None:
    make_youth(coordinator.membership, preferred_name="Before")
    before = table_checksums()
    target = tmp_path / "threadline.backup"
    call_command("backup", str(target))
    manifest = json.loads(target.with_name(target.name + ".manifest.json").read_text())
    assert {t: tuple(v) for t, v in manifest["tables"].items()} == before
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert before["youth_youth"][0] == 1

    make_youth(coordinator.membership, preferred_name="After the backup")
    assert table_checksums()["youth_youth"][0] == 2

    call_command("restore", str(target), "--yes")
    after = table_checksums()
    assert after == before
    assert [y.preferred_name for y in Youth.objects.all()] == ["Before"]  # and it still decrypts


def test_restore_refuses_without_confirmation(tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        call_command("restore", str(tmp_path / "x.backup"))


def test_restore_reports_a_table_that_differs_from_the_manifest(coordinator: Persona, tmp_path: Path) -> None:
    target = tmp_path / "threadline.backup"
    call_command("backup", str(target))
    manifest_path = target.with_name(target.name + ".manifest.json")
    manifest = json.loads(manifest_path.read_text())
    manifest["tables"]["youth_youth"] = [99, "0" * 64]
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="youth_youth"):
        call_command("restore", str(target), "--yes")

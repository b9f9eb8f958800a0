"""Backup and restore round trip: ``manage.py backup`` (SQLite online backup API, or pg_dump), change
the database, ``manage.py restore`` (verifying the manifest), and compare every table's row count and
checksum with the state at backup time. Fictional data: a few youths with identifying fields sealed.

Tune with BACKUP_YOUTHS (default 60).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

from benchlib import Row

YOUTHS = int(os.environ.get("BACKUP_YOUTHS", "60"))
RESULTS: dict[str, Any] = {}


def _coordinator() -> Any:
    from threadline.accounts.models import Membership, Organization, User
    from threadline.core.roles import OrganizationType, Role

    org, _ = Organization.objects.get_or_create(
        name="Backup Bench Advocacy Center",
        defaults={"org_type": OrganizationType.CAC, "is_care_coordinator": True},
    )
    user = User.objects.filter(email="backup@bench.test").first() or User.objects.create_user(
        "backup@bench.test", full_name="Backup Bench"
    )
    membership, _ = Membership.objects.get_or_create(user=user, organization=org, role=Role.CARE_COORDINATOR)
    return membership


def _youths(membership: Any, n: int, start: int) -> None:
    import datetime

    from threadline.youth.services import youth_create

    for i in range(start, start + n):
        youth_create(
            membership=membership,
            preferred_name=f"Fictional{i}",
            legal_name=f"Fictional Person {i}",
            date_of_birth=datetime.date(2010, 1, 1) + datetime.timedelta(days=i),
            counties=[("Bexar", "physically_present")],
        )


def run() -> list[Row]:
    from django.core.management import call_command

    from threadline.management.backup import table_checksums

    membership = _coordinator()
    _youths(membership, YOUTHS, 0)
    before = table_checksums()
    folder = Path(tempfile.mkdtemp(prefix="threadline-backup-bench-"))
    target = folder / "threadline.backup"

    started = time.perf_counter()
    call_command("backup", str(target), stdout=open(os.devnull, "w"))  # noqa: SIM115
    backup_ms = (time.perf_counter() - started) * 1000

    _youths(membership, 5, YOUTHS)  # written after the backup: the restore must take them away
    changed = table_checksums() != before

    started = time.perf_counter()
    call_command("restore", str(target), "--yes", stdout=open(os.devnull, "w"))  # noqa: SIM115
    restore_ms = (time.perf_counter() - started) * 1000

    after = table_checksums()
    equal = [t for t in before if after.get(t) == before[t]]
    differing = sorted(set(before) ^ set(after) | {t for t in before if after.get(t) != before[t]})
    rows = sum(count for count, _ in before.values())
    ok = changed and not differing
    RESULTS.update(
        {
            "tables": len(before),
            "tables_equal": len(equal),
            "rows": rows,
            "differing": differing,
            "ok": ok,
            "bytes": target.stat().st_size,
        }
    )
    note = (
        f"{len(equal)}/{len(before)} tables equal (rows and sha256), {rows} rows, "
        f"{target.stat().st_size // 1024} KiB; {'ok' if ok else 'DIFFERS: ' + ', '.join(differing[:5])}"
    )
    return [
        Row("backup", "backup (whole database)", 1, backup_ms, backup_ms, "", note),
        Row("backup", "restore + manifest check", 1, restore_ms, restore_ms, "equal checksums", note),
    ]

"""Behind pgbouncer in transaction mode (``DATABASE_POOLER=pgbouncer-transaction``), the PostgreSQL
databases use client-side cursors: a server-side cursor would outlive its transaction and be lost
when pgbouncer hands the next transaction another server connection (issue 18)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from threadline.settings.base import pooled

ROOT = Path(__file__).resolve().parent.parent


def _databases() -> dict[str, dict[str, object]]:
    return {
        "default": {"ENGINE": "django.db.backends.postgresql", "NAME": "threadline"},
        "replica": {"ENGINE": "django.db.backends.postgresql", "NAME": "threadline"},
        "local": {"ENGINE": "django.db.backends.sqlite3", "NAME": "x.sqlite3"},
    }


def test_transaction_pooling_turns_server_side_cursors_off_on_postgresql_only() -> None:
    databases = pooled(_databases(), "pgbouncer-transaction")
    assert databases["default"]["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert databases["replica"]["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert "DISABLE_SERVER_SIDE_CURSORS" not in databases["local"]


def test_without_a_pooler_the_databases_are_unchanged() -> None:
    assert pooled(_databases(), "") == _databases()


def test_an_unknown_pooler_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match="DATABASE_POOLER"):
        pooled(_databases(), "pgbouncer-session")


def _settings_databases(env: dict[str, str]) -> dict[str, object]:
    """DATABASES as the settings module builds them from this environment (a fresh interpreter)."""
    code = (
        "import json; from threadline.settings import base; "
        "print(json.dumps({k: v.get('DISABLE_SERVER_SIDE_CURSORS') for k, v in base.DATABASES.items()}))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_POOLER", "REPLICA_DATABASE_URL")}
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def test_the_settings_read_database_pooler_from_the_environment() -> None:
    primary = "postgres://app@db.invalid:6432/threadline"
    replica = "postgres://app@replica.invalid:6432/threadline"
    both = {"DATABASE_URL": primary, "REPLICA_DATABASE_URL": replica}
    assert _settings_databases({**both, "DATABASE_POOLER": "pgbouncer-transaction"}) == {
        "default": True,
        "replica": True,
    }
    assert _settings_databases(both) == {"default": False, "replica": False}  # dj-database-url's default

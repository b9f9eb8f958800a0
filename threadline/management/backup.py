"""Backup and restore of the whole database, and the figures that prove a restore is whole.

SQLite: the online backup API (``sqlite3.Connection.backup``), a consistent copy while the app runs
(WAL readers and writers are not stopped). PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore``;
production adds continuous WAL archiving for point-in-time recovery (docs/operations.md).

``table_checksums`` gives, per table, the row count and a SHA-256 over the rows in a stable order, so a
restored database can be compared with the one that was backed up, table by table.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.db import connection

SKIP_TABLES = {"django_session"}  # sessions are not restored on purpose: everyone signs in again


def table_checksums(using: Any = None) -> dict[str, tuple[int, str]]:
    conn = using or connection
    found: dict[str, tuple[int, str]] = {}
    with conn.cursor() as cursor:
        for table in sorted(conn.introspection.table_names(cursor)):
            if table in SKIP_TABLES:
                continue
            cursor.execute(f"SELECT * FROM {conn.ops.quote_name(table)}")  # noqa: S608 (names from introspection)
            rows = sorted(repr(tuple(_plain(v) for v in row)) for row in cursor.fetchall())
            digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
            found[table] = (len(rows), digest)
    return found


def _plain(value: Any) -> Any:
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} is not installed (Debian: postgresql-client)")
    return found


def _pg_env(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["--dbname", str(settings_dict["NAME"])]
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def backup_to(path: Path) -> str:
    """Write a backup of the default database to ``path``; return the method used."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = connection.connection
        target = sqlite3.connect(str(path))
        try:
            with target:
                source.backup(target, pages=1024)
        finally:
            target.close()
        os.chmod(path, 0o600)
        return "sqlite online backup"
    if connection.vendor == "postgresql":
        args, env = _pg_env(connection.settings_dict)
        subprocess.run(  # noqa: S603
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(path),
                *args,
            ],
            check=True,
            env=env,
        )
        os.chmod(path, 0o600)
        return "pg_dump"
    raise RuntimeError(f"no backup method for {connection.vendor}")


def restore_from(path: Path) -> str:
    """Replace the default database's contents with the backup at ``path``. Stop the app first."""
    if not path.exists():
        raise FileNotFoundError(path)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(str(path))
        try:
            source.backup(connection.connection, pages=1024)
        finally:
            source.close()
        return "sqlite online backup (reverse)"
    if connection.vendor == "postgresql":
        args, env = _pg_env(connection.settings_dict)
        connection.close()
        subprocess.run(  # noqa: S603
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                *args,
                str(path),
            ],
            check=True,
            env=env,
        )
        return "pg_restore"
    raise RuntimeError(f"no restore method for {connection.vendor}")

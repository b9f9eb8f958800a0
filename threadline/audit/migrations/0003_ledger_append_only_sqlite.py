"""On SQLite too, the database refuses UPDATE and DELETE on the ledger (see ``audit.append_only``)."""

from __future__ import annotations

from django.db import migrations

from threadline.audit.append_only import sqlite_create, sqlite_drop


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            sqlite_create(cursor)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            sqlite_drop(cursor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_ledger_append_only")]
    operations = [migrations.RunPython(forward, backward)]

"""The ledger refuses UPDATE and DELETE inside the database itself, on SQLite as on PostgreSQL.

PostgreSQL: a trigger function (migration 0002); TRUNCATE stays with the table owner. SQLite: two
triggers (migration 0003) that abort any UPDATE or DELETE of a ledger row. Someone who can rewrite the
database file can drop them, as a PostgreSQL superuser can disable triggers: that is what the hash
chain and the anchors outside the database (``anchors``) are for.
"""

from __future__ import annotations

from typing import Any

SQLITE_TRIGGERS = {
    "audit_accessevent_no_update": "UPDATE",
    "audit_accessevent_no_delete": "DELETE",
}


def sqlite_create(cursor: Any) -> None:
    for name, op in SQLITE_TRIGGERS.items():
        cursor.execute(
            f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {op} ON audit_accessevent "
            f"BEGIN SELECT RAISE(ABORT, 'the access ledger is append-only ({op} refused)'); END"
        )


def sqlite_drop(cursor: Any) -> None:
    for name in SQLITE_TRIGGERS:
        cursor.execute(f"DROP TRIGGER IF EXISTS {name}")

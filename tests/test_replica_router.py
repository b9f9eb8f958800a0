"""Dashboards, reports and exports read from the replica when one is configured; writes never go
there (issue 18). The test settings give a second alias, ``replica``, mirroring the test database
(as a streaming replica mirrors the primary); the router is off until READ_REPLICA_ALIAS names it."""

from __future__ import annotations

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings

from tests.conftest import ClientFor, Persona
from threadline.accounts.models import Organization
from threadline.audit.models import AccessEvent, LedgerHead
from threadline.core.replica import ReplicaRouter, reading_from_replica
from threadline.outcomes.models import Publication

WRITES = ("INSERT", "UPDATE", "DELETE", "SAVEPOINT", "RELEASE", "CREATE", "DROP", "ALTER")


def test_the_router_sends_only_summary_reads_to_the_replica(settings: Settings) -> None:
    router = ReplicaRouter()
    settings.READ_REPLICA_ALIAS = "replica"
    assert router.db_for_read(Organization) is None  # outside a summary: default
    with reading_from_replica():
        assert router.db_for_read(Organization) == "replica"
        assert router.db_for_write(Organization) == "default"
        # Read-then-write and the differencing guard need the newest rows.
        for model in (LedgerHead, AccessEvent, Publication):
            assert router.db_for_read(model) is None
    settings.READ_REPLICA_ALIAS = None
    with reading_from_replica():
        assert router.db_for_read(Organization) is None  # no replica configured
    assert router.allow_migrate("replica", "youth") is False
    assert router.allow_migrate("default", "youth") is True


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_the_dashboard_reads_from_the_replica_and_writes_only_to_the_primary(
    supervisor: Persona, client_for: ClientFor, settings: Settings
) -> None:
    client = client_for(supervisor)
    settings.READ_REPLICA_ALIAS = "replica"
    before = AccessEvent.objects.count()
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        response = client.get("/outcomes/?period=30d")
    assert response.status_code == 200
    replica_sql = [q["sql"].lstrip().upper() for q in on_replica.captured_queries]
    assert replica_sql, "the dashboard read nothing from the replica"
    assert [q for q in replica_sql if q.startswith(WRITES)] == []
    # Reads only. On PostgreSQL this connection's counting lane runs in one transaction (BEGIN ...
    # COMMIT), so that its local setting of the parallel workers ends with it.
    brackets = [q for q in replica_sql if not q.startswith(("SELECT", "WITH"))]
    assert brackets == (["BEGIN", "COMMIT"] if connections["replica"].vendor == "postgresql" else [])
    primary_sql = [q["sql"].lstrip().upper() for q in on_primary.captured_queries]
    assert any(
        q.startswith(("INSERT", "WITH")) and 'INSERT INTO "AUDIT_ACCESSEVENT"' in q for q in primary_sql
    )
    assert AccessEvent.objects.count() == before + 1

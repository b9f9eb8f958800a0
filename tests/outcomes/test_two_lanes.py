"""Dashboards and reports count their measures in two lanes at once, on two database connections
(``Facts.two_lanes``), only where the second connection sees exactly the rows the first does; the
figures are the same either way, and the second lane reads where the first does (the replica)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.backends.signals import connection_created
from django.utils import timezone
from pytest_django.fixtures import Settings

from tests.conftest import Persona
from tests.outcomes.test_counts_match_measures import _periods, _shown
from threadline.core.replica import reading_from_replica
from threadline.outcomes import demo_generate as generate
from threadline.outcomes import report
from threadline.outcomes.selectors import Facts, scope_for

# Committed rows: a second connection sees nothing a test wrote inside its transaction.
committed = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def demo_programs(transactional_db: None) -> None:
    """The demo programs a data migration installed: an earlier transactional test emptied the
    tables (serialized rows are not restored: that would skip recreating the content types)."""
    from threadline.intake.demo_programs import install
    from threadline.intake.models import CountyRule, Program, RuleVersion

    install(Program, RuleVersion, CountyRule)


@pytest.fixture
def opened() -> Iterator[list[tuple[str, str]]]:
    """(thread name, alias) of every connection opened while the test runs."""
    seen: list[tuple[str, str]] = []

    def hook(sender: Any, connection: Any, **kwargs: Any) -> None:
        seen.append((threading.current_thread().name, connection.alias))

    connection_created.connect(hook, weak=False)
    yield seen
    connection_created.disconnect(hook)


def _statements_by_thread() -> tuple[dict[tuple[str, str], int], Callable[[Any], None]]:
    counts: dict[tuple[str, str], int] = {}

    def observe(wrapper: Any) -> None:
        def observer(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            key = (threading.current_thread().name, wrapper.alias)
            counts[key] = counts.get(key, 0) + 1
            return execute(sql, params, many, context)

        wrapper.execute_wrappers.append(observer)

    return counts, observe


def _both_ways(facts: Callable[[], Facts], settings: Settings) -> tuple[Any, Any]:
    settings.OUTCOMES_COUNT_ON_TWO_CONNECTIONS = False
    one = _shown(report.build(facts(), with_gender=True))
    settings.OUTCOMES_COUNT_ON_TWO_CONNECTIONS = True
    two = _shown(report.build(facts(), with_gender=True))
    return one, two


@pytest.mark.parametrize("index", [0, 1, 3])
@committed
def test_two_lanes_count_the_same_figures(
    index: int,
    demo_programs: None,
    caseload: generate.Plan,
    coordinator: Persona,
    opened: list[tuple[str, str]],
    settings: Settings,
) -> None:
    scope, period, now = scope_for(coordinator.membership), _periods()[index], timezone.now()
    # As the dashboard counts: inside the request's transaction, nothing written in it yet.
    with transaction.atomic():
        one, two = _both_ways(lambda: Facts(scope=scope, period=period, now=now), settings)
    assert one == two
    assert one["youths.served"][1][0] != [0, 0]  # the period holds youths: the test compares something
    lanes = [name for name, _alias in opened if name.startswith("outcomes-lane")]
    if connection.vendor == "postgresql":
        assert lanes, "the second lane never opened its own connection"
    else:
        assert lanes == []  # SQLite keeps one connection


@committed
def test_the_second_lane_reads_from_the_replica_too(
    demo_programs: None,
    caseload: generate.Plan,
    coordinator: Persona,
    opened: list[tuple[str, str]],
    settings: Settings,
) -> None:
    settings.READ_REPLICA_ALIAS = "replica"
    counts, observe = _statements_by_thread()

    def hook(sender: Any, connection: Any, **kwargs: Any) -> None:
        observe(connection)

    connection_created.connect(hook, weak=False)
    try:
        with reading_from_replica():
            built = _shown(report.build(Facts(scope=scope_for(coordinator.membership), period=_periods()[3])))
    finally:
        connection_created.disconnect(hook)
    assert built["youths.served"][1][0] != [0, 0]
    lanes = {alias: n for (name, alias), n in counts.items() if name.startswith("outcomes-lane")}
    if connection.vendor == "postgresql":
        assert lanes.get("replica", 0) > 0
        assert set(lanes) == {"replica"}, lanes  # never the primary
    else:
        assert lanes == {}  # SQLite keeps one connection


@pytest.mark.django_db
def test_rows_written_in_this_transaction_are_counted_on_this_connection(
    caseload: generate.Plan, coordinator: Persona, opened: list[tuple[str, str]]
) -> None:
    """Inside a transaction that has written (here the test's own), another connection would not see
    the rows: every measure runs on this one."""
    built = _shown(report.build(Facts(scope=scope_for(coordinator.membership), period=_periods()[3])))
    assert built["youths.served"][1][0] != [0, 0]
    assert [name for name, _alias in opened if name.startswith("outcomes-lane")] == []


def _workers() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('max_parallel_workers_per_gather')")
        row = cursor.fetchone()
    return str(row[0]) if row else ""


@committed
def test_each_lane_counts_without_parallel_workers_and_puts_the_setting_back(
    demo_programs: None,
    caseload: generate.Plan,
    coordinator: Persona,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``OUTCOMES_COUNT_PARALLEL_WORKERS`` (0) holds on both lanes' connections while they count, and
    the request's transaction has the server's own setting again after."""
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting; SQLite starts no workers")
    seen: list[tuple[str, str]] = []
    count = report._count

    def spy(jobs: dict[str, Callable[[], Any]]) -> dict[str, Any]:
        seen.append((threading.current_thread().name, _workers()))
        return count(jobs)

    monkeypatch.setattr(report, "_count", spy)
    with transaction.atomic():  # as the dashboard counts
        before = _workers()
        built = _shown(report.build(Facts(scope=scope_for(coordinator.membership), period=_periods()[3])))
        assert _workers() == before != "0"
    assert built["youths.served"][1][0] != [0, 0]
    assert len(seen) == 2 and {name.startswith("outcomes-lane") for name, _ in seen} == {True, False}
    assert {workers for _, workers in seen} == {"0"}
    settings.OUTCOMES_COUNT_PARALLEL_WORKERS = None  # the server's own setting
    seen.clear()
    report.build(Facts(scope=scope_for(coordinator.membership), period=_periods()[3]))
    assert {workers for _, workers in seen} == {before}

"""Every table and figure of ``report.build`` over the bench's kept caseload, for three periods, written
as JSON (to compare two versions of the counting: the figures must be identical), with the time, the
statements and the SQL time of each measure.

    DATABASE_URL=postgres://…/h_outcomes BENCH_KEEP_DATABASE=1 \\
        .venv/bin/python bench/outcomes_figures.py /tmp/after.json [--explain] [--one-lane] \\
        [--compare /tmp/before.json]

The caseload is the one ``bench_outcomes`` wrote and kept (``BENCH_KEEP_DATABASE=1``, bench/run.py).
The periods are the last 30 days, the fiscal year to date and the last fiscal year, ending on
``OUTCOMES_FIGURES_TODAY`` (default: today), counted as of noon UTC that day, so two runs on one
day compare exactly. ``--explain`` runs every statement again under ``EXPLAIN (ANALYZE, BUFFERS)``
and adds up the server's execution time per measure; ``--compare`` prints every difference from an
earlier file (exit status 1 if any). ``--one-lane`` counts every measure on one connection, one after
the other (``OUTCOMES_COUNT_ON_TWO_CONNECTIONS`` off): the per-measure CPU times are then each its own
(with two lanes, ``cpu s`` is the whole process's while the measure ran).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

Timings = dict[str, dict[str, float]]


def _wrap_measures(timings: Timings, statements: dict[str, list[tuple[str, Any]]]) -> None:
    """Time every counting function called by ``report.build`` (the outermost one only, per thread:
    with two lanes (``Facts.two_lanes``) the second thread's statements are observed on its own
    connection, hooked as it opens)."""
    from django.db import connection
    from django.db.backends.signals import connection_created

    from threadline.outcomes import report
    from threadline.outcomes.count_selectors import intake, outcomes, services, youths

    lane = threading.local()

    def current_of() -> list[str]:
        if not hasattr(lane, "current"):
            lane.current = []
        return lane.current

    def observer(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        current = current_of()
        try:
            return execute(sql, params, many, context)
        finally:
            name = current[0] if current else "(outside the measures)"
            timings[name]["sql_s"] += time.perf_counter() - started
            timings[name]["queries"] += 1
            statements[name].append((sql, params))

    connection.execute_wrappers.append(observer)

    def hook(sender: Any, connection: Any, **kwargs: Any) -> None:
        if observer not in connection.execute_wrappers:
            connection.execute_wrappers.append(observer)

    connection_created.connect(hook, weak=False)

    def wrap(module: Any, name: str) -> None:
        inner = getattr(module, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            label = f"{module.__name__.rsplit('.', 1)[-1]}.{name}"
            current = current_of()
            if current:
                return inner(*args, **kwargs)
            current.append(label)
            started, cpu = time.perf_counter(), time.process_time()
            try:
                return inner(*args, **kwargs)
            finally:
                timings[label]["wall_s"] += time.perf_counter() - started
                timings[label]["cpu_s"] += time.process_time() - cpu
                timings[label]["calls"] += 1
                current.pop()

        setattr(module, name, timed)

    for module in (intake, outcomes, services, youths):
        for name in dir(module):
            value = getattr(module, name)
            if callable(value) and getattr(value, "__module__", "") == module.__name__ and name[0] != "_":
                if isinstance(value, type):
                    continue
                wrap(module, name)
    wrap(report, "family_services_table")
    wrap(report, "_network_tables")


def _plain(value: Any) -> Any:
    return None if value is None else repr(value)


def figures(today: dt.date, *, explain: bool) -> dict[str, Any]:
    from django.db import connection

    from threadline.accounts.models import Organization
    from threadline.outcomes import report
    from threadline.outcomes.measures.facts import Period, fiscal_year
    from threadline.outcomes.selectors import Facts, scope_for_organization

    org = Organization.objects.get(name="Bench Valley Advocacy Center")
    scope = scope_for_organization(org)
    this_year = fiscal_year(today, 10)
    last_year = fiscal_year(this_year.start - dt.timedelta(days=1), 10)
    periods = {
        "30d": Period(today - dt.timedelta(days=29), today),
        "fytd": Period(this_year.start, today),
        "lastfy": last_year,
    }
    now = dt.datetime.combine(today, dt.time(12), tzinfo=dt.UTC)
    timings: Timings = defaultdict(lambda: defaultdict(float))
    statements: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    _wrap_measures(timings, statements)
    out: dict[str, Any] = {"today": today.isoformat(), "periods": {}, "seconds": {}}
    for key, period in periods.items():
        started, cpu = time.perf_counter(), time.process_time()
        built = report.build(Facts(scope=scope, period=period, now=now))
        out["seconds"][key] = {"wall": time.perf_counter() - started, "cpu": time.process_time() - cpu}
        tables = {}
        for section in built.sections:
            for table in section.tables:
                tables[table.key] = {
                    "rows": [code for code, _ in table.rows],
                    "columns": [code for code, _ in table.columns],
                    "cells": [list(row) for row in table.cells],
                }
            for figure in section.figures:
                tables["figure:" + figure.key] = {
                    "value": _plain(figure.value),
                    "counts": list(figure.counts),
                }
        tables["map"] = dict(built.map_counts)
        out["periods"][key] = tables
    runs = len(periods)
    out["measures"] = {
        name: {k: v / runs for k, v in values.items()}
        for name, values in sorted(timings.items(), key=lambda kv: -kv[1]["wall_s"])
    }
    connection.execute_wrappers.clear()  # the observer: the EXPLAINs below are not the measures'
    if explain and connection.vendor == "postgresql":
        server: dict[str, float] = defaultdict(float)
        with connection.cursor() as cursor:
            for name, sqls in list(statements.items()):
                for sql, params in sqls:
                    if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                        continue
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
                    plan = cursor.fetchone()[0]
                    plan = json.loads(plan) if isinstance(plan, str) else plan
                    server[name] += plan[0]["Execution Time"] / 1000
        for name, seconds in server.items():
            out["measures"].setdefault(name, {})["explain_s"] = seconds / runs
    return out


def compare(before: dict[str, Any], after: dict[str, Any]) -> int:
    differences = 0
    for period, tables in before["periods"].items():
        other = after["periods"].get(period, {})
        for key in sorted(set(tables) | set(other)):
            if tables.get(key) != other.get(key):
                differences += 1
                print(f"DIFFERENT {period} {key}:\n  before {tables.get(key)}\n  after  {other.get(key)}")
    count = sum(len(t) for t in before["periods"].values())
    print(f"{differences} differences over {count} tables and figures in {len(before['periods'])} periods")
    return differences


def main() -> None:
    args = sys.argv[1:]
    if not args:
        raise SystemExit(__doc__)
    target = Path(args[0])
    from run import setup_django

    setup_django()
    from django.conf import settings
    from django.utils import timezone

    if "--one-lane" in args:  # every measure on this connection, one after the other
        settings.OUTCOMES_COUNT_ON_TWO_CONNECTIONS = False

    today_text = os.environ.get("OUTCOMES_FIGURES_TODAY")
    today = dt.date.fromisoformat(today_text) if today_text else timezone.localdate()
    out = figures(today, explain="--explain" in args)
    target.write_text(json.dumps(out, indent=1, sort_keys=True))
    print(f"today {out['today']}; seconds per report.build: {json.dumps(out['seconds'])}")
    print(f"{'measure':45} {'wall s':>7} {'cpu s':>7} {'sql s':>7} {'explain':>7} {'queries':>7}")
    for name, m in out["measures"].items():
        print(
            f"{name:45} {m.get('wall_s', 0):7.3f} {m.get('cpu_s', 0):7.3f} {m.get('sql_s', 0):7.3f} "
            f"{m.get('explain_s', 0):7.3f} {m.get('queries', 0):7.1f}"
        )
    if "--compare" in args:
        before = json.loads(Path(args[args.index("--compare") + 1]).read_text())
        if compare(before, out):
            raise SystemExit(1)


if __name__ == "__main__":
    main()

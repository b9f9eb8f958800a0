"""Run every benchmark under bench/ and print one table of figures.

Each ``bench/bench_*.py`` defines ``run() -> list[Row]``. Benchmarks build their own data in a
throw-away database (SQLite file under a temp dir, or the PostgreSQL server named by DATABASE_URL,
in a database of their own), so they never touch the app's data. With ``BENCH_KEEP_DATABASE=1`` on
PostgreSQL, the database DATABASE_URL names is used itself (migrated, kept between runs), for benchmarks
that reuse what they wrote before (``bench_outcomes``: the 50,000-youth caseload); point it at a
database made for the bench, never at one holding real data. Figures are printed, never asserted:
speed targets are read by people, not by the test suite.

``BENCH_KEEPDB=1`` (PostgreSQL only) keeps that database (``test_<name>_bench``) between runs instead of recreating it, so a
benchmark that supports it reuses the data it loaded last time (``bench_matching_latency``: its
youths, when the count matches ``BENCH_MATCH_YOUTHS``). Others may find leftovers: run them without it.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "threadline.settings.test")
    scratch = tempfile.mkdtemp(prefix="threadline-bench-")
    os.environ["THREADLINE_VAR_DIR"] = scratch
    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    if not on_postgres:
        # A real file with WAL, as `make run` uses, not the test runner's in-memory database.
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
    import django

    django.setup()
    if on_postgres and os.environ.get("BENCH_KEEP_DATABASE") == "1":
        # The database DATABASE_URL names, migrated and kept: data a benchmark wrote there (the outcomes
        # caseload takes most of an hour at 50,000 youths) is reused by the next run. Never a real one.
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    elif on_postgres:
        from django.conf import settings
        from django.test.utils import setup_databases

        # A test_ database of its own, made afresh. BENCH_KEEPDB=1 keeps the one the last kept run left,
        # test_<name>_bench (never the test suite's test_<name>, which pytest drops), and the benches that
        # can reuse the data they find there (``generate.cached``: a network of the same scale;
        # ``bench_matching_latency``: its youths). Nothing is serialized for test rollbacks: that would
        # read every kept row.
        keep = os.environ.get("BENCH_KEEPDB") == "1"
        if keep:
            database: dict[str, Any] = settings.DATABASES["default"]
            database["TEST"] = {**(database.get("TEST") or {}), "NAME": f"test_{database['NAME']}_bench"}
        setup_databases(verbosity=0, interactive=False, keepdb=keep, serialized_aliases=set())
    else:
        _migrated_sqlite(Path(scratch) / "bench.sqlite3")


def _migrated_sqlite(target: Path) -> None:
    """Migrate once per set of migrations: a migrated empty file is kept under var/ and copied (the
    migrations take minutes on a busy 2-core machine, longer than the small benchmarks themselves)."""
    import hashlib
    import shutil

    from django.core.management import call_command
    from django.db import connection

    digest = hashlib.sha256()
    for path in sorted(HERE.parent.glob("threadline/*/migrations/*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    template = HERE.parent / "var" / f"bench-migrated-{digest.hexdigest()[:16]}.sqlite3"
    if not template.exists():
        call_command("migrate", verbosity=0)
        connection.close()
        template.parent.mkdir(exist_ok=True)
        shutil.copyfile(target, template)
        return
    connection.close()
    shutil.copyfile(template, target)


def main() -> None:
    only = sys.argv[1:]
    setup_django()
    from benchlib import Row, print_table
    from django.db import connection

    rows: list[Row] = []
    for path in sorted(HERE.glob("bench_*.py")):
        if only and not any(name in path.stem for name in only):
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[path.stem] = module  # dataclasses look their module up while it loads
        spec.loader.exec_module(module)
        started = time.perf_counter()
        print(f"running {path.stem} on {connection.vendor} ...", flush=True)
        rows.extend(module.run())
        print(f"  done in {time.perf_counter() - started:.1f}s", flush=True)
    print_table(rows, vendor=connection.vendor)


if __name__ == "__main__":
    main()

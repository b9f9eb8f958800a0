"""``make bench-reliability``: one table of what the security and reliability suite tried and what held.

1. The security tests (tests/security) run with a larger fuzzing budget (FUZZ_EXAMPLES, default 25 per
   operation, person and mode) and report their figures (forged requests, hostile uploads, fuzzed cases,
   channels scanned for identifying data).
2. The crash bench (kill -9 of the app server and worker mid-burst) and the backup/restore round trip
   run against a throw-away database (SQLite file, or PostgreSQL when DATABASE_URL says so).

Every row says pass or fail; the exit code is 1 if any row fails.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))


def security_tests() -> tuple[list[dict[str, Any]], str, bool]:
    report = Path(tempfile.mkdtemp(prefix="threadline-reliability-")) / "security.jsonl"
    env = {**os.environ, "SECURITY_REPORT": str(report)}
    env.setdefault("FUZZ_EXAMPLES", "25")
    result = subprocess.run(
        [sys.executable, "tests/run_pytest.py", "tests/security"],  # run_pytest adds -q itself
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    summary = [
        line.strip("= ")
        for line in result.stdout.splitlines()
        if re.search(r"\d+ (passed|failed)", line) and not line.startswith(("FAILED", "ERROR"))
    ]
    lines = report.read_text().splitlines() if report.exists() else []
    return (
        [json.loads(line) for line in lines],
        (summary[-1] if summary else result.stdout[-300:]),
        result.returncode == 0,
    )


def load(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    rows: list[tuple[str, str, str, bool]] = []
    print("running the security tests with a larger fuzzing budget ...", flush=True)
    figures, summary, tests_ok = security_tests()

    attacks: dict[str, list[int]] = {}
    for f in figures:
        if f["kind"] == "attacks":
            tried, refused = attacks.setdefault(f["suite"].split(" (")[0], [0, 0])
            attacks[f["suite"].split(" (")[0]] = [tried + f["tried"], refused + f["refused"]]
    for suite, (tried, refused) in sorted(attacks.items()):
        rows.append(
            ("attacks tried", suite, f"{tried} tried, {refused} refused", tried > 0 and tried == refused)
        )

    fuzz = [f for f in figures if f["kind"] == "fuzz"]
    cases = sum(f["cases"] for f in fuzz)
    new = sorted({n for f in fuzz for n in f["new"]})
    errors = sorted({n for f in fuzz for n in f["server_errors"]})
    rows.append(
        (
            "cases fuzzed",
            f"schemathesis as {len(fuzz)} people",
            f"{cases} cases, {len(errors)} 5xx, {len(new)} failures against the schema",
            len(fuzz) == 3 and cases > 0 and not errors and not new,
        )
    )
    for f in figures:
        if f["kind"] == "pii":
            scanned = ", ".join(f"{v} {k}" for k, v in f["channels"].items())
            rows.append(
                (
                    "identifying data",
                    "after the scripted journey",
                    f"{len(f['hits'])} leaks in {scanned}",
                    not f["hits"],
                )
            )
    rows.append(("security tests", "tests/security", summary, tests_ok))

    print("running the crash and backup benches ...", flush=True)
    from run import setup_django

    setup_django()
    from django.db import connection

    crash = load("bench_crash")
    crash.run()
    c = crash.RESULTS
    rows.append(
        (
            "faults injected",
            "kill -9 app server and worker mid-burst",
            f"{c['faults']} kills",
            c["faults"] > 0,
        )
    )
    rows.append(
        (
            "writes acknowledged vs present",
            "public /refer/ submissions",
            f"{c['present']}/{c['acknowledged']} present, {len(c['half_written'])} half-written, "
            f"{c['unacknowledged_but_written']} written unacknowledged",
            c["acknowledged"] > 0 and not c["lost"] and not c["half_written"],
        )
    )
    rows.append(
        ("ledger after crashes", "audit_verify", f"{c['ledger_rows']} rows verified", bool(c["ledger_ok"]))
    )
    backup = load("bench_backup")
    backup.run()
    b = backup.RESULTS
    rows.append(
        (
            "restore checksums",
            "backup, change, restore",
            f"{b['tables_equal']}/{b['tables']} tables equal, {b['rows']} rows",
            bool(b["ok"]),
        )
    )

    headers = ("check", "what", "figures", "result")
    table = [(a, w, f, "pass" if ok else "FAIL") for a, w, f, ok in rows]
    widths = [max(len(h), *(len(r[i]) for r in table)) for i, h in enumerate(headers)]
    print(f"\nThreadline reliability on {connection.vendor}")
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)))
    failed = sum(1 for r in rows if not r[3])
    print(f"\n{len(rows) - failed} of {len(rows)} rows pass")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

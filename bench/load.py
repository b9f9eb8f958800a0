"""Mixed load on loopback (issue 18): `make bench-load`.

Starts, all on 127.0.0.1 at free ports and all as children of this process (bench/pgcluster.py):
a private PostgreSQL primary (migrated, with the fictional demo data), its streaming replica
(``pg_basebackup -R``, hot standby), pgbouncer in transaction mode in front of the primary, gunicorn
with 2 workers and the huey worker (``bench/load_settings.py``: DEMO_MODE sign-ins, no MFA; dashboards,
reports and exports read from the replica through ``REPLICA_DATABASE_URL``). Then locust (headless,
``bench/locustfile.py``) steps the number of simulated people up (``BENCH_LOAD_STEPS``, default 2,4,8,16,
each ``BENCH_LOAD_STEP_SECONDS``, default 60 s): coordinators searching, opening records and taking
referrals, advocates writing case notes, directory searches, strangers sending the public /refer/ form
and one supervisor on the dashboard. Each step prints its request rate, p50/p95/p99 of the interactive
requests, the errors, and the replica's lag sampled every 2 s. At the end it prints the highest rate
with p95 under 200 ms and 0 errors, stops every process it started and removes the scratch folders.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import IO

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import percentile
from pgcluster import Stack, free_port

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
STEPS = [int(n) for n in os.environ.get("BENCH_LOAD_STEPS", "2,4,8,16").split(",")]
STEP_SECONDS = int(os.environ.get("BENCH_LOAD_STEP_SECONDS", "60"))
WARM_UP_SECONDS = 15  # the start of each step (people signing in, spawning) is not measured
TARGET_P95_MS = 200.0
GROWING = ("audit_accessevent", "youth_timelineentry")  # the tables docs/operations.md partitions
SUMMARIES = ("supervisor dashboard", "sign in")  # not interactive: reported apart


@dataclass
class Step:
    users: int
    seconds: float
    requests: int
    errors: int
    p50: float
    p95: float
    p99: float
    summaries: dict[str, float]  # p95 of the non-interactive requests in this step
    lag_bytes: float
    lag_seconds: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


class LagSampler(threading.Thread):
    """Replica lag every 2 s while locust runs: (time, bytes not replayed, replay_lag seconds)."""

    def __init__(self, stack: Stack) -> None:
        super().__init__(daemon=True)
        self.stack, self.samples, self.done = stack, list[tuple[float, float, float]](), threading.Event()

    def run(self) -> None:
        while not self.done.wait(2.0):
            lag_bytes, lag_seconds = self.stack.replica_lag()
            self.samples.append((time.time(), lag_bytes, lag_seconds))


def _env(stack: Stack, scratch: Path, *, pooled: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "REPLICA_DATABASE_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="load_settings",
        PYTHONPATH=os.pathsep.join([str(ROOT / "bench"), str(ROOT)]),
        THREADLINE_VAR_DIR=str(scratch),
        DEMO_MODE="1",
        DATABASE_URL=stack.bouncer_url if pooled else stack.primary_url,
    )
    if pooled:
        env["REPLICA_DATABASE_URL"] = stack.replica_url
    return env


def _manage(env: dict[str, str], log: IO[bytes], *args: str) -> float:
    started = time.perf_counter()
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=log, stderr=log)  # noqa: S603
    return time.perf_counter() - started


def _prepared(stack: Stack, scratch: Path, log: IO[bytes], setup: dict[str, float]) -> None:
    """Migrate and load the demo data into the primary, once per set of migrations and demo loaders: the
    result (a pg_dump and the scratch folder's generated keys, which encrypt it) is kept under var/ and
    restored next time (migrating takes minutes on a busy machine). ``BENCH_FRESH=1`` rebuilds it."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted([*ROOT.glob("threadline/*/migrations/*.py"), *ROOT.glob("threadline/**/demo*.py")]):
        digest.update(path.name.encode() + path.read_bytes())
    keep = ROOT / "var" / f"bench-load-{digest.hexdigest()[:16]}"
    direct = _env(stack, scratch, pooled=False)
    if keep.is_dir() and not os.environ.get("BENCH_FRESH"):
        started = time.perf_counter()
        for key in keep.glob(".*"):
            shutil.copy2(key, scratch / key.name)
        stack.restore(keep / "threadline.dump")
        setup["restore kept demo database"] = time.perf_counter() - started
        return
    setup["migrate"] = _manage(direct, log, "migrate", "--noinput", "-v", "0")
    setup["demo data"] = _manage(direct, log, "load_demo")
    keep.mkdir(parents=True, exist_ok=True)
    stack.dump(keep / "threadline.dump")
    for key in scratch.glob(".*"):
        shutil.copy2(key, keep / key.name)


def _wait_http(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 — loopback only
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer 200 within {seconds:.0f} s")


def _app(env: dict[str, str], port: int, log: IO[bytes]) -> list[subprocess.Popen[bytes]]:
    """gunicorn (2 sync workers, as on a 2-core host) and the huey worker."""
    options = ["--workers", "2", "--bind", f"127.0.0.1:{port}", "--timeout", "60", "--no-control-socket"]
    server = subprocess.Popen(  # noqa: S603
        [PYTHON, "-m", "gunicorn", "threadline.wsgi", *options],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    worker = subprocess.Popen(  # noqa: S603
        [PYTHON, "manage.py", "run_huey"], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    return [server, worker]


def _stop(children: list[subprocess.Popen[bytes]]) -> None:
    for child in reversed(children):
        if child.poll() is None:
            child.terminate()  # by its own pid: gunicorn's master stops its workers, huey its threads
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait(timeout=10)


def _locust(base: str, samples: Path, scratch: Path, log: IO[bytes]) -> None:
    env = dict(os.environ)
    env.update(
        BENCH_LOAD_STEPS=",".join(map(str, STEPS)),
        BENCH_LOAD_STEP_SECONDS=str(STEP_SECONDS),
        BENCH_LOAD_SAMPLES=str(samples),
        PYTHONPATH=str(ROOT / "bench"),
    )
    options = [
        "--headless",
        "--host",
        base,
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--stop-timeout",
        "10",
    ]
    subprocess.run(  # noqa: S603
        [PYTHON, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), *options],
        cwd=scratch,
        env=env,
        check=False,  # locust exits 1 when any request failed: the table says how many
        stdout=log,
        stderr=log,
        timeout=len(STEPS) * STEP_SECONDS + 180,
    )


def _steps(samples: Path, lags: list[tuple[float, float, float]]) -> list[Step]:
    """Group the samples (one JSON line per request, written by the locustfile) by step."""
    rows = [json.loads(line) for line in samples.read_text().splitlines() if line.strip()]
    if not rows:
        return []
    start = min(r["t"] for r in rows)  # the first sign-in, within a second of locust's start
    out = []
    for n, users in enumerate(STEPS):
        low, high = start + n * STEP_SECONDS + WARM_UP_SECONDS, start + (n + 1) * STEP_SECONDS
        inside = [r for r in rows if low <= r["t"] < high]
        interactive = [r["ms"] for r in inside if r["name"] not in SUMMARIES and not r["error"]]
        summaries: dict[str, list[float]] = {}
        for r in inside:
            if r["name"] in SUMMARIES and not r["error"]:
                summaries.setdefault(r["name"], []).append(r["ms"])
        lag = [(b, s) for t, b, s in lags if low <= t < high and not math.isnan(b)]
        out.append(
            Step(
                users=users,
                seconds=high - low,
                requests=len(inside),
                errors=sum(1 for r in rows if start + n * STEP_SECONDS <= r["t"] < high and r["error"]),
                p50=percentile(interactive, 0.5) if interactive else math.nan,
                p95=percentile(interactive, 0.95) if interactive else math.nan,
                p99=percentile(interactive, 0.99) if interactive else math.nan,
                summaries={k: percentile(v, 0.95) for k, v in summaries.items()},
                lag_bytes=max((b for b, _s in lag), default=math.nan),
                lag_seconds=max((s for _b, s in lag), default=math.nan),
            )
        )
    return out


def _errors_by_kind(samples: Path) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for line in samples.read_text().splitlines():
        row = json.loads(line)
        if row["error"]:
            key = f"{row['name']}: {row['error'][:80]}"
            kinds[key] = kinds.get(key, 0) + 1
    return kinds


def _ms(value: float) -> str:
    return f"{'—' if math.isnan(value) else f'{value:.0f}':>7}"


def _print(steps: list[Step], setup: dict[str, float], samples: Path) -> None:
    print("\nThreadline mixed load (gunicorn 2 workers + huey, pgbouncer → PostgreSQL primary, replica)")
    print("  set-up: " + ", ".join(f"{k} {v:.0f}s" for k, v in setup.items()))
    print(f"  {'people':>6} {'req/s':>7} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
          f"  {'dashboard p95':>13} {'replica lag max':>20}")  # fmt: skip
    for s in steps:
        dash = s.summaries.get("supervisor dashboard")
        print(
            f"  {s.users:>6} {s.rate:>7.1f} {s.requests:>8} {s.errors:>6} {_ms(s.p50)} {_ms(s.p95)} {_ms(s.p99)}"
            f"  {'' if dash is None else f'{dash:.0f} ms':>13} {f'{s.lag_bytes:,.0f} B / {s.lag_seconds:.2f} s':>20}"
        )
    good = [s for s in steps if s.p95 < TARGET_P95_MS and s.errors == 0]
    errors = sum(s.errors for s in steps)
    best = max(good, key=lambda s: s.rate, default=None)
    if best is None:
        print(f"  no step kept p95 under {TARGET_P95_MS:.0f} ms with 0 errors")
    else:
        print(
            f"  highest rate with p95 < {TARGET_P95_MS:.0f} ms and 0 errors: {best.rate:.1f} req/s ({best.users} people)"
        )
    print(f"  errors in the whole run: {errors}")
    for kind, count in sorted(_errors_by_kind(samples).items(), key=lambda kv: -kv[1])[:8]:
        print(f"    {count:>5} × {kind}")


def main() -> None:
    scratch = Path(tempfile.mkdtemp(prefix="threadline-load-"))
    log_path = ROOT / "var" / "bench-load.log"
    log_path.parent.mkdir(exist_ok=True)
    setup: dict[str, float] = {}
    children: list[subprocess.Popen[bytes]] = []
    with open(log_path, "wb") as log:
        stack = Stack(log)
        try:
            started = time.perf_counter()
            stack.start_primary()
            setup["primary"] = time.perf_counter() - started
            _prepared(stack, scratch, log, setup)
            started = time.perf_counter()
            stack.start_replica()
            stack.start_bouncer()
            setup["replica+pgbouncer"] = time.perf_counter() - started
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            children = _app(_env(stack, scratch, pooled=True), port, log)
            _wait_http(f"{base}/healthz")
            print(f"running locust: {STEPS} people, {STEP_SECONDS}s each (log: {log_path}) ...", flush=True)
            read_before = stack.replica_rows_read()
            grown = {table: stack.primary_count(table) for table in GROWING}
            sampler = LagSampler(stack)
            sampler.start()
            samples = scratch / "samples.jsonl"
            _locust(base, samples, scratch, log)
            sampler.done.set()
            sampler.join(timeout=10)
            _print(_steps(samples, sampler.samples), setup, samples)
            print(f"  rows read on the replica during the run: {stack.replica_rows_read() - read_before:,}")
            requests = sum(1 for _line in samples.read_text().splitlines())
            for table, before in grown.items():
                added = stack.primary_count(table) - before
                print(f"  {table}: {added:,} rows written, {added / max(1, requests):.2f} per request")
        finally:
            _stop(children)
            stack.stop()
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()

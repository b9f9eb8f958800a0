"""Crash safety: kill -9 the app server and the huey worker in the middle of bursts of public /refer/
submissions, restart them, and check that every acknowledged referral is there, whole, and that the
access ledger verifies.

"Acknowledged" means the person saw the thank-you page (HTTP 200 to the POST). Each submission carries a
unique marker in its (encrypted) text, so the check decrypts every referral and looks the markers up.
"Whole" means: every field decrypts, the eligibility decision, both mandatory-report clocks, the ledger
row and the on-call alert exist. Referrals written but not acknowledged (killed between commit and
answer) are counted too: that is allowed, a lost acknowledged one is not.

Only loopback: the server listens on 127.0.0.1 at a free port; rounds and requests are bounded.
Tune with CRASH_ROUNDS (default 3) and CRASH_THREADS (default 3).
"""

from __future__ import annotations

import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from benchlib import Row, public_referral_form

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = int(os.environ.get("CRASH_ROUNDS", "3"))
THREADS = int(os.environ.get("CRASH_THREADS", "3"))
MARK = "crash-bench-marker-"

RESULTS: dict[str, Any] = {}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _child_env() -> dict[str, str]:
    from django.db import connection

    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "crash_settings"
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "bench"), str(ROOT)])
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        user = settings.get("USER") or "postgres"
        auth = f"{user}:{settings['PASSWORD']}" if settings.get("PASSWORD") else user
        env["DATABASE_URL"] = (
            f"postgres://{auth}@{settings['HOST']}:{settings['PORT'] or 5432}/{settings['NAME']}"
        )
    else:
        env["DATABASE_URL"] = f"sqlite:///{settings['NAME']}"
    env.pop("REQUIRE_DATABASE_VENDOR", None)
    return env


class Processes:
    """The app server and the worker (no dataclasses: bench/run.py loads this file without a module)."""

    def __init__(self, *, port: int, env: dict[str, str], log: Any) -> None:
        self.port, self.env, self.log = port, env, log
        self.server: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        python = sys.executable
        self.server = subprocess.Popen(  # noqa: S603
            [python, "manage.py", "runserver", "--noreload", "--nothreading", f"127.0.0.1:{self.port}"]
            if os.environ.get("CRASH_NOTHREADING")
            else [python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{self.port}"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=self.log,
        )
        self.worker = subprocess.Popen(  # noqa: S603
            [python, "manage.py", "run_huey", "--workers", "2"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=self.log,
        )
        import requests

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{self.port}/healthz", timeout=2).status_code == 200:
                    requests.get(f"http://127.0.0.1:{self.port}/refer/", timeout=30)  # warm the lazy imports
                    return
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError("the app server did not come up within 60 s")

    def kill(self) -> int:
        """SIGKILL both (only the processes this bench started, by their own pid)."""
        killed = 0
        for proc in (self.server, self.worker):
            if proc is not None and proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
                killed += 1
        return killed


class Tally:
    def __init__(self) -> None:
        self.acknowledged: set[str] = set()
        self.refused = 0
        self.broken = 0  # connection dropped: the outcome is unknown to the sender
        self.sent = 0
        self.lock = threading.Lock()


def _submit(base: str, tally: Tally) -> None:
    import requests

    marker = MARK + uuid.uuid4().hex
    session = requests.Session()
    try:
        page = session.get(f"{base}/refer/", timeout=10)
    except requests.RequestException:
        time.sleep(0.2)  # the server is down: nothing was sent, try again shortly
        return
    try:
        form = public_referral_form(page.text, f"Fictional crash-bench referral {marker}")
        if form is None:
            with tally.lock:
                tally.refused += 1
            return
        with tally.lock:
            tally.sent += 1
        answer = session.post(
            f"{base}/refer/",
            data=form,
            headers={"Referer": f"{base}/refer/"},
            timeout=15,
        )
    except requests.RequestException:
        with tally.lock:
            tally.broken += 1
        return
    with tally.lock:
        if answer.status_code == 200:
            tally.acknowledged.add(marker)
        else:
            tally.refused += 1


def _burst(base: str, tally: Tally, stop: threading.Event) -> None:
    while not stop.is_set():
        _submit(base, tally)


def _prepare_on_call() -> None:
    """A region with someone on call, so each referral raises an alert and queues an SMS for the worker."""
    from datetime import timedelta

    from django.utils import timezone

    from threadline.accounts.models import User
    from threadline.intake.models import OnCallPhone, Program, Region, Shift

    program = Program.objects.get(slug="demo-five-county")
    region, _ = Region.objects.get_or_create(program=program, name="Crash-bench area")
    person, created = User.objects.get_or_create(
        email="oncall@crash-bench.test", defaults={"full_name": "On Call"}
    )
    if created:
        OnCallPhone.objects.create(user=person, sms_number="+12105550100")
    now = timezone.now()
    Shift.objects.create(
        region=region, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=6), primary=person
    )


def _check(acknowledged: set[str]) -> dict[str, Any]:
    from django.db import connection

    from threadline.audit.ledger import verify_and_store
    from threadline.audit.models import AccessEvent
    from threadline.crypto.fields import DecryptionFailed
    from threadline.intake.models import Alert, MandatoryReport, Referral

    connection.close()  # read what the killed processes left, not a cached view
    present: set[str] = set()
    half_written: list[str] = []
    ledgered = set(
        AccessEvent.objects.filter(object_type="referral", action="create").values_list(
            "object_id", flat=True
        )
    )
    alerted = set(Alert.objects.filter(object_type="referral").values_list("object_id", flat=True))
    reports: dict[Any, int] = {}
    for row in MandatoryReport.objects.values_list("referral_id", flat=True):
        reports[row] = reports.get(row, 0) + 1
    referrals = list(Referral.objects.select_related("data_key"))
    for referral in referrals:
        try:
            text = referral.what_is_known
            _ = (referral.youth_name, referral.youth_phone, referral.referrer_contact)
        except DecryptionFailed:
            half_written.append(f"{referral.pk}: does not decrypt")
            continue
        found = re.search(MARK + r"[0-9a-f]{32}", text or "")
        if found:
            present.add(found.group(0))
        problems = []
        if referral.decision_id is None:
            problems.append("no eligibility decision")
        if reports.get(referral.pk, 0) != len(MandatoryReport.Agency.values):
            problems.append("mandatory-report clocks missing")
        if str(referral.pk) not in ledgered:
            problems.append("no ledger row")
        if str(referral.pk) not in alerted:
            problems.append("no on-call alert")
        if problems:
            half_written.append(f"{referral.pk}: {', '.join(problems)}")
    verified = verify_and_store()
    return {
        "referrals": len(referrals),
        "present": len(acknowledged & present),
        "lost": sorted(acknowledged - present),
        "unacknowledged_but_written": len(present - acknowledged),
        "half_written": half_written,
        "ledger_ok": verified.ok,
        "ledger_rows": verified.rows_checked,
    }


def run() -> list[Row]:
    from django.conf import settings

    _prepare_on_call()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = Path(settings.VAR_DIR) / "crash-bench.log"
    tally = Tally()
    faults = 0
    rng = random.Random(9)  # timing jitter, not security
    started = time.perf_counter()
    with open(log_path, "ab") as log:
        procs = Processes(port=port, env=_child_env(), log=log)
        procs.start()
        for _round in range(ROUNDS):
            stop = threading.Event()
            threads = [threading.Thread(target=_burst, args=(base, tally, stop)) for _ in range(THREADS)]
            for t in threads:
                t.start()
            time.sleep(rng.uniform(4.0, 7.0))  # mid-burst
            faults += procs.kill()
            stop.set()
            for t in threads:
                t.join(timeout=30)
            procs.start()  # restart: the app must come back on whatever the kill left
        time.sleep(2.0)  # let the restarted worker drain what the last kill left queued
        faults += procs.kill()
    outcome = _check(tally.acknowledged)
    elapsed = time.perf_counter() - started
    ok = not outcome["lost"] and not outcome["half_written"] and outcome["ledger_ok"]
    RESULTS.update(
        {
            "faults": faults,
            "acknowledged": len(tally.acknowledged),
            "sent": tally.sent,
            "broken": tally.broken,
            "refused": tally.refused,
            "elapsed_s": elapsed,
            "ok": ok,
            **outcome,
        }
    )
    note = (
        f"{outcome['present']}/{len(tally.acknowledged)} acknowledged present; {len(outcome['half_written'])} half-written; "
        f"{outcome['unacknowledged_but_written']} written unacknowledged; {tally.broken} dropped; "
        f"ledger {'ok' if outcome['ledger_ok'] else 'FAILED'} ({outcome['ledger_rows']} rows); {faults} kill -9"
    )
    for line in outcome["half_written"][:5]:
        print(f"  half-written: {line}")
    return [
        Row(
            "crash",
            "kill -9 server+worker in /refer/ bursts",
            len(tally.acknowledged),
            0.0,
            0.0,
            "0 lost, 0 half",
            note,
        )
    ]

"""Outcomes at scale: the supervisor's dashboard and the funder report over 50,000 fictional youths.

The caseload is the outcomes generator's (``threadline/outcomes/demo_generate.py``, seeded), written in
bulk by ``outcomes.demo_caseload_services.generated_caseload_write``: every youth with its wrapped data key and
encrypted name, birth date, phone and gender words, a referral (with the clocks and the eligibility
decision), a care team, closures, missing episodes, placements with encrypted addresses, stage of
change, check-ins, meetings, case notes, screenings, plan services and tasks. Over two years, so a
fiscal year holds about half of them.

The measures are counted in the database (``threadline/outcomes/count_selectors/``): grouped queries whose
cost follows the groups, not the youths; the gender words are not opened (their group is kept).

Figures, each beside its floor (the bare SQL the measures cannot avoid):
- the supervisor dashboard page (``GET /outcomes/``, signed in, whole request: policy, ledger row,
  measures, template, SVG map) for the last 30 days and for the fiscal year to date; target p95 < 1 s;
- the funder report (PDF and XLSX, suppressed, with the differencing guard, ledgered) for the last
  fiscal year; target < 10 s;
- and the pages rendered: the report's first PDF page is turned into a PNG (pypdfium2) under the temp
  directory printed, to be looked at.

``BENCH_OUTCOMES_YOUTHS=5000`` tries another size. With ``BENCH_KEEP_DATABASE=1`` (PostgreSQL, bench/run.py)
the caseload is written once into the database DATABASE_URL names and reused by later runs:

    DATABASE_URL=postgres://…/h_outcomes BENCH_KEEP_DATABASE=1 .venv/bin/python bench/run.py bench_outcomes
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import statistics
import tempfile
import time
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from bench_paths import signed_in
from benchlib import Row, measure, percentile
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone

from threadline.accounts.models import Organization, User
from threadline.care.instruments import DEMO_INSTRUMENT, load_file
from threadline.care.services.instruments import instrument_load
from threadline.core.roles import OrganizationType, Role
from threadline.intake.models import Program, Region
from threadline.outcomes import config, services
from threadline.outcomes import demo_generate as generate
from threadline.outcomes.demo_caseload_services import CaseloadSetting, generated_caseload_write
from threadline.outcomes.measures.facts import Period, fiscal_year

# The dashboard counted afresh (the cache cleared before each view), as the first view after the figures
# expire: BENCH_OUTCOMES_COLD views per period (20 gives a p95 worth reading; 3 keeps `make bench` short).
COLD_REPEATS = int(os.environ.get("BENCH_OUTCOMES_COLD", "3"))


def _person(email: str, org: Organization, role: str) -> User:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from threadline.accounts.models import Membership

    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email=email, password=secrets.token_urlsafe(24), full_name=email.split("@")[0].title()
    )
    Membership.objects.get_or_create(user=user, organization=org, role=role)
    if not Authenticator.objects.filter(user=user).exists():
        TOTP.activate(user, generate_totp_secret())
    return user


def setup(size: int) -> tuple[Organization, User, float]:
    org, _ = Organization.objects.get_or_create(
        name="Bench Valley Advocacy Center",
        defaults={"org_type": OrganizationType.CAC, "is_care_coordinator": True},
    )
    supervisor = _person("supervisor@bench.test", org, Role.SUPERVISOR)
    advocate = _person("advocate@bench.test", org, Role.CSEY_ADVOCATE)
    coordinator = _person("coordinator@bench.test", org, Role.CARE_COORDINATOR)
    programs = []
    for slug in ("demo-five-county", "demo-central-texas"):
        program = Program.objects.get(slug=slug)
        program.organization = org
        program.save(update_fields=["organization"])
        Region.objects.get_or_create(program=program, name=f"{slug} region")
        programs.append(program.pk)
    loaded = instrument_load(
        definition=load_file(DEMO_INSTRUMENT), licence_attestation="", source=str(DEMO_INSTRUMENT)
    )
    setting = CaseloadSetting(
        organization_id=org.pk,
        advocate_id=advocate.pk,
        coordinator_id=coordinator.pk,
        program_ids=tuple(programs),
        instrument_id=loaded.instrument.pk,
    )
    kept = _kept_caseload(org, size)
    if kept:
        print(f"  {kept:,} youths kept from an earlier run (BENCH_KEEP_DATABASE=1), not written", flush=True)
        return org, supervisor, 0.0
    started = time.perf_counter()
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    written = generated_caseload_write(
        setting=setting,
        youths=generate.iter_youths(seed=12, youths=size, end=today, tz=tz),
        others=generate.other_referrals(seed=12, count=size // 5, end=today, tz=tz),
        batch=400,
    )
    seconds = time.perf_counter() - started
    print(f"  {written:,} youths written in {seconds:.1f}s", flush=True)
    analyze()
    return org, supervisor, seconds


def _kept_caseload(org: Organization, size: int) -> int:
    """The youths an earlier run wrote for this organization, when the bench runs on a kept database
    (``BENCH_KEEP_DATABASE=1``, bench/run.py) and holds the size asked for; 0 otherwise (write anew).
    The caseload was written relative to its day: a kept one ages, so its periods drift a little."""
    if os.environ.get("BENCH_KEEP_DATABASE") != "1":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM youth_youth WHERE created_by_org_id = %s", [org.pk])
        (count,) = cursor.fetchone() or (0,)
    if count and count != size:
        raise SystemExit(f"the kept database holds {count:,} bench youths, not {size:,}: use a new database")
    return int(count)


def analyze() -> None:
    """Refresh the planner's statistics after a bulk load (PostgreSQL): freshly written tables have
    none until autovacuum gets to them, and the counting queries were planned badly (15 s instead of
    4 s for the dashboard at 50,000 youths)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _get(client: Client, path: str, _i: int) -> object:
    return client.get(path)


def _floor_ms(sql: str, params: Sequence[Any], repeats: int = 5) -> float:
    samples = []
    with connection.cursor() as cursor:
        for _ in range(repeats):
            started = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            samples.append((time.perf_counter() - started) * 1000)
    return min(samples)


def run() -> list[Row]:
    size = int(os.environ.get("BENCH_OUTCOMES_YOUTHS", "50000"))
    org, supervisor, seconds = setup(size)
    return measure_all(org, supervisor, size, seconds)


def measure_all(org: Organization, supervisor: User, size: int, seconds: float) -> list[Row]:
    """Every figure, on a caseload already written (``setup``)."""
    rows = []
    if seconds:  # not when the caseload was kept from an earlier run (BENCH_KEEP_DATABASE=1)
        rows.append(
            Row(
                "outcomes",
                f"generate {size:,} youths (bulk, encrypted)",
                size,
                seconds * 1000 / size,
                seconds * 1000 / size,
                note=f"ms per youth; total {seconds:.0f}s",
            )
        )
    client = signed_in(supervisor)  # with the second factor in the session, as the MFA middleware asks
    for period in ("30d", "fytd"):
        cache.clear()
        response = client.get(f"/outcomes/?period={period}")
        assert response.status_code == 200, response.status_code

        cold_ms = []
        for _ in range(COLD_REPEATS):
            cache.clear()  # counted afresh, as the first view after the figures expire
            started = time.perf_counter()
            client.get(f"/outcomes/?period={period}")
            cold_ms.append((time.perf_counter() - started) * 1000)
        rows.append(
            Row(
                "outcomes",
                f"supervisor dashboard ({period}), counted afresh",
                COLD_REPEATS,
                percentile(cold_ms, 0.5),
                percentile(cold_ms, 0.95),
                target="(first view only)",
                note=f"{len(response.content) // 1024} kB page",
            )
        )
        rows.append(
            measure(
                "outcomes",
                f"supervisor dashboard ({period}), figures reused",
                partial(_get, client, f"/outcomes/?period={period}"),
                repeats=30,
                target="p95 < 1000 ms",
                note=f"within OUTCOMES_DASHBOARD_CACHE_SECONDS ({config.dashboard_cache_seconds()} s)",
            )
        )
    team_floor = _floor_ms(
        "SELECT youth_id, started_on, ended_on FROM access_careteammember WHERE organization_id = %s",
        [org.pk],
    )
    rows.append(
        Row(
            "outcomes",
            "floor: care-team spans, one SELECT",
            1,
            team_floor,
            team_floor,
            note="the served-youths scan every dashboard needs",
        )
    )
    today = timezone.localdate()
    last_year = fiscal_year(fiscal_year(today, 10).start - dt.timedelta(days=1), 10)
    preview = f"/outcomes/report/?start={last_year.start.isoformat()}&end={last_year.end.isoformat()}"
    preview_ms = []
    for _ in range(3):
        started = time.perf_counter()
        assert client.get(preview).status_code == 200
        preview_ms.append((time.perf_counter() - started) * 1000)
    rows.append(
        Row(
            "outcomes",
            "funder report preview (last FY)",
            3,
            sorted(preview_ms)[1],
            max(preview_ms),
            target="< 10000 ms",
        )
    )
    out = Path(tempfile.mkdtemp(prefix="threadline-bench-report-"))
    samples = []
    files: list[services.ExportFile] = []
    for _ in range(2):
        started = time.perf_counter()
        files = services.organization_report_files(
            organization=org,
            actor=None,
            period=Period(last_year.start, last_year.end),
            formats=("pdf", "xlsx"),
            purpose="benchmark of the funder report",
        )
        samples.append((time.perf_counter() - started) * 1000)
    for file in files:
        (out / file.name).write_bytes(file.content)
    pdf = next(f for f in files if f.name.endswith(".pdf"))
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf.content)
    for index in range(min(len(document), 3)):
        document[index].render(scale=1.5).to_pil().save(out / f"report-page{index + 1}.png")
    rows.append(
        Row(
            "outcomes",
            "funder report PDF+XLSX (last FY)",
            len(samples),
            statistics.median(samples),
            max(samples),
            target="< 10000 ms",
            note=f"{len(document)} PDF pages; files in {out}",
        )
    )
    gender_floor = _floor_ms(
        "SELECT y.gender_group, COUNT(*) FROM youth_youth y WHERE y.id IN "
        "(SELECT youth_id FROM access_careteammember WHERE organization_id = %s) GROUP BY y.gender_group",
        [org.pk],
        repeats=3,
    )
    rows.append(
        Row(
            "outcomes",
            "floor: youths by gender group, one grouped SELECT",
            1,
            gender_floor,
            gender_floor,
            note="the words stay sealed; their group is kept beside them",
        )
    )
    print(f"  report files and page images: {out}", flush=True)
    return rows

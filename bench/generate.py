"""One seeded generator of a whole fictional network, at named scales (issue 18).

    python bench/generate.py small            # into the database DATABASE_URL names (or a SQLite file)

``small``: 2,000 youths; ``state``: 50,000 youths, 120,000 referrals, about 2,000,000 case notes,
timeline events and ledger rows, 600 organizations, 6,000 users, 20,000 services; ``nation``:
500,000 youths and 200,000 services (PostgreSQL only).

The caseload is the outcomes generator's (``threadline/outcomes/demo_generate.py`` plans it,
``outcomes.demo_caseload_services.generated_caseload_write`` writes it in bulk): the demo loader and
this generator share that code; here its ``write`` hook copies each table's rows in with
``bench/fastwrite.py`` (COPY on PostgreSQL, executemany on SQLite: the rows ``bulk_create`` would
write, encrypted fields sealed by their own ``pre_save``; tests/outcomes/test_caseload_bulk_write.py).
Each batch's transaction also gets, through the writer's ``extras`` hook, what a record gathers over
the years and the demo does not need, built as plain rows: timeline events (summaries sealed with the
youth's key, as the encrypted field seals them), access-ledger rows (hash-chained as
``ledger.record_many`` chains them: ``audit_verify`` passes) and the blind-index search rows
(computed as ``search_index.reindex`` does, without its per-youth queries). The directory's services
come from ``threadline/directory/generate.py``. Commits do not wait for the disk while generating.
Rows per second are printed per stage.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
import sys
import time
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

if __name__ == "__main__":  # run as a script: Django first (inside run.py, it is set up already)
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
    from run import setup_django

    setup_django()

from django.db import connection
from django.utils import timezone

from threadline.accounts.models import Membership, Organization, User
from threadline.core.roles import OrganizationType, Role
from threadline.crypto import blind
from threadline.outcomes.demo_generate import GenYouth

SEED = 20261201
VERSION = 2  # raise when what ``build`` writes changes: kept SQLite copies (``cached``) are keyed by it


@dataclass(frozen=True)
class Scale:
    youths: int
    organizations: int
    users: int
    services: int
    timeline_per_youth: int  # with the ledger rows and the generator's notes: about 40 rows a youth
    ledger_per_youth: int
    other_referrals_per_youth: float  # referrals that never became a youth record


SCALES: dict[str, Scale] = {
    "small": Scale(2_000, 30, 300, 2_000, 20, 16, 1.4),
    "state": Scale(50_000, 600, 6_000, 20_000, 20, 16, 1.4),
    "nation": Scale(500_000, 6_000, 60_000, 200_000, 20, 16, 1.4),
}
CASELOAD_PER_ADVOCATE = 25


@dataclass
class Network:
    """What the benchmarks need from a generated network."""

    scale: str
    organization: Organization
    coordinator: User
    supervisor: User
    advocate: User  # one of the advocates sharing the caseload
    partner: User
    youth_ids: list[uuid.UUID] = field(default_factory=list)  # a sample, in generation order
    names: list[str] = field(default_factory=list)  # legal names of the sampled youths
    own_youth: uuid.UUID | None = None  # an open youth on ``advocate``'s caseload
    stages: list[tuple[str, int, float]] = field(default_factory=list)  # (stage, rows, seconds)

    def report(self) -> str:
        return "; ".join(
            f"{name} {rows:,} rows {rows / max(s, 1e-9):,.0f}/s" for name, rows, s in self.stages
        )


@lru_cache(maxsize=200_000)
def _word_digests(word: str) -> frozenset[str]:
    return frozenset(blind.name_digests(word).get(word, set()))


def token_rows(
    preferred: str, legal: str, alias_names: list[str], dob: dt.date | None, phones: list[str]
) -> list[tuple[str, str]]:
    """The blind-index rows ``search_index.reindex`` writes, as (kind, digest), without its per-youth
    queries (and each word's digests computed once: names repeat)."""
    rows: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for text in [preferred, legal, *alias_names]:
        for word in blind.name_tokens(text):
            for digest in _word_digests(word):
                if ("name", digest) not in seen:
                    seen.add(("name", digest))
                    rows.append(("name", digest))
    if dob:
        rows.append(("dob", blind.dob_digest(dob)))
    for phone in phones:
        value = blind.phone_digest(phone)
        if value and ("phone", value) not in seen:
            seen.add(("phone", value))
            rows.append(("phone", value))
    return rows


def insert_tokens(rows: list[tuple[uuid.UUID, str, str]]) -> None:
    """The biggest table as plain rows (COPY on PostgreSQL): SearchToken instances would cost more than
    the rows."""
    from fastwrite import write_rows

    from threadline.youth.models import SearchToken

    on_sqlite = connection.vendor == "sqlite"
    write_rows(
        SearchToken._meta.db_table,
        "youth_id, kind, digest, token_group",
        ((youth_id.hex if on_sqlite else youth_id, kind, digest, 0) for youth_id, kind, digest in rows),
    )


TIMELINE_COLUMNS = (
    "id, youth_id, at, date_only, kind, category, summary, object_type, object_id, author_id, organization_id"
)
LEDGER_COLUMNS = (
    "seq, at, actor_id, organization_id, action, object_type, object_id, youth_id, category, purpose, "
    "request_id, ip, prev_hmac, hmac"
)


def ledger_rows(entries: list[tuple[int | None, str, str, uuid.UUID | None, str, str]]) -> None:
    """Append rows to the access ledger as ``ledger.record_many`` does (the head locked, each row's HMAC
    over the one before it, the head moved to the last), written as plain rows. Each entry is
    (organization id, action, object id, youth id, category, purpose); object type "youth", no actor."""
    from fastwrite import write_rows

    from threadline.audit import ledger
    from threadline.audit.models import AccessEvent, LedgerHead

    if not entries:
        return
    head, _ = LedgerHead.objects.select_for_update().get_or_create(id=1)
    key = ledger.current_key()[1]
    now = timezone.now()
    seq, prev = head.seq, head.hmac
    on_sqlite = connection.vendor == "sqlite"
    at = connection.ops.adapt_datetimefield_value(now) if on_sqlite else now
    out: list[tuple[Any, ...]] = []
    row = AccessEvent(at=now, actor_id=None, object_type="youth", request_id="", ip=None)  # one, reused
    for organization_id, action, object_id, youth_id, category, purpose in entries:
        seq += 1
        row.seq, row.organization_id, row.action, row.object_id = seq, organization_id, action, object_id
        row.youth_id, row.category, row.purpose, row.prev_hmac = youth_id, category, purpose, prev
        digest = ledger.compute_hmac(row, key)
        youth = youth_id.hex if on_sqlite and youth_id is not None else youth_id
        out.append(
            (
                seq,
                at,
                None,
                organization_id,
                action,
                "youth",
                object_id,
                youth,
                category,
                purpose,
                "",
                None,
                prev,
                digest,
            )
        )
        prev = digest
    write_rows(AccessEvent._meta.db_table, LEDGER_COLUMNS, out)
    head.seq, head.hmac = seq, prev
    head.save(update_fields=["seq", "hmac"])


def _users(count: int, prefix: str, org: Organization, role: str) -> list[User]:
    """Staff in bulk: no usable password (they never sign in through a form in a benchmark)."""
    users = [
        User(email=f"{prefix}-{n:06d}@bench.test", full_name=f"{prefix.title()} {n}", password="!")  # noqa: S106 — unusable
        for n in range(count)
    ]
    User.objects.bulk_create(users, batch_size=1000)
    made = list(
        User.objects.filter(email__startswith=f"{prefix}-", email__endswith="@bench.test").order_by("pk")
    )
    Membership.objects.bulk_create([Membership(user=u, organization=org, role=role) for u in made])
    return made


def _signed_in(email: str, org: Organization, role: str) -> User:
    """A person who signs in (with a second factor, as the MFA middleware requires)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = User.objects.create_user(
        email=email, password=secrets.token_urlsafe(24), full_name=email.split("@")[0].title()
    )
    Membership.objects.create(user=user, organization=org, role=role)
    TOTP.activate(user, generate_totp_secret())
    return user


def _organizations(scale: Scale) -> tuple[Organization, Organization, list[Organization]]:
    hub = Organization.objects.create(
        name="Bench Valley Advocacy Center", org_type=OrganizationType.CAC, is_care_coordinator=True
    )
    partner = Organization.objects.create(
        name="Bench Caprock DFPS Unit", org_type=OrganizationType.DFPS_TRAFFICKING
    )
    kinds = [OrganizationType.NON_PROFIT, OrganizationType.SCHOOL, OrganizationType.JUVENILE_PROBATION]
    others = [
        Organization(name=f"Bench partner agency {n:05d}", org_type=kinds[n % len(kinds)])
        for n in range(max(0, scale.organizations - 2))
    ]
    Organization.objects.bulk_create(others, batch_size=1000)
    return hub, partner, list(Organization.objects.filter(name__startswith="Bench partner agency"))


def _history(scale: Scale, rng: random.Random, hub: Organization) -> Any:
    """The writer's ``extras`` hook: timeline events, ledger rows and search rows for one batch."""
    from fastwrite import write_rows

    from threadline.access.categories import Category
    from threadline.crypto.envelope import seal
    from threadline.youth.models import TimelineEntry

    kinds = [
        ("note_added", Category.CASE_NOTES, "Case note added"),
        ("meeting_held", Category.CARE_PLAN, "Care team meeting held"),
        ("placement_changed", Category.LOCATION, "Placement changed"),
        ("plan_updated", Category.CARE_PLAN, "Care plan updated"),
        ("contact_logged", Category.RECORD, "Contact logged"),
    ]
    table = TimelineEntry._meta.db_table
    # The summary sealed as ``EncryptedTextField.pre_save`` seals it: the youth's key, the row's AAD.
    aad = f"{table}|{TimelineEntry._meta.get_field('summary').column}|"
    on_sqlite = connection.vendor == "sqlite"
    stamp = connection.ops.adapt_datetimefield_value if on_sqlite else (lambda at: at)

    def extras(youths: list[Any], generated: list[GenYouth]) -> None:
        timeline: list[tuple[Any, ...]] = []
        ledger_entries: list[tuple[int | None, str, str, uuid.UUID | None, str, str]] = []
        tokens: list[tuple[uuid.UUID, str, str]] = []
        now = timezone.now()
        for youth, g in zip(youths, generated, strict=True):
            span = max((now - g.received_at).total_seconds(), 3600.0)
            key = youth.encryption_key()
            youth_id = youth.pk.hex if on_sqlite else youth.pk
            for n in range(scale.timeline_per_youth):
                kind, category, summary = kinds[n % len(kinds)]
                at = g.received_at + dt.timedelta(seconds=rng.uniform(0, span))
                pk = uuid.uuid4()
                sealed = seal(summary.encode(), key=key, aad=f"{aad}{pk}".encode())
                row_id = pk.hex if on_sqlite else pk
                timeline.append(
                    (
                        row_id,
                        youth_id,
                        stamp(at),
                        False,
                        kind,
                        category,
                        sealed,
                        "generated",
                        "",
                        None,
                        hub.pk,
                    )
                )
            entry = (hub.pk, "view", str(youth.pk), youth.pk, "record", "fictional generated data")
            ledger_entries.extend([entry] * scale.ledger_per_youth)
            for kind, digest in token_rows(g.preferred_name, g.legal_name, [], g.date_of_birth, [g.phone]):
                tokens.append((youth.pk, kind, digest))
        write_rows(table, TIMELINE_COLUMNS, timeline)
        ledger_rows(ledger_entries)
        insert_tokens(tokens)

    return extras


def build(scale_name: str, *, seed: int = SEED, log: Any = print) -> Network:
    """Write the whole network at ``scale_name`` into the current (empty) database."""
    from fastwrite import write_models

    from threadline.care.instruments import DEMO_INSTRUMENT, load_file
    from threadline.care.services.instruments import instrument_load
    from threadline.directory.generate import generate as generate_services
    from threadline.directory.geo import TEXAS_COUNTIES, zips_in_county
    from threadline.intake.models import Program, Region
    from threadline.outcomes import demo_generate
    from threadline.outcomes.demo_caseload_services import CaseloadSetting, generated_caseload_write

    scale = SCALES[scale_name]
    if scale_name == "nation" and connection.vendor != "postgresql":
        raise SystemExit("the nation scale runs on PostgreSQL only")
    rng = random.Random(seed)
    stages: list[tuple[str, int, float]] = []

    started = time.perf_counter()
    hub, partner_org, others = _organizations(scale)
    coordinator = _signed_in("coordinator@bench.test", hub, Role.CARE_COORDINATOR)
    supervisor = _signed_in("supervisor@bench.test", hub, Role.SUPERVISOR)
    partner = _signed_in("partner@bench.test", partner_org, Role.PARTNER_STAFF)
    lead = _signed_in("advocate@bench.test", hub, Role.CSEY_ADVOCATE)
    advocates = [
        lead,
        *_users(max(1, scale.youths // CASELOAD_PER_ADVOCATE), "advocate", hub, Role.CSEY_ADVOCATE),
    ]
    spread = max(0, scale.users - len(advocates) - 4)
    for n, org in enumerate(others):
        share = spread // max(1, len(others)) + (1 if n < spread % max(1, len(others)) else 0)
        if share:
            _users(share, f"staff{n:05d}x", org, Role.PARTNER_STAFF)
    stages.append(("organizations+users", scale.organizations + scale.users, time.perf_counter() - started))
    log(f"  {stages[-1][0]}: {stages[-1][1]:,} in {stages[-1][2]:.1f}s", flush=True)

    programs = []
    for slug in ("demo-five-county", "demo-central-texas"):
        program = Program.objects.get(slug=slug)
        program.organization = hub
        program.save(update_fields=["organization"])
        Region.objects.get_or_create(program=program, name=f"{slug} region")
        programs.append(program.pk)
    loaded = instrument_load(
        definition=load_file(DEMO_INSTRUMENT), licence_attestation="", source=str(DEMO_INSTRUMENT)
    )
    setting = CaseloadSetting(
        organization_id=hub.pk,
        advocate_id=lead.pk,
        coordinator_id=coordinator.pk,
        program_ids=tuple(programs),
        instrument_id=loaded.instrument.pk,
        advocate_ids=tuple(a.pk for a in advocates),
    )
    today, tz = timezone.localdate(), timezone.get_current_timezone()
    network = Network(scale_name, hub, coordinator, supervisor, lead, partner, stages=stages)
    sample_every = max(1, scale.youths // 400)

    def youths() -> Any:
        yield from demo_generate.iter_youths(seed=seed, youths=scale.youths, end=today, tz=tz)

    started = time.perf_counter()
    _unsynced(True)  # a generated database is rebuilt, never recovered: no flush at each commit
    written = generated_caseload_write(
        setting=setting,
        youths=youths(),
        others=demo_generate.other_referrals(
            seed=seed, count=int(scale.youths * scale.other_referrals_per_youth), end=today, tz=tz
        ),
        batch=1000,
        extras=_history(scale, rng, hub),
        write=write_models,
    )
    seconds = time.perf_counter() - started
    rows = _caseload_rows()
    stages.append(("caseload", rows, seconds))
    log(
        f"  caseload: {written:,} youths, {rows:,} rows in {seconds:.1f}s ({rows / seconds:,.0f} rows/s)",
        flush=True,
    )

    started = time.perf_counter()
    counties = [c for c in sorted(TEXAS_COUNTIES) if zips_in_county(c)][:80]
    generate_services(count=scale.services, label="bench", seed=11, counties=counties)
    seconds = time.perf_counter() - started
    stages.append(("services", scale.services, seconds))
    log(f"  services: {scale.services:,} in {seconds:.1f}s ({scale.services / seconds:,.0f}/s)", flush=True)

    _unsynced(False)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would after a bulk load; plans depend on it
    _sample(network, sample_every)
    return network


def _unsynced(on: bool) -> None:
    """While generating, commits do not wait for the disk (this session only); the measurements after
    run with the engine's usual setting."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET synchronous_commit TO off" if on else "RESET synchronous_commit")
        else:
            if on:
                cursor.execute("PRAGMA synchronous")
                _unsynced.__dict__["sqlite"] = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA synchronous = {0 if on else int(_unsynced.__dict__.get('sqlite', 1))}")


def cached(scale_name: str, *, seed: int = SEED) -> Network:
    """``build``, kept between runs on SQLite: the generated file is copied under var/ (keyed by the
    scale, the seed, this file and the migrations) and copied back next time (``BENCH_FRESH=1``
    builds afresh). PostgreSQL builds every time (its bench database is created per run), unless
    ``BENCH_KEEPDB=1`` kept the database (``run.py``) and it holds a whole network at this scale."""
    import hashlib
    import os
    import shutil
    from pathlib import Path

    from django.conf import settings

    if connection.vendor != "sqlite" or os.environ.get("BENCH_FRESH"):
        if connection.vendor != "sqlite" and os.environ.get("BENCH_KEEPDB") and _generated(scale_name):
            return _network(scale_name)
        return build(scale_name, seed=seed)
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(f"{scale_name}:{seed}:{VERSION}".encode())
    writers = [
        root / "threadline/outcomes/demo_generate.py",
        root / "threadline/outcomes/demo_caseload_services.py",
    ]
    for path in [*writers, *sorted(root.glob("threadline/*/migrations/*.py"))]:
        digest.update(path.read_bytes())
    keep = root / "var" / f"bench-{scale_name}-{digest.hexdigest()[:16]}.sqlite3"
    live = Path(str(settings.DATABASES["default"]["NAME"]))
    if keep.exists():
        connection.close()
        shutil.copyfile(keep, live)
        return _network(scale_name)
    network = build(scale_name, seed=seed)
    connection.close()
    shutil.copyfile(live, keep)
    return network


def _generated(scale_name: str) -> bool:
    """Whether the database holds a whole network at this scale (its last stage, the services, done);
    refuses one at another scale or half written, which ``build`` cannot write over."""
    from threadline.directory.models import Service
    from threadline.youth.policy import youth_for_maintenance

    youths = youth_for_maintenance().count()
    if not youths:
        return False
    scale = SCALES[scale_name]
    if youths == scale.youths and Service.objects.count() >= scale.services:
        return True
    raise SystemExit(
        f"BENCH_KEEPDB: the kept database holds {youths:,} youths, not a whole {scale_name} network; "
        "run once without BENCH_KEEPDB to build it afresh"
    )


def _network(scale_name: str) -> Network:
    """A network already in the database (``cached``)."""
    hub = Organization.objects.get(name="Bench Valley Advocacy Center")
    people = {u.email.split("@")[0]: u for u in User.objects.filter(email__in=[
        f"{n}@bench.test" for n in ("coordinator", "supervisor", "advocate", "partner")])}  # fmt: skip
    network = Network(
        scale_name, hub, people["coordinator"], people["supervisor"], people["advocate"], people["partner"]
    )
    _sample(network, max(1, SCALES[scale_name].youths // 400))
    return network


def _caseload_rows() -> int:
    from threadline.audit.models import AccessEvent
    from threadline.care.models import CaseNote
    from threadline.intake.models import Referral
    from threadline.youth.models import SearchToken, TimelineEntry, Youth

    return sum(
        m.objects.count() for m in (Youth, Referral, CaseNote, TimelineEntry, AccessEvent, SearchToken)
    )


def _sample(network: Network, every: int) -> None:
    from threadline.access.models import CareTeamMember
    from threadline.youth.models import Youth

    open_ids = CareTeamMember.objects.filter(ended_on__isnull=True).values("youth_id")
    ids = list(
        Youth.objects.filter(pk__in=open_ids)
        .order_by("reference")
        .values_list("pk", flat=True)[::every][:400]
    )
    network.youth_ids = ids

    network.own_youth = (
        CareTeamMember.objects.filter(person=network.advocate, ended_on__isnull=True)
        .order_by("youth_id")
        .values_list("youth_id", flat=True)
        .first()
    )
    network.names = [
        y.legal_name or "" for y in Youth.objects.filter(pk__in=ids[:100]).select_related("data_key")
    ]


def main() -> None:
    scale = sys.argv[1] if len(sys.argv) > 1 else "small"
    if scale not in SCALES:
        raise SystemExit(f"scale must be one of {', '.join(SCALES)}")
    started = time.perf_counter()
    network = build(scale)
    print(f"{scale}: built in {time.perf_counter() - started:.0f}s; {network.report()}")


if __name__ == "__main__":
    main()

"""One referral against 100,000 encrypted youths, through the app's own selector as the Care
Coordinator (blind-index blocking, access policy, encrypted profiles, scoring, ledger rows for the
candidates shown): p50/p95/p99, and the time to build the matcher's index for all of them.

The youths are bulk-loaded as the services would write them (a wrapped data key each, sealed names and
birth date, the coordinator on the care team); the matcher's rows are computed by ``matching.index``
(``bulk_rows``: the same digests and profile as ``youth_index_update``, checked on a sample).
Set ``BENCH_MATCH_YOUTHS`` for another size.

Loading 100,000 youths and building their index takes minutes. On PostgreSQL, ``BENCH_KEEP_DB=1`` keeps
the bench database between runs (``bench/run.py``) and this bench reuses the youths it finds there when
they were made for the same size by the same code (a fingerprint of the generator, the index code and
the migrations, kept in the bench organization's name): only the referrals are made and matched again.
The build time and the index update are then not measured (printed as "kept"). Otherwise, or when the
code changed, run once without ``BENCH_KEEP_DB`` to make the data afresh.
"""

from __future__ import annotations

import hashlib
import os
import random
import time
from datetime import date
from pathlib import Path
from typing import Any

from benchlib import Row, percentile
from django.db import connection, transaction
from django.utils import timezone

from threadline.access.models import CareTeamMember, TeamRole
from threadline.accounts.models import Membership, Organization, User
from threadline.core.roles import OrganizationType, Role
from threadline.crypto.envelope import new_data_key, wrap_data_key
from threadline.crypto.models import DataKey
from threadline.matching.bulk import index_rebuild
from threadline.matching.index import digests_of, person_of, profile_of
from threadline.matching.models import BlockKey, MatchProfile
from threadline.youth.models import Youth, new_reference

YOUTHS = int(os.environ.get("BENCH_MATCH_YOUTHS", "100000"))
BATCH = 1000
INDEX_BATCH = 5000
REPEATS = 200


def _fingerprint() -> str:
    """What the loaded rows depend on: the size, the generator, the matcher's index code, the crypto
    and the migrations (a kept database is reused only when they are the same)."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(str(YOUTHS).encode())
    sources = [root / "bench" / "bench_matching.py"]
    sources += [root / "threadline" / "matching" / f"{name}.py" for name in ("blocking", "bulk", "compare")]
    sources += [root / "threadline" / "matching" / f"{name}.py" for name in ("index", "models", "names")]
    sources += sorted((root / "threadline" / "crypto").glob("*.py"))
    sources += sorted(root.glob("threadline/*/migrations/*.py"))
    for path in sources:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def _org_name() -> str:
    return f"Bench Llano Estacado Advocacy Center ({YOUTHS} youths, {_fingerprint()})"


def _kept() -> Membership | None:
    """The coordinator of the youths a kept database holds, when they were made by this code."""
    if os.environ.get("BENCH_KEEP_DB") != "1" or not Youth.objects.exists():
        return None
    membership = Membership.objects.filter(organization__name=_org_name()).select_related("user").first()
    if membership is None or MatchProfile.objects.count() != YOUTHS:
        raise SystemExit(
            "The kept bench database holds youths made for another size or by other code: "
            "run once without BENCH_KEEP_DB=1 to make them afresh."
        )
    return membership


def _people() -> Membership:
    org = Organization.objects.create(
        name=_org_name(), org_type=OrganizationType.CAC, is_care_coordinator=True
    )
    user = User.objects.create_user("matcher@bench.test", full_name="Bench Matcher")
    return Membership.objects.create(user=user, organization=org, role=Role.CARE_COORDINATOR)


def load_youths(coordinator: Membership, generated: list[Any]) -> tuple[list[Youth], float]:
    started = time.perf_counter()
    today = timezone.localdate()
    references: set[str] = set()
    youths: list[Youth] = []
    for start in range(0, len(generated), BATCH):
        keys, batch, team = [], [], []
        for g in generated[start : start + BATCH]:
            key = DataKey()
            key.master_key_id, key.wrapped = wrap_data_key(new_data_key(), data_key_id=str(key.id))
            keys.append(key)
            reference = new_reference()
            while reference in references:
                reference = new_reference()
            references.add(reference)
            youth = Youth(
                data_key=key,
                reference=reference,
                preferred_name=g.legal,
                legal_name=g.legal,
                date_of_birth=g.dob,
                gender_identity={"f": "girl", "m": "boy"}[g.gender],
                created_by_org=coordinator.organization,
            )
            batch.append(youth)
            team.append(
                CareTeamMember(
                    youth=youth,
                    organization=coordinator.organization,
                    person=coordinator.user,
                    role=TeamRole.CARE_COORDINATOR,
                    started_on=today,
                )
            )
        with transaction.atomic():
            DataKey.objects.bulk_create(keys)
            Youth.objects.bulk_create(batch)
            CareTeamMember.objects.bulk_create(team)
        youths.extend(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the policy's plans over the freshly loaded youths
    return youths, time.perf_counter() - started


def build_index(youths: list[Youth], generated: list[Any]) -> float:
    """The matcher's rows for every youth (blocking digests and the sealed profile), as
    ``matching_reindex`` writes them, from the profiles (what ``profile_of`` reads off each record)."""
    items = [
        (
            youth,
            {
                "names": [g.legal],
                "aliases": [g.alias] if g.alias else [],
                "dob": g.dob.isoformat(),
                "age": None,
                "age_on": None,
                "gender": {"f": "girl", "m": "boy"}[g.gender],
                "phones": [g.phone] if g.phone else [],
                "counties": g.counties,
                "guardians": [g.guardian] if g.guardian else [],
            },
        )
        for youth, g in zip(youths, generated, strict=True)
    ]
    started = time.perf_counter()
    index_rebuild(items[start : start + INDEX_BATCH] for start in range(0, len(items), INDEX_BATCH))
    return time.perf_counter() - started


def _check_and_update(rng: random.Random, youths: list[Youth]) -> list[float]:
    """The bulk rows are the ones the service writes (checked on a sample); one youth's incremental
    update timed, as every youth write does it."""
    for youth in rng.sample(youths, 20):
        fresh = Youth.objects.select_related("data_key").get(pk=youth.pk)
        stored = set(BlockKey.objects.filter(youth=fresh).values_list("digest", flat=True))
        profile = MatchProfile.objects.select_related("youth__data_key").get(youth=fresh).data
        assert stored == digests_of(person_of(profile)), "bulk index rows differ from the service's"
        assert profile["names"] == [fresh.legal_name]
    sample = rng.sample(youths, 50)
    update_ms = []
    for youth in sample:
        fresh = Youth.objects.select_related("data_key").get(pk=youth.pk)
        started = time.perf_counter()
        with transaction.atomic():
            from threadline.matching.index import youth_index_update

            youth_index_update(fresh)
        update_ms.append((time.perf_counter() - started) * 1000)
    return update_ms


def run() -> list[Row]:
    import bench_matching as quality

    from threadline.intake.models import Program, Referral
    from threadline.intake.services.referrals import ReferralInput, referral_submit
    from threadline.matching.selectors import referral_candidates

    rng = random.Random(99)
    pools = quality._faker_names()
    generated = [quality.make_youth(rng, pools) for _ in range(YOUTHS)]
    kept = _kept()
    if kept is not None:
        coordinator, load_s, index_s, update_ms = kept, 0.0, 0.0, []
        rng.sample(range(YOUTHS), 20)  # the checks' draws below, so the referrals are the same ones
        rng.sample(range(YOUTHS), 50)
        print(f"reusing the {YOUTHS:,} youths kept in the bench database", flush=True)
    else:
        coordinator = _people()
        youths, load_s = load_youths(coordinator, generated)
        index_s = build_index(youths, generated)
        update_ms = _check_and_update(rng, youths)
    _ = profile_of  # (the service computes the profile from the record; the bulk path from the generator)

    program = Program.objects.filter(slug="demo-five-county").first() or Program.objects.first()
    assert program is not None, "the demo program is created by migrations"
    program.organization = coordinator.organization
    program.save(update_fields=["organization"])
    picks = rng.sample(range(len(generated)), REPEATS // 2)
    referrals = []
    for n, i in enumerate(picks):
        person = quality.referral_of(generated[i], rng)
        newcomer = quality.make_youth(rng, pools)
        for p in (person, quality.referral_of(newcomer, rng)):
            referrals.append(
                referral_submit(
                    program=program,
                    channel=Referral.Channel.WEB_FORM,
                    data=ReferralInput(
                        youth_name=p.names[0] if p.names else "",
                        youth_aliases=", ".join(p.aliases),
                        youth_date_of_birth=p.dob,
                        age=p.age,
                        youth_phone=p.phones[0] if p.phones else "",
                        county=p.counties[0].title() if p.counties else "",
                        what_is_known=f"bench referral {n}",
                    ),
                )
            )
    for referral in referrals[:10]:  # warm-up
        referral_candidates(membership=coordinator, referral=referral)
    samples, cpu, shown = [], [], []
    for referral in referrals:
        started, started_cpu = time.perf_counter(), time.process_time()
        found = referral_candidates(membership=coordinator, referral=referral)
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        shown.append(len(found))
    p50, p95, p99 = (percentile(samples, q) for q in (0.5, 0.95, 0.99))
    label = f"{YOUTHS:,} encrypted youths"
    if kept is None:
        build = (
            f"index build {index_s:.1f} s (target <= 5 s; youths loaded in {load_s:.1f} s); "
            f"one youth's index update p50 {percentile(update_ms, 0.5):.1f} ms"
        )
    else:
        build = "index build and update: kept from an earlier run, not measured"
    print(
        f"\nOne referral vs {label} on {connection.vendor}: p50 {p50:.1f} ms, p95 {p95:.1f} ms (target <= 20), "
        f"p99 {p99:.1f} ms (target <= 50); this process's CPU per referral p50 {percentile(cpu, 0.5):.1f} ms, "
        f"p95 {percentile(cpu, 0.95):.1f} ms; {build}; candidates shown mean {sum(shown) / len(shown):.1f}",
        flush=True,
    )
    rows = [
        Row(
            "matching",
            f"referral -> candidates ({label})",
            len(samples),
            p50,
            p95,
            "p95 <= 20 ms, p99 <= 50 ms",
            f"p99 {p99:.1f} ms; CPU p50 {percentile(cpu, 0.5):.1f} ms",
        )
    ]
    if kept is None:
        rows += [
            Row(
                "matching",
                f"index build ({label})",
                1,
                index_s * 1000,
                index_s * 1000,
                "<= 5 s",
                f"youths loaded in {load_s:.1f} s",
            ),
            Row(
                "matching",
                "one youth's index update",
                len(update_ms),
                percentile(update_ms, 0.5),
                percentile(update_ms, 0.95),
                "",
                "",
            ),
        ]
    return rows


_ = date

"""One referral against 100,000 encrypted youths, through the app's own selector as the Care
Coordinator (blind-index blocking, access policy, encrypted profiles, scoring, ledger rows for the
candidates shown): p50/p95/p99, and the time to build the matcher's index for all of them.

The youths are bulk-loaded as the services would write them (a wrapped data key each, sealed names and
birth date, the coordinator on the care team); the matcher's rows are computed by ``matching.index``
(``bulk.rows_of``: the same digests and profile as ``youth_index_update``, checked on a sample).
Set ``BENCH_MATCH_YOUTHS`` for another size, ``BENCH_MATCH_WORKERS`` for the processes computing the
index rows (default: the cores, up to four; 1: in this process only). With ``BENCH_KEEPDB=1`` (``bench/run.py``, PostgreSQL) the
youths loaded by an earlier run of the same size are reused (generating and loading 100,000 takes
minutes); the matcher's index is rebuilt every run.
"""

from __future__ import annotations

import gc
import logging
import os
import random
import time
from datetime import date, timedelta
from typing import Any

from benchlib import Row, percentile
from django.db import connection, transaction
from django.utils import timezone

from threadline.access.models import CareTeamMember, TeamRole
from threadline.accounts.models import Membership, Organization, User
from threadline.core.roles import OrganizationType, Role
from threadline.crypto.envelope import new_data_key, wrap_data_key
from threadline.crypto.models import DataKey
from threadline.matching.bulk import default_workers, index_rebuild
from threadline.matching.index import digests_of, person_of, profile_of
from threadline.matching.models import BlockKey, MatchProfile
from threadline.youth.models import Youth, new_reference

YOUTHS = int(os.environ.get("BENCH_MATCH_YOUTHS", "100000"))
BATCH = 1000
INDEX_BATCH = 5000
REPEATS = 200
WORKERS = int(os.environ.get("BENCH_MATCH_WORKERS", "0")) or default_workers()  # processes for the build


def _people() -> Membership:
    if os.environ.get("BENCH_KEEPDB") == "1":
        kept = Membership.objects.filter(user__email="matcher@bench.test").select_related("organization")
        if (found := kept.first()) is not None:
            return found
    org = Organization.objects.create(
        name="Bench Llano Estacado Advocacy Center", org_type=OrganizationType.CAC, is_care_coordinator=True
    )
    user = User.objects.create_user("matcher@bench.test", full_name="Bench Matcher")
    return Membership.objects.create(user=user, organization=org, role=Role.CARE_COORDINATOR)


def kept_youths(coordinator: Membership) -> list[Youth] | None:
    """The youths an earlier run loaded (``BENCH_KEEPDB=1``), in the generator's order, if there are
    exactly ``YOUTHS`` of them."""
    if os.environ.get("BENCH_KEEPDB") != "1":
        return None
    kept = Youth.objects.filter(created_by_org=coordinator.organization)
    if kept.count() != YOUTHS:
        kept.delete()  # another size: load afresh
        return None
    return list(kept.order_by("created_at").select_related("data_key"))


def load_youths(coordinator: Membership, generated: list[Any]) -> tuple[list[Youth], float]:
    started = time.perf_counter()
    today = timezone.localdate()
    created = timezone.now()  # one microsecond apart, in the generator's order (kept_youths reads it)
    n = 0
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
                created_at=created + timedelta(microseconds=n),
            )
            n += 1
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


def build_index(youths: list[Youth], generated: list[Any]) -> tuple[float, float]:
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
    started, cpu = time.perf_counter(), _cpu()
    index_rebuild(
        (items[start : start + INDEX_BATCH] for start in range(0, len(items), INDEX_BATCH)), workers=WORKERS
    )
    return time.perf_counter() - started, _cpu() - cpu


def _cpu() -> float:
    """CPU seconds of this process and of its finished child processes (the build's workers)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


class GcPauses:
    """The garbage collector's pauses while the referrals are timed (``gc.callbacks``): how many of each
    generation, how long, and how much of it fell in the slowest referrals (the tail). This process holds
    the generated youths and their ``Youth`` instances (about 2.3 million tracked objects at 100,000);
    young collections (generations 0 and 1) visit only new objects, so that heap costs them nothing, and
    it keeps a full collection from starting during the loop (one starts when the objects that survived
    since the last reach a quarter of the old ones). A server process holds far fewer, so it would see a
    full collection now and then (one per few hundred referrals in a process holding about 120,000
    objects); this bench does not show those."""

    def __init__(self, samples: list[float]) -> None:
        self.samples = samples
        self.pauses: list[tuple[int, float, int]] = []  # generation, ms, the referral it fell in
        self._started = 0.0

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            elapsed = (time.perf_counter() - self._started) * 1000
            self.pauses.append((info["generation"], elapsed, len(self.samples)))

    def __enter__(self) -> GcPauses:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._callback)

    def summary(self) -> str:
        by_generation: dict[int, list[float]] = {}
        for generation, ms, _n in self.pauses:
            by_generation.setdefault(generation, []).append(ms)
        each = ", ".join(
            f"generation {g}: {len(ms)} ({sum(ms):.1f} ms, longest {max(ms):.1f})"
            for g, ms in sorted(by_generation.items())
        )
        tail = set(
            sorted(range(len(self.samples)), key=lambda i: -self.samples[i])[
                : max(1, len(self.samples) // 20)
            ]
        )
        in_tail = sum(ms for _g, ms, n in self.pauses if n in tail)
        return (
            f"garbage collection while timing {len(self.samples)} referrals: {each or 'none'}; "
            f"{in_tail:.1f} ms of it in the slowest {len(tail)} referrals"
        )


def run() -> list[Row]:
    log = logging.getLogger("threadline.matching.bulk")  # the build's phases (rows, indexes, vacuum)
    log.setLevel(logging.INFO)
    log.addHandler(logging.StreamHandler())
    import bench_matching as quality

    from threadline.intake.models import Program, Referral
    from threadline.intake.services.referrals import ReferralInput, referral_submit
    from threadline.matching.selectors import referral_candidates

    rng = random.Random(99)
    pools = quality._faker_names()
    generated = [quality.make_youth(rng, pools) for _ in range(YOUTHS)]
    coordinator = _people()
    kept = kept_youths(coordinator)
    youths, load_s = (kept, 0.0) if kept is not None else load_youths(coordinator, generated)
    loaded = "youths reused" if kept is not None else f"youths loaded in {load_s:.1f} s"
    index_s, index_cpu = build_index(youths, generated)
    # The bulk rows are the ones the service writes.
    for youth in rng.sample(youths, 20):
        fresh = Youth.objects.select_related("data_key").get(pk=youth.pk)
        row = MatchProfile.objects.select_related("youth__data_key").get(youth=fresh)
        profile, expected = row.data, digests_of(person_of(row.data))
        # The keys the profile row lists, read by the primary key (``youth`` alone has no index).
        listed = bytes(row.digests)
        assert {
            int.from_bytes(listed[i : i + 8], "big", signed=True) for i in range(0, len(listed), 8)
        } == expected
        stored = set(
            BlockKey.objects.filter(youth=fresh, digest__in=expected).values_list("digest", flat=True)
        )
        assert stored == expected, "bulk index rows differ from the service's"
        assert profile["names"] == [fresh.legal_name]
    # One youth's incremental update, as every youth write does it.
    sample = rng.sample(youths, 50)
    update_ms = []
    for youth in sample:
        fresh = Youth.objects.select_related("data_key").get(pk=youth.pk)
        started = time.perf_counter()
        with transaction.atomic():
            from threadline.matching.index import youth_index_update

            youth_index_update(fresh)
        update_ms.append((time.perf_counter() - started) * 1000)
    _ = profile_of  # (the service computes the profile from the record; the bulk path from the generator)
    # As after ``matching_reindex``: the matcher trained on these youths, the referrals scored with it.
    from threadline.matching.training_services import matcher_model_train

    started = time.perf_counter()
    trained = matcher_model_train()
    train_s = time.perf_counter() - started

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
    samples: list[float] = []
    shown = []
    with GcPauses(samples) as pauses:
        for referral in referrals:
            started = time.perf_counter()
            found = referral_candidates(membership=coordinator, referral=referral)
            samples.append((time.perf_counter() - started) * 1000)
            shown.append(len(found))
    print(pauses.summary(), flush=True)
    p50, p95, p99 = (percentile(samples, q) for q in (0.5, 0.95, 0.99))
    label = f"{YOUTHS:,} encrypted youths"
    print(
        f"\nOne referral vs {label} on {connection.vendor}: p50 {p50:.1f} ms, p95 {p95:.1f} ms (target <= 20), "
        f"p99 {p99:.1f} ms (target <= 50); index build {index_s:.1f} s (target <= 5 s; "
        f"CPU {index_cpu:.1f} s; {loaded}); one youth's index update p50 {percentile(update_ms, 0.5):.1f} ms; candidates "
        f"shown mean {sum(shown) / len(shown):.1f}; matcher training {train_s:.1f} s "
        f"({'model ' + str(trained.version) if trained else 'priors kept'})",
        flush=True,
    )
    return [
        Row(
            "matching",
            f"referral -> candidates ({label})",
            len(samples),
            p50,
            p95,
            "p95 <= 20 ms, p99 <= 50 ms",
            f"p99 {p99:.1f} ms",
        ),
        Row(
            "matching",
            f"index build ({label})",
            1,
            index_s * 1000,
            index_s * 1000,
            "<= 5 s",
            f"CPU {index_cpu:.1f} s; {loaded}",
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


_ = date

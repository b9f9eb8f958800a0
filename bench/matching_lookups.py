"""The referrals ``bench_matching_latency`` left in its kept database, looked up again in a process of
their own: the lookup's time without the bench's heap (100,000 generated youths and their instances),
whose collector and caches move a run's p95 by a couple of milliseconds. For comparing two versions of
the lookup side by side (run it from each tree in turn, alternating):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test_h_build_bench \\
        .venv/bin/python bench/matching_lookups.py [PASSES]

Reads the first 200 referrals (by received time) and the bench's coordinator; each pass looks every
referral up through ``referral_candidates`` (blocking, the policy, the profiles, scoring, the ledger row
for what is shown) and the last pass is timed. Writes only the ledger rows the lookups write.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

REFERRALS = 200


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "threadline.settings.test")
    import django

    django.setup()
    from benchlib import percentile

    from threadline.accounts.models import Membership
    from threadline.intake.models import Referral
    from threadline.matching.selectors import referral_candidates

    passes = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    coordinator = Membership.objects.select_related("organization", "user").get(
        user__email="matcher@bench.test"
    )
    referrals = list(Referral.objects.order_by("received_at")[:REFERRALS])
    samples: list[float] = []
    for _ in range(passes):
        samples = []
        for referral in referrals:
            started = time.perf_counter()
            referral_candidates(membership=coordinator, referral=referral)
            samples.append((time.perf_counter() - started) * 1000)
    p50, p95, p99 = (percentile(samples, q) for q in (0.5, 0.95, 0.99))
    print(
        f"{len(samples)} referrals, last of {passes} passes: p50 {p50:.2f} ms, p95 {p95:.2f} ms, p99 {p99:.2f} ms"
    )


if __name__ == "__main__":
    main()

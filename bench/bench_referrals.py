"""Referral suggestions at scale: 20,000 fictional services (the directory's generator). Suggestions
for one housing need (service types, the youth's age and languages, county served or distance from a
ZIP code, ranked with reasons), beside the bare SQL floor (the same candidate statement on a raw
cursor(s), without ranking). Target: p95 under 50 ms on PostgreSQL and on SQLite."""

from __future__ import annotations

import time
from collections.abc import Callable

from benchlib import Row, measure
from django.db import connection

from threadline.directory.audience import NETWORK
from threadline.directory.generate import generate
from threadline.directory.geo import TEXAS_COUNTIES, zips_in_county
from threadline.referrals.selectors import NEED_SERVICE_TYPES, SuggestQuery, suggest, suggest_querysets

SERVICES = 20_000
TARGET = "p95 < 50 ms"


def run() -> list[Row]:
    counties = [c for c in sorted(TEXAS_COUNTIES) if zips_in_county(c)][:80]
    started = time.perf_counter()
    if not _has_services():  # a scratch database of its own: built once per run
        generate(count=SERVICES, label="bench", seed=11, counties=counties)
    built = time.perf_counter() - started
    zips = [p.zip_code for c in counties[:40] for p in zips_in_county(c)[:3]]
    needs = ["housing", "behavioral_health", "legal", "safety"]
    languages = [("es", "en"), ("en",), ("vi", "en"), ("es",)]

    def by_county(i: int) -> SuggestQuery:
        return SuggestQuery(
            service_types=NEED_SERVICE_TYPES[needs[i % len(needs)]],
            age=13 + i % 6,
            languages=languages[i % len(languages)],
            counties=(counties[i % len(counties)],),
        )

    def by_zip(i: int) -> SuggestQuery:
        return SuggestQuery(
            service_types=NEED_SERVICE_TYPES[needs[i % len(needs)]],
            age=13 + i % 6,
            languages=languages[i % len(languages)],
            counties=(counties[i % len(counties)],),
            zip_code=zips[i % len(zips)],
            radius_miles=25,
            access=("no-id-required",) if i % 3 == 0 else (),
        )

    found = [len(suggest(by_zip(i), NETWORK)) for i in range(20)]

    def floor(make: Callable[[int], SuggestQuery]) -> Callable[[int], None]:
        def call(i: int) -> None:
            for qs in suggest_querysets(make(i), NETWORK):
                sql, params = qs.query.sql_with_params()
                with connection.cursor() as cursor:
                    cursor.execute(sql, params)
                    cursor.fetchall()

        return call

    note = f"{SERVICES} services built in {built:.0f}s"
    return [
        measure(
            "referrals",
            "suggestions for a need, county (ranked, reasons)",
            lambda i: suggest(by_county(i), NETWORK),
            repeats=300,
            target=TARGET,
            note=note,
        ),
        measure("referrals", "  bare SQL floor, county", floor(by_county), repeats=300),
        measure(
            "referrals",
            "suggestions for a need, ZIP + county (ranked, reasons)",
            lambda i: suggest(by_zip(i), NETWORK),
            repeats=300,
            target=TARGET,
            note=f"median {sorted(found)[10]} suggestions shown",
        ),
        measure("referrals", "  bare SQL floor, ZIP + county", floor(by_zip), repeats=300),
    ]


def _has_services() -> bool:
    from threadline.directory.models import ListingIndex

    return ListingIndex.objects.filter(service_id__isnull=False).count() >= SERVICES

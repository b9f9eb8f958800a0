"""Directory search at scale: 20,000 fictional services. Staff search with four filters (county,
language, specialization, serves minors) and distance search from a ZIP code, each a full page of
results with its total, beside the bare SQL floor (the same single statement on a raw cursor).
Target: p95 under 30 ms on PostgreSQL and on SQLite."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from benchlib import Row, measure
from django.db import connection
from django.db.models import Count, Window

from threadline.directory.audience import NETWORK
from threadline.directory.generate import generate
from threadline.directory.geo import TEXAS_COUNTIES, zips_in_county
from threadline.directory.selectors import SearchQuery, search, search_queryset

SERVICES = 20_000
TARGET = "p95 < 30 ms"


def run() -> list[Row]:
    counties = [c for c in sorted(TEXAS_COUNTIES) if zips_in_county(c)][:80]
    started = time.perf_counter()
    generate(count=SERVICES, label="bench", seed=11, counties=counties)
    built = time.perf_counter() - started
    rng = random.Random(5)
    languages = ["es", "vi", "en", "ar"]
    populations = ["lgbtq", "homeless", "refugees", "serves-minors", "trafficking-survivors"]
    zips = [p.zip_code for c in counties[:40] for p in zips_in_county(c)[:3]]

    def four_filters(i: int) -> SearchQuery:
        return SearchQuery(
            county=counties[i % len(counties)],
            language=languages[i % len(languages)],
            population=populations[i % len(populations)],
            serves_minors=True,
        )

    def near(i: int) -> SearchQuery:
        return SearchQuery(zip_code=zips[i % len(zips)], radius_miles=25)

    totals = [search(four_filters(i), NETWORK).total for i in range(20)]
    near_totals = [search(near(i), NETWORK).total for i in range(20)]

    def raw(make: Callable[[int], SearchQuery]) -> Callable[[int], None]:
        def call(i: int) -> None:
            qs, _origin, _unknown = search_queryset(make(i), NETWORK)
            counted = qs.annotate(total_count=Window(Count("service_id")))
            page_sql, page_params = counted[:20].query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(page_sql, page_params)
                cursor.fetchall()

        return call

    rng.random()
    note = f"{SERVICES} services built in {built:.0f}s"
    return [
        measure(
            "directory",
            "staff search, 4 filters (page + total)",
            lambda i: search(four_filters(i), NETWORK),
            repeats=300,
            target=TARGET,
            note=f"{note}; median {sorted(totals)[10]} hits",
        ),
        measure("directory", "  bare SQL floor, 4 filters", raw(four_filters), repeats=300),
        measure(
            "directory",
            "distance from a ZIP, 25 mi (page + total)",
            lambda i: search(near(i), NETWORK),
            repeats=300,
            target=TARGET,
            note=f"median {sorted(near_totals)[10]} hits",
        ),
        measure("directory", "  bare SQL floor, distance", raw(near), repeats=300),
    ]

"""Small helpers for benchmarks: timing samples, percentiles, the printed table."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    benchmark: str
    operation: str
    n: int
    p50_ms: float
    p95_ms: float
    target: str = ""
    note: str = ""
    # The interactive-path table (bench_paths): p99, the floor beside it, ours / floor, queries, growth.
    p99_ms: float | None = None
    floor_sql_ms: float | None = None
    floor_view_ms: float | None = None
    queries: int | None = None
    growth: float | None = None

    @property
    def ratio(self) -> float | None:
        floor = (self.floor_sql_ms or 0.0) + (self.floor_view_ms or 0.0)
        return self.p95_ms / floor if floor else None


# A referral as a coordinator takes it on the phone (POST /intake/referrals/new/, plus "program" and
# "youth_name"): the interactive-path bench and the load bench send the same one.
STAFF_REFERRAL = {
    "channel": "hotline",
    "urgency": "runaway_now",
    "source": "family",
    "county": "McLennan",
    "connection": "physically_present",
    "age": "15",
    "what_is_known": "A fictional concern entered by the benchmark.",
    "language": "en",
}


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def measure(
    benchmark: str,
    operation: str,
    fn: Callable[[int], object],
    repeats: int = 200,
    target: str = "",
    note: str = "",
) -> Row:
    """Call ``fn(i)`` ``repeats`` times (after a short warm-up) and return p50/p95 in milliseconds."""
    for i in range(min(10, repeats)):
        fn(i)
    samples = []
    for i in range(repeats):
        started = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - started) * 1000)
    return Row(
        benchmark, operation, repeats, statistics.median(samples), percentile(samples, 0.95), target, note
    )


def _cell(value: float | int | None, fmt: str = ".2f") -> str:
    return "" if value is None else format(value, fmt)


def print_table(rows: list[Row], vendor: str) -> None:
    extended = any(r.p99_ms is not None for r in rows)
    headers = ["benchmark", "operation", "n", "p50 ms", "p95 ms", "target", "note"]
    data = [
        [r.benchmark, r.operation, str(r.n), f"{r.p50_ms:.2f}", f"{r.p95_ms:.2f}", r.target, r.note]
        for r in rows
    ]
    if extended:
        headers[5:5] = ["p99 ms", "floor SQL", "floor view", "ratio", "queries", "growth"]
        for r, row in zip(rows, data, strict=True):
            row[5:5] = [
                _cell(r.p99_ms),
                _cell(r.floor_sql_ms),
                _cell(r.floor_view_ms),
                _cell(r.ratio, ".1f"),
                _cell(r.queries, "d"),
                _cell(r.growth, ".2f"),
            ]
    widths = [max(len(h), *(len(row[i]) for row in data)) if data else len(h) for i, h in enumerate(headers)]
    print(f"\nThreadline benchmarks on {vendor}")
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in data:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))


def public_referral_form(page: str, what_is_known: str) -> dict[str, str] | None:
    """The fields a person sends on the public /refer/ form, read from the form page: the CSRF token
    and the solved proof of work (altcha, as the browser solves it). None when the page has no form."""
    import base64
    import html
    import json
    import re

    from altcha import v1 as altcha

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    raw = re.search(r'data-pow="([^"]+)"', page)
    if not (token and raw):
        return None
    challenge = json.loads(html.unescape(raw.group(1)))
    solution = altcha.solve_challenge(
        challenge["challenge"], challenge["salt"], challenge["algorithm"], challenge["maxnumber"]
    )
    payload = {k: challenge[k] for k in ("algorithm", "challenge", "salt", "signature")}
    payload["number"] = solution.number if solution else 0
    return {
        "csrfmiddlewaretoken": token.group(1),
        "what_is_known": what_is_known,
        "concern": "clear_concern",
        "youth_name": "Fictional Youth",
        "county": "Bexar",
        "age": "15",
        "altcha": base64.b64encode(json.dumps(payload).encode()).decode(),
    }

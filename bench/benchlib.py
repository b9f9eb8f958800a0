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

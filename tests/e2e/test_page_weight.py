"""Page weight of every journey page on the served app (issue 16): under 60 KB compressed on a first visit,
nothing loaded from another origin. The same measurement as `bench/run.py bench_page_weight`, which prints
the figures; here over HTTP to the server the journeys use, signed in as the demo personas."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import bench_page_weight as weight  # noqa: E402  (bench/ holds scripts, not a package)


def test_every_journey_page_is_light_and_first_party(
    base_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    weights = weight.measure(weight.HttpFetcher(base_url))
    table = weight.table(weights)
    (ROOT / "test-results").mkdir(exist_ok=True)
    (ROOT / "test-results" / "page-weight.txt").write_text(table + "\n")
    with capsys.disabled():  # the figures in make e2e's output, pass or fail
        print("\npage weight, gzip (KB): first visit beside the floor, repeat visit\n" + table)
    assert len(weights) >= 30, "fewer journey pages weighed than the journeys visit"
    wrong = [w.path for w in weights if w.status != (404 if w.path == "/no-such-page/" else 200)]
    assert not wrong, f"pages that did not answer as expected: {wrong}"
    assert not [w.foreign for w in weights if w.foreign], "a page loads a third-party asset"
    heavy = [(w.path, round(w.first / 1024, 1)) for w in weights if w.over]
    assert not heavy, f"over {weight.FLOOR_KB:.0f} KB compressed on a first visit: {heavy}"

"""Page weight of every journey page on the served app (issue 16): under 60 KB compressed on a first visit,
nothing loaded from another origin. The same measurement as `bench/run.py bench_page_weight`, which prints
the figures; here over HTTP to the server the journeys use, signed in as the demo personas."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import bench_page_weight as weight  # bench/ holds scripts, not a package


def test_every_journey_page_is_light_and_first_party(base_url: str) -> None:
    weights = weight.measure(weight.HttpFetcher(base_url))
    print(weight.table(weights))
    assert len(weights) >= 30, "fewer journey pages weighed than the journeys visit"
    wrong = [w.path for w in weights if w.status != (404 if w.path == "/no-such-page/" else 200)]
    assert not wrong, f"pages that did not answer as expected: {wrong}"
    assert not [w.foreign for w in weights if w.foreign], "a page loads a third-party asset"
    heavy = [(w.path, round(w.first / 1024, 1)) for w in weights if w.over]
    assert not heavy, f"over {weight.FLOOR_KB:.0f} KB compressed on a first visit: {heavy}"

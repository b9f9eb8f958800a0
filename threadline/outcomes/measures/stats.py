"""Medians, 90th percentiles and shares, the same way everywhere."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence


def median(values: Sequence[float]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count); None when empty."""
    return float(statistics.median(values)) if values else None


def p90(values: Sequence[float]) -> float | None:
    """The 90th percentile by the nearest-rank method: the smallest value with at least 90% of the
    values at or below it (for 10 values, the 9th smallest). None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = math.ceil(0.9 * len(ordered))
    return float(ordered[rank - 1])


def share(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` as a percentage; None when ``whole`` is 0."""
    return 100.0 * part / whole if whole else None

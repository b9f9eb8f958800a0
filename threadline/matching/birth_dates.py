"""Birth dates as typed by a hurried hand: the dates one slip of the fingers away from another (two
neighbouring digits swapped, one digit wrong). ``compare.compare_dob`` names the level; training counts
how common each variant is among the program's own dates (``training``)."""

from __future__ import annotations

import contextlib
from datetime import date


def digits_swapped(a: date, b: date) -> bool:
    """Two neighbouring digits swapped (1921 for 1912, 03-21 for 03-12): a slip of the fingers."""
    x, y = _digits(a), _digits(b)
    differ = [i for i in range(8) if x[i] != y[i]]
    if len(differ) != 2 or differ[1] != differ[0] + 1:
        return False
    i, j = differ
    return x[i] == y[j] and x[j] == y[i]


def swapped_digits(day: date) -> set[date]:
    """The dates ``day`` becomes with two neighbouring digits swapped (valid dates only)."""
    text = _digits(day)
    out = set()
    for i in range(7):
        if text[i] == text[i + 1]:
            continue
        swapped = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        with contextlib.suppress(ValueError):
            out.add(date(int(swapped[:4]), int(swapped[4:6]), int(swapped[6:])))
    return {d for d in out if 1900 < d.year < 2100}


def _digits(day: date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def one_digit_apart(a: date, b: date) -> bool:
    x = a.year * 10000 + a.month * 100 + a.day
    y = b.year * 10000 + b.month * 100 + b.day
    gap = abs(x - y)
    if gap == 0:
        return False
    # One digit apart: the difference is d * 10^k with 1 <= d <= 9, and no other digit changed.
    while gap % 10 == 0:
        gap //= 10
        x //= 10
        y //= 10
    return gap <= 9 and x // 10 == y // 10

"""Shared helpers for the care tests: a fresh copy of the demo instrument to bend out of shape."""

from __future__ import annotations

import copy
from typing import Any

from threadline.care.instruments import DEMO_INSTRUMENT, Definition, load_file

_DEMO = load_file(DEMO_INSTRUMENT)


def demo_data() -> dict[str, Any]:
    return copy.deepcopy(_DEMO)


def demo_definition() -> Definition:
    return Definition.from_data(demo_data())


# Items of the demo instrument, grouped by the scale whose best answer scores 0.
AGREE_ITEMS = ("safe_tonight", "enough_food", "clinic_access", "trusted_adult", "who_to_call")
OFTEN_ITEMS = ("worried", "sleep_trouble", "felt_alone")


def all_fine() -> dict[str, str]:
    return {**dict.fromkeys(AGREE_ITEMS, "yes"), **dict.fromkeys(OFTEN_ITEMS, "never")}

"""Screening instruments as data: a validator for instrument files and a scorer for answers.

An instrument is a YAML or JSON file (see ``data/demo_wellbeing.yaml`` and ``schema.py``). Agencies
load only instruments they are licensed to use (``manage.py instrument_load``); we ship only a demo
instrument we wrote ourselves.
"""

from __future__ import annotations

from pathlib import Path

from threadline.care.instruments.scoring import (
    AnswerError,
    Definition,
    ScreeningScore,
    TriggeredAction,
    score,
    text,
)
from threadline.care.instruments.validation import InstrumentInvalid, load_file, validate

DEMO_INSTRUMENT = Path(__file__).resolve().parent / "data" / "demo_wellbeing.yaml"

__all__ = [
    "DEMO_INSTRUMENT",
    "AnswerError",
    "Definition",
    "InstrumentInvalid",
    "ScreeningScore",
    "TriggeredAction",
    "load_file",
    "score",
    "text",
    "validate",
]

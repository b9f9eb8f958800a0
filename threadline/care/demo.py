"""Demo data for care coordination: the demo screening instrument (our own, clearly marked)."""

from __future__ import annotations

from threadline.care import services
from threadline.care.instruments import DEMO_INSTRUMENT, load_file
from threadline.demo import Log

ORDER = 60


def load(log: Log) -> None:
    result = services.instrument_load(
        definition=load_file(DEMO_INSTRUMENT), licence_attestation="", source=str(DEMO_INSTRUMENT)
    )
    state = "loaded" if result.created else "already there"
    log(f"demo screening instrument {result.instrument} ({state})")

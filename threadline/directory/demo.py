"""Demo directory: a few hundred fictional providers across Texas counties, in every vetting state,
some public, some for partner agencies only, some private; some shelters with confidential addresses."""

from __future__ import annotations

from threadline.demo import Log
from threadline.directory.generate import generate

ORDER = 30
PROVIDERS = 320


def load(log: Log) -> None:
    generate(count=PROVIDERS, label="demo")
    log(f"{PROVIDERS} fictional providers in the referral directory")

"""Figures for ``make bench-reliability``: when SECURITY_REPORT names a file, the security tests append
one JSON line each (what was tried, what held). Without it, nothing is written."""

from __future__ import annotations

import json
import os
from typing import Any


def report(kind: str, **figures: Any) -> None:
    path = os.environ.get("SECURITY_REPORT")
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps({"kind": kind, **figures}, default=str) + "\n")

"""Errors every room raises and the API and views answer the same way."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class EditConflict(Exception):
    """Someone else saved first. Carries their version so the person can compare, never overwrite."""

    current_version: int
    theirs: dict[str, Any] = field(default_factory=dict)
    yours: dict[str, Any] = field(default_factory=dict)

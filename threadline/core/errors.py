"""Errors every room raises and the API and views answer the same way."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class Conflict(Exception):
    """The request conflicts with what is stored (the API answers 409)."""


@dataclass
class EditConflict(Conflict):
    """Someone else saved first. Carries their version so the person can compare, never overwrite."""

    current_version: int
    theirs: dict[str, Any] = field(default_factory=dict)
    yours: dict[str, Any] = field(default_factory=dict)

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


def expect_version(row: Any, version: int | None) -> None:
    """Refuse an edit based on an old version of ``row`` (someone else saved first): nothing is
    written, and the conflict carries the version now stored."""
    if row.version != version:
        raise EditConflict(current_version=row.version)

"""Shared helpers: the official HSDS folder (skip, or fail under CI, when it is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from threadline.directory.hsds import schemas


def require_spec() -> Path:
    """The official schemas and examples, read from settings.HSDS_SPEC_DIR and never copied here."""
    if not schemas.available():
        if getattr(settings, "HSDS_SPEC_DIR_REQUIRED", False):
            pytest.fail(schemas.missing_message())
        pytest.skip(schemas.missing_message())
    return Path(settings.HSDS_SPEC_DIR)

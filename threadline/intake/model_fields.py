"""Model fields intake's rows declare the same way."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from threadline.accounts.models import User


def staff_ref() -> models.ForeignKey[User | None, User | None]:
    """The person who did something to the row, when a person did (a job may act alone). Kept even when
    the account is closed (PROTECT); no reverse relation on the user."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

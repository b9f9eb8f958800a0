"""Model fields intake's rows declare the same way."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

    from threadline.accounts.models import User


def staff_ref(verbose_name: StrOrPromise | None = None) -> models.ForeignKey[User | None, User | None]:
    """A staff member the row names, when there is one: the person who did something to it (a job may
    act alone), or who holds a post on it (a region's coordinator, a shift's backup). Kept even when
    the account is closed (PROTECT); no reverse relation on the user."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )

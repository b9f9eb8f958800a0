"""Abstract bases for model rows, shared by the rooms' models. They add no column of their own meaning."""

from __future__ import annotations

from django.db import models


class LabelledById(models.Model):
    """``str(row)`` is the row's kind and id ("case note 6f1c…"): never a name or a place, because
    ``__str__`` ends up in logs and admin messages."""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"

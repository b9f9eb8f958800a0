"""Abstract bases for model rows, shared by the rooms' models. They add no column."""

from __future__ import annotations

from typing import ClassVar

from django.db import models


class Labelled(models.Model):
    """A row whose ``str()`` names its kind and an id, never a name or a place: ``__str__`` ends up in
    logs and admin messages."""

    # The kind's words in ``str()``, where they are not the model's verbose name.
    str_label: ClassVar[str] = ""

    class Meta:
        abstract = True

    def kind_label(self) -> str:
        return self.str_label or str(self._meta.verbose_name)


class LabelledById(Labelled):
    """``str(row)`` is the row's kind and primary key ("case note 6f1c…")."""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.kind_label()} {self.pk}"

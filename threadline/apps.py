from __future__ import annotations

from django.apps import AppConfig


class ThreadlineConfig(AppConfig):
    """The project package is itself an app: it owns the page shell, the demo loader and i18n."""

    name = "threadline"
    verbose_name = "Threadline"

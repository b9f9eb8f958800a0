from __future__ import annotations

from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "threadline.outcomes"
    label = "outcomes"
    verbose_name = "Outcomes"

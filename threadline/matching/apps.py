from __future__ import annotations

from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "threadline.matching"
    label = "matching"
    verbose_name = "Record matching"

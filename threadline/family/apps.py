from __future__ import annotations

from django.apps import AppConfig


class FamilyConfig(AppConfig):
    name = "threadline.family"
    label = "family"
    verbose_name = "Family services"

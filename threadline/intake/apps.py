from __future__ import annotations

from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "threadline.intake"
    label = "intake"
    verbose_name = "Intake"

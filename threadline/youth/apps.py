from __future__ import annotations

from django.apps import AppConfig


class YouthConfig(AppConfig):
    name = "threadline.youth"
    label = "youth"
    verbose_name = "Youth records"

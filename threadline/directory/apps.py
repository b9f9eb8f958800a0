from __future__ import annotations

from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "threadline.directory"
    label = "directory"
    verbose_name = "Referral directory"

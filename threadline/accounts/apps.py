from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "threadline.accounts"
    label = "accounts"
    verbose_name = "Organizations and people"

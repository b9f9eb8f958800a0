from __future__ import annotations

from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "threadline.network"
    label = "network"
    verbose_name = "Partner network"

from __future__ import annotations

from django.apps import AppConfig


class CryptoConfig(AppConfig):
    name = "threadline.crypto"
    label = "crypto"
    verbose_name = "Encrypted fields"

from __future__ import annotations

from django.apps import AppConfig


class CryptoConfig(AppConfig):
    name = "threadline.crypto"
    label = "crypto"
    verbose_name = "Encrypted fields"

    def ready(self) -> None:
        from threadline.crypto import checks  # noqa: F401  (registers the deploy check of key strength)

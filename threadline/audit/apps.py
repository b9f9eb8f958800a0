from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "threadline.audit"
    label = "audit"
    verbose_name = "Access ledger"

    def ready(self) -> None:
        from threadline.audit.history import register_all

        register_all()

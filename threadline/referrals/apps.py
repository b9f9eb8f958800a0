from __future__ import annotations

from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "threadline.referrals"
    label = "referrals"
    verbose_name = "Service referrals"

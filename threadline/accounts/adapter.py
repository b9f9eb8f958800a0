"""allauth adapter: no public sign-up; first-time MFA enrollment right after sign-in needs no
second password prompt."""

from __future__ import annotations

import time
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """Adding or removing a factor asks for the password again, except for a person's *first*
        factor within minutes of signing in with their password: that sign-in is the proof, and the
        forced enrollment must not feel like a loop."""
        required = super().is_reauthentication_required(app=app, **kwargs)
        request = getattr(context, "request", None)
        if not required or request is None or "mfa" not in app:
            return required
        from threadline.accounts.selectors import user_has_second_factor

        user = request.user
        if not user.is_authenticated or user_has_second_factor(user=user):
            return required
        records = get_authentication_records(request, user)
        fresh = [
            r
            for r in records
            if r.get("method") == "password"
            and time.time() - float(r.get("at", 0)) < account_settings.REAUTHENTICATION_TIMEOUT
        ]
        return not fresh

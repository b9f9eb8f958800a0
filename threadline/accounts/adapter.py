"""allauth adapter: no public sign-up; first-time MFA enrollment right after sign-in needs no
second password prompt; the client address comes from the one proxy-aware helper; the failed-sign-in
limit is keyed on the account AND the address; refusals go to the security log."""

from __future__ import annotations

import logging
import time
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from django import forms
from django.http import HttpRequest

from threadline.accounts.network import client_ip_or_unknown
from threadline.accounts.security_log import log_event


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        return client_ip_or_unknown(request)

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth keys "login_failed" on the e-mail alone: five wrong guesses from anywhere would lock
        # the real person out everywhere. Account + address instead.
        return (
            f"{super()._get_login_attempts_cache_key(request, **credentials)}|{client_ip_or_unknown(request)}"
        )

    def post_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> Any:
        # ASVS 16.3.1: successes are logged too, with the factors this sign-in used (never their values).
        methods = [
            str(r.get("type") or r.get("method"))
            for r in get_authentication_records(request, user)
            if r.get("method") in ("password", "mfa")
        ]
        log_event("signed_in", request=request, level=logging.INFO, user_id=user.pk, factors=methods)
        return super().post_login(request, user, **kwargs)

    def logout(self, request: HttpRequest) -> None:
        log_event("signed_out", request=request, level=logging.INFO)
        super().logout(request)

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        login = str(credentials.get("email") or credentials.get("username") or "").strip().lower()
        log_event("signin_failed", request=request, account=login[:254] or None)

    def validation_error(self, code: str, *args: Any) -> forms.ValidationError:
        if code == "too_many_login_attempts":
            log_event("signin_rate_limited", request=getattr(context, "request", None))
        return super().validation_error(code, *args)

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

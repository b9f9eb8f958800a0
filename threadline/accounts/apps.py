from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "threadline.accounts"
    label = "accounts"
    verbose_name = "Organizations and people"

    def ready(self) -> None:
        from allauth.account.decorators import secure_admin_login
        from allauth.account.signals import authentication_step_completed
        from allauth.mfa.signals import authenticator_removed
        from axes.signals import user_locked_out
        from django.contrib import admin
        from django.contrib.auth.signals import user_login_failed

        # The Django admin has no sign-in of its own: its login page sends to allauth's (password,
        # then the second factor). Issue 9 item 2.
        admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
        authentication_step_completed.connect(
            _rotate_session_on_reauthentication, dispatch_uid="tl_reauth_rotate"
        )
        authenticator_removed.connect(
            _end_other_sessions_after_factor_removed, dispatch_uid="tl_factor_removed"
        )
        user_locked_out.connect(_log_lockout, dispatch_uid="tl_log_lockout")
        user_login_failed.connect(_log_login_failed, dispatch_uid="tl_log_login_failed")


def _rotate_session_on_reauthentication(sender: Any, request: Any = None, **kwargs: Any) -> None:
    """Re-entering the password (or a code) for a sensitive change gets a new session key, so a key
    copied before the change is worth nothing after it."""
    if request is None or not kwargs.get("reauthenticated") or not hasattr(request, "session"):
        return
    from allauth import app_settings as allauth_settings

    old_key = request.session.session_key
    request.session.cycle_key()
    if allauth_settings.USERSESSIONS_ENABLED and old_key:
        from allauth.usersessions.models import UserSession

        UserSession.objects.filter(session_key=old_key).update(session_key=request.session.session_key)
    from threadline.accounts.security_log import log_event

    log_event("reauthenticated", request=request, method_used=kwargs.get("method"), level=20)


def _end_other_sessions_after_factor_removed(
    sender: Any, request: Any = None, user: Any = None, **kwargs: Any
) -> None:
    """A factor removed by its owner: any other session (perhaps the one on the lost phone) ends now;
    this one stays. (A password change ends the others already: Django's session hash changes.)"""
    if request is None or user is None or not getattr(user, "is_authenticated", False):
        return
    from threadline.accounts.security_log import log_event
    from threadline.accounts.services import end_sessions_of

    ended = end_sessions_of(user=user, keep_session_key=request.session.session_key)
    log_event("factor_removed", request=request, other_sessions_ended=ended, level=20)


def _log_lockout(sender: Any, request: Any = None, username: str | None = None, **kwargs: Any) -> None:
    from threadline.accounts.security_log import log_event

    log_event("signin_locked_out", request=request, account=(username or "")[:254] or None)


def _log_login_failed(
    sender: Any, credentials: dict[str, Any] | None = None, request: Any = None, **kwargs: Any
) -> None:
    # Django's own signal (any authenticate() that failed, e.g. a password re-entry); allauth's login
    # form failures are logged by the adapter with the typed e-mail.
    if request is None or request.path.startswith("/accounts/login"):
        return
    from threadline.accounts.security_log import log_event

    log_event("password_refused", request=request)

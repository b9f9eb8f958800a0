"""allauth MFA adapter: the TOTP secret and the recovery-code seed are sealed with the project's AES-GCM
envelope under the current master key before they reach the database, and a wrong-password-like event
(a wrong code) goes to the security log."""

from __future__ import annotations

import base64
from typing import Any

from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from django import forms

from threadline.crypto.envelope import DecryptionFailed, open_sealed, seal
from threadline.crypto.keys import current_master_key_id, master_key

PREFIX = "tl1"
AAD = b"allauth.mfa|authenticator.data"


def seal_text(text: str) -> str:
    key_id = current_master_key_id()
    blob = seal(text.encode(), key=master_key(key_id), aad=AAD)
    return f"{PREFIX}:{key_id}:{base64.urlsafe_b64encode(blob).decode()}"


def open_text(value: str) -> str:
    prefix, _, rest = value.partition(":")
    key_id, _, encoded = rest.partition(":")
    if prefix != PREFIX or not key_id or not encoded:
        # Fail closed: a secret stored in clear (or by someone else) is never used as if sealed.
        raise DecryptionFailed("MFA secret is not sealed")
    return open_sealed(base64.urlsafe_b64decode(encoded), key=master_key(key_id), aad=AAD).decode()


def is_sealed(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX + ":")


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return seal_text(text)

    def decrypt(self, encrypted_text: str) -> str:
        return open_text(encrypted_text)

    def validation_error(self, code: str, *args: Any) -> forms.ValidationError:
        if code in {"incorrect_code", "too_many_login_attempts"}:
            from threadline.accounts.security_log import log_event

            request = getattr(context, "request", None)
            log_event("mfa_code_refused" if code == "incorrect_code" else "mfa_rate_limited", request=request)
        return super().validation_error(code, *args)


def _resealed(value: object, current: str) -> object:
    if not is_sealed(value):
        return value
    key_id = str(value).split(":", 2)[1]
    return value if key_id == current else seal_text(open_text(str(value)))


def reseal_all() -> int:
    """Re-seal every TOTP secret and recovery-code seed under the current master key (run by
    ``rotate_keys``), so the old master key can be retired without locking people out. Returns how many
    authenticators changed; each in its own transaction, so a crash leaves only whole rows."""
    from allauth.mfa.models import Authenticator
    from django.db import transaction

    current = current_master_key_id()
    changed = 0
    for pk in Authenticator.objects.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            authenticator = Authenticator.objects.select_for_update().get(pk=pk)
            data = dict(authenticator.data or {})
            new = {k: _resealed(v, current) for k, v in data.items() if k in ("secret", "seed")}
            codes = data.get("migrated_codes")
            if isinstance(codes, list):
                new["migrated_codes"] = [_resealed(code, current) for code in codes]
            if any(new[k] != data.get(k) for k in new):
                authenticator.data = {**data, **new}
                authenticator.save(update_fields=["data"])
                changed += 1
    return changed

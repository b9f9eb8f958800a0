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

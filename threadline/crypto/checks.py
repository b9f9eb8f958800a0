"""``manage.py check --deploy`` refuses weak keys: every secret key must carry 32 random bytes.

A key is given as text: hex (64+ digits) or base64 (standard or URL-safe, 43+ characters) of at least
32 bytes, e.g. ``python -c "import secrets; print(secrets.token_urlsafe(32))"``. A short password, a
sentence or a repeated pattern is refused. Keys may carry ids (``id:key,id:key``, the first one current)
so they can be replaced; every one listed is checked.
"""

from __future__ import annotations

import base64
import binascii
import string
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

MIN_BYTES = 32
MIN_DISTINCT = 16  # 32 random bytes have ~30 distinct values; a pattern like "abab..." has few


def key_bytes(text: str) -> bytes | None:
    """The raw bytes a key's text encodes, or None if it is neither hex nor base64."""
    text = text.strip()
    if len(text) >= 2 * MIN_BYTES and all(ch in string.hexdigits for ch in text):
        return bytes.fromhex(text) if len(text) % 2 == 0 else None
    padded = text + "=" * (-len(text) % 4)
    for decode in (base64.urlsafe_b64decode, base64.b64decode):
        try:
            return decode(padded.encode())
        except (binascii.Error, ValueError):
            continue
    return None


def weak_key_reason(text: str) -> str | None:
    raw = key_bytes(text)
    if raw is None:
        return "is not hex or base64 of random bytes"
    if len(raw) < MIN_BYTES:
        return f"holds {len(raw)} bytes; it needs {MIN_BYTES} random bytes"
    if len(set(raw)) < MIN_DISTINCT:
        return "is not random (too few distinct bytes)"
    return None


def split_key_ids(spec: str) -> list[tuple[str, str]]:
    """``"l2:abc,l1:def"`` -> [("l2", "abc"), ("l1", "def")]; a bare key has the id ""."""
    out = []
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        key_id, sep, value = part.partition(":")
        out.append((key_id, value) if sep else ("", part))
    return out


@register(Tags.security, deploy=True)
def check_key_strength(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for name, code in (("AUDIT_LEDGER_KEY", "E001"), ("BLIND_INDEX_KEY", "E002")):
        spec = str(getattr(settings, name, "") or "")
        entries = split_key_ids(spec)
        if not entries:
            errors.append(Error(f"{name} is not set", id=f"threadline.crypto.{code}"))
        for key_id, value in entries:
            reason = weak_key_reason(value)
            if reason:
                label = f"{name} ({key_id})" if key_id else name
                errors.append(
                    Error(
                        f"{label} {reason}",
                        hint='Generate one with: python -c "import secrets; print(secrets.token_urlsafe(32))"',
                        id=f"threadline.crypto.{code}",
                    )
                )
    for key_id, value in split_key_ids(str(getattr(settings, "MASTER_KEYS", "") or "")):
        reason = weak_key_reason(value)
        if reason or not key_id:
            errors.append(
                Error(
                    f"MASTER_KEYS entry {key_id!r} {reason or 'has no key id'}",
                    hint="Each entry is id:<base64 of 32 random bytes>, the first one current.",
                    id="threadline.crypto.E003",
                )
            )
    if getattr(settings, "AUDIT_LEDGER_KEY", "") and settings.AUDIT_LEDGER_KEY == settings.SECRET_KEY:
        errors.append(Error("AUDIT_LEDGER_KEY must differ from SECRET_KEY", id="threadline.crypto.E004"))
    return errors

"""Master keys from settings. ``MASTER_KEYS = "k2:<base64>,k1:<base64>"``: the first one wraps new
data keys; the others still unwrap old ones until ``rotate_keys`` has re-wrapped everything."""

from __future__ import annotations

import base64
import binascii
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=8)
def _parse(spec: str) -> tuple[tuple[str, bytes], ...]:
    from threadline.crypto.checks import split_key_ids

    keys = []
    for key_id, encoded in split_key_ids(spec):
        try:
            raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        except (binascii.Error, ValueError) as exc:
            raise ImproperlyConfigured(f"MASTER_KEYS entry {key_id!r} is not base64") from exc
        if len(raw) != 32:
            raise ImproperlyConfigured(f"MASTER_KEYS entry {key_id!r} must be 32 bytes (AES-256)")
        if not key_id or len(key_id) > 16:
            raise ImproperlyConfigured("every MASTER_KEYS entry needs a short key id: 'k1:<base64>'")
        keys.append((key_id, raw))
    if not keys:
        raise ImproperlyConfigured("MASTER_KEYS is empty")
    return tuple(keys)


def master_keys() -> dict[str, bytes]:
    return dict(_parse(getattr(settings, "MASTER_KEYS", "")))


def current_master_key_id() -> str:
    return _parse(getattr(settings, "MASTER_KEYS", ""))[0][0]


def master_key(key_id: str) -> bytes:
    try:
        return master_keys()[key_id]
    except KeyError:
        # Fail closed: a data key wrapped by a retired master key is unreadable, never "best effort".
        raise UnknownMasterKey(key_id) from None


def blind_index_keys() -> list[tuple[str, bytes]]:
    """``BLIND_INDEX_KEY``: one key, or several with ids (``b2:<new>,b1:<old>``), the first current.
    New tokens are made with the current key; searches look for tokens of every key listed, so a key is
    replaced in place: put the new one first, run ``manage.py rotate_blind_index`` (re-indexes every
    youth in batches, search keeps working meanwhile), then remove the old one."""
    from threadline.crypto.checks import split_key_ids

    spec = str(getattr(settings, "BLIND_INDEX_KEY", "") or "")
    keys = [(key_id, value.encode()) for key_id, value in split_key_ids(spec)]
    if not keys:
        raise ImproperlyConfigured("BLIND_INDEX_KEY is not set")
    return keys


def blind_index_key() -> bytes:
    return blind_index_keys()[0][1]


class UnknownMasterKey(LookupError):
    pass

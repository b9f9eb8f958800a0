"""Create, unwrap (with a small cache) and re-wrap data keys."""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from django.db import transaction
from django.utils import timezone

from threadline.crypto.envelope import new_data_key, unwrap_data_key, wrap_data_key
from threadline.crypto.keys import current_master_key_id
from threadline.crypto.models import DataKey

_CACHE: OrderedDict[tuple[str, bytes], bytes] = OrderedDict()
_CACHE_SIZE = 512
_LOCK = Lock()


def data_key_create() -> DataKey:
    key = DataKey()
    master_id, wrapped = wrap_data_key(new_data_key(), data_key_id=str(key.id))
    key.master_key_id = master_id
    key.wrapped = wrapped
    key.save(force_insert=True)
    return key


def unwrapped(key: DataKey) -> bytes:
    """The raw data key. Cached by (id, wrapped bytes): a re-wrapped or deleted key never hits a stale
    entry, and opening one record does not pay an unwrap per field."""
    return unwrapped_values(key_id=str(key.id), wrapped=bytes(key.wrapped), master_key_id=key.master_key_id)


def unwrapped_values(*, key_id: str, wrapped: bytes, master_key_id: str) -> bytes:
    """``unwrapped`` of a data key read as plain values (a query's ``values_list``), same cache."""
    cache_key = (key_id, wrapped)
    with _LOCK:
        raw = _CACHE.get(cache_key)
        if raw is not None:
            _CACHE.move_to_end(cache_key)
            return raw
    raw = unwrap_data_key(wrapped, data_key_id=key_id, master_key_id=master_key_id)
    with _LOCK:
        _CACHE[cache_key] = raw
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return raw


def forget(key_id: str) -> None:
    with _LOCK:
        for cache_key in [k for k in _CACHE if k[0] == key_id]:
            del _CACHE[cache_key]


def rewrap_all(batch: int = 500) -> int:
    """Re-wrap every data key not under the current master key. Field ciphertexts are untouched."""
    target = current_master_key_id()
    done = 0
    while True:
        with transaction.atomic():
            keys = list(DataKey.objects.select_for_update().exclude(master_key_id=target)[:batch])
            if not keys:
                return done
            for key in keys:
                raw = unwrapped(key)
                key.master_key_id, key.wrapped = wrap_data_key(
                    raw, data_key_id=str(key.id), master_key_id=target
                )
                key.rotated_at = timezone.now()
                key.save(update_fields=["master_key_id", "wrapped", "rotated_at"])
                done += 1

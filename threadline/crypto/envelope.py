"""AES-256-GCM envelope encryption.

A random data key per youth encrypts that youth's identifying fields; a master key from settings wraps
(encrypts) the data key. Associated data binds each ciphertext to ``table|column|pk``, so a value copied
into another row or column fails to decrypt instead of showing the wrong youth's name. Any failure
raises :class:`DecryptionFailed`: nothing ever returns ciphertext or an empty value in its place.
"""

from __future__ import annotations

import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from threadline.crypto.keys import current_master_key_id, master_key

VERSION = b"\x01"
NONCE_BYTES = 12


class DecryptionFailed(Exception):
    """Wrong key, wrong row, tampered bytes or unknown format. Never swallowed."""


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def seal(plaintext: bytes, *, key: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return VERSION + nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def open_sealed(blob: bytes, *, key: bytes, aad: bytes) -> bytes:
    return _open_with(AESGCM(key), blob, aad=aad)


def _open_with(cipher: AESGCM, blob: bytes, *, aad: bytes) -> bytes:
    blob = bytes(blob)
    if len(blob) < 1 + NONCE_BYTES + 16 or blob[:1] != VERSION:
        raise DecryptionFailed("not a Threadline ciphertext")
    nonce, body = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
    try:
        return cipher.decrypt(nonce, body, aad)
    except InvalidTag as exc:
        raise DecryptionFailed("ciphertext does not open with this key and row") from exc


def wrap_data_key(
    data_key: bytes, *, data_key_id: str, master_key_id: str | None = None
) -> tuple[str, bytes]:
    key_id = master_key_id or current_master_key_id()
    return key_id, seal(data_key, key=master_key(key_id), aad=f"datakey|{data_key_id}".encode())


def unwrap_data_key(wrapped: bytes, *, data_key_id: str, master_key_id: str) -> bytes:
    return _open_with(
        _master_cipher(master_key(master_key_id)), wrapped, aad=f"datakey|{data_key_id}".encode()
    )


@lru_cache(maxsize=8)
def _master_cipher(key: bytes) -> AESGCM:
    """The cipher of a master key, made once (as dear as unwrapping one data key; a bulk job unwraps
    thousands)."""
    return AESGCM(key)

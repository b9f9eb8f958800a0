"""Keyed blind indexes: find a youth by name, alias, date of birth or phone without the database ever
holding a readable value. Each token is HMAC-SHA256(BLIND_INDEX_KEY, kind:value), truncated to 128 bits.

Names are normalized (case, accents, punctuation) and split into tokens; each token is indexed exactly
and by its phonetic codes (Metaphone and NYSIIS), so "Jazmin" finds "Jasmine" and "Lopes" finds "López".
Hashed identifiers still count as identifying data: these rows are protected like the rest.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

import jellyfish

from threadline.crypto.keys import blind_index_key

_SPLIT = re.compile(r"[^0-9a-z]+")


def normalize(text: str) -> str:
    if text.isascii():
        return text.lower()  # the same: ASCII has nothing to decompose, and casefolds as it lowercases
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def name_tokens(text: str) -> list[str]:
    return [t for t in _SPLIT.split(normalize(text)) if len(t) >= 2]


_USING: ContextVar[bytes | None] = ContextVar("blind_index_key", default=None)


@contextmanager
def using(key: bytes) -> Iterator[None]:
    """Compute digests under this key (searching while a key is being replaced)."""
    token = _USING.set(key)
    try:
        yield
    finally:
        _USING.reset(token)


def digest(kind: str, value: str) -> str:
    key = _USING.get() or blind_index_key()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:32]


_SPANISH_FOLDS = (
    ("ll", "y"),
    ("qu", "k"),
    ("gue", "ge"),
    ("gui", "gi"),
    ("ce", "se"),
    ("ci", "si"),
    ("z", "s"),
    ("v", "b"),
    ("x", "j"),
    ("ph", "f"),
)


def spanish_fold(token: str) -> str:
    """Spellings that sound alike in Spanish (Quintanilla / Quintaniya, Vásquez / Basques): many of the
    youths served have Spanish names, and English phonetic codes miss these."""
    folded = token[1:] if token.startswith("h") else token
    for source, target in _SPANISH_FOLDS:
        folded = folded.replace(source, target)
    return folded


def name_digests(text: str) -> dict[str, set[str]]:
    """For each token of a name: its exact digest and its phonetic digests."""
    out: dict[str, set[str]] = {}
    for token in name_tokens(text):
        codes = {digest("name", token)}
        if token.isalpha():
            for kind, code in (
                ("mp", jellyfish.metaphone(token)),
                ("ny", jellyfish.nysiis(token)),
                ("es", jellyfish.metaphone(spanish_fold(token))),
            ):
                if code:
                    codes.add(digest(kind, code))
        out[token] = codes
    return out


def dob_digest(value: date) -> str:
    return digest("dob", value.isoformat())


def phone_digest(text: str) -> str | None:
    digits = re.sub(r"\D", "", text)
    if len(digits) < 7:
        return None
    return digest("phone", digits[-10:])

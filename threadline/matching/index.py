"""Keep each youth's blocking keys and comparison profile in step with the youth record. Called by
``youth.search_index.reindex`` (every write that changes names, aliases, birth date or phones), and in
bulk by ``manage.py matching_reindex``."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from datetime import date
from itertools import combinations
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from threadline.crypto.keys import blind_index_key
from threadline.matching.blocking import letter_keys, pair_value, word_keys, youth_keys
from threadline.matching.compare import Person, names_parse, phone_digits
from threadline.matching.models import BlockKey, MatchProfile
from threadline.matching.names import blocking_code

_KEYED: dict[str, Any] = {}


def _keyed_state() -> Any:
    """The HMAC state of the current blind-index key, made once per key setting (parsing the setting
    and keying the HMAC cost more than the digest itself)."""
    spec = str(getattr(settings, "BLIND_INDEX_KEY", "") or "")
    proto = _KEYED.get(spec)
    if proto is None:
        _KEYED.clear()
        proto = _KEYED[spec] = hmac.new(blind_index_key(), digestmod=hashlib.sha256)
    return proto


def key_digest(rule: str, value: str) -> int:
    """The keyed blind index of one blocking key (``crypto.blind.digest``'s HMAC with its own kind
    prefix, so a matching key never equals a youth-search token of the same text), cut to a signed
    64-bit integer: compact in the index, and a rare collision only adds a candidate to score."""
    return key_digests([(rule, value)])[(rule, value)]


def key_digests(keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """``key_digest`` of many (rule, value) keys, from one keyed state."""
    proto = _keyed_state()
    return {key: _digest(proto, *key) for key in keys}


def _digest(proto: Any, rule: str, value: str) -> int:
    mac = proto.copy()
    mac.update(f"match-{rule}:{value}".encode())
    return int.from_bytes(mac.digest()[:8], "big", signed=True)


def profile_of(youth: Any) -> dict[str, Any]:
    """The comparison profile of a youth (decrypted fields, in memory only)."""
    return {
        "names": [n for n in (youth.preferred_name, youth.legal_name) if n],
        "aliases": [a.name for a in youth.aliases.all() if a.name],
        "dob": youth.date_of_birth.isoformat() if youth.date_of_birth else None,
        "age": youth.estimated_age,
        "age_on": youth.age_recorded_on.isoformat() if youth.age_recorded_on else None,
        "gender": youth.gender_identity or "",
        "phones": [w.value for w in youth.contact_ways.all() if w.kind in ("phone", "text") and w.value],
        "counties": sorted({c.county for c in youth.counties.all()}),
        "guardians": [
            h.name for h in youth.household.all() if h.name and h.is_guardian and not h.alleged_exploiter
        ],
    }


def person_of(profile: dict[str, Any], today: date | None = None) -> Person:
    age = profile.get("age")
    if age is not None and profile.get("age_on"):
        today = today or timezone.localdate()
        age += max(0, (today - date.fromisoformat(profile["age_on"])).days // 365)
    return Person.make(
        names=profile.get("names", []),
        aliases=profile.get("aliases", []),
        dob=date.fromisoformat(profile["dob"]) if profile.get("dob") else None,
        age=age,
        gender=profile.get("gender", ""),
        phones=profile.get("phones", []),
        counties=profile.get("counties", []),
        guardians=profile.get("guardians", []),
    )


def keyed_person_of(profile: dict[str, Any]) -> Person:
    """What ``blocking.youth_keys`` reads of a profile (names, other names, birth date, phones): the
    ``person_of`` a youth's digests are computed from, without what only the comparisons read."""
    return Person.make(
        names=profile.get("names", []),
        aliases=profile.get("aliases", []),
        dob=date.fromisoformat(profile["dob"]) if profile.get("dob") else None,
        phones=profile.get("phones", []),
    )


def digests_of(person: Person) -> set[int]:
    return set(key_digests(youth_keys(person)).values())


class _KeyedHash:
    """HMAC-SHA256 under one key, keyed once: each message copies the keyed state (``hmac``'s own
    ``copy``) instead of keying afresh, as ``_keyed_state`` does for one youth's keys. A copy of OpenSSL's
    HMAC context straight from ``_hashlib`` (about 0.3 us less a digest) or RFC 2104 written out over two
    ``hashlib.sha256`` states (0.4 us less) were measured and not kept: a private module, or a MAC of our
    own, for 2-4 us of a youth's ~45 in a build."""

    def __init__(self, key: bytes) -> None:
        self._keyed = hmac.new(key, digestmod=hashlib.sha256)

    def digest(self, message: bytes) -> bytes:
        keyed = self._keyed.copy()
        keyed.update(message)
        return keyed.digest()


class BulkDigests:
    """``digests_of(keyed_person_of(profile))`` for many youths in one build, as 8-byte digests (the
    big-endian bytes of ``key_digest``'s integer, as binary COPY writes a bigint): the keys of
    ``blocking.youth_keys`` (the same values, written here without the sets of (rule, value) pairs;
    tests/matching/test_bulk.py compares the two), with what youths share kept for the build. A word's
    keys (the word, its sound codes) and its blocking code, a birth date's key, two words' sound codes,
    a sound code with a birth year, a phone, a compound surname, two letters of two words: computed once
    each. A date with a sound code, nearly each youth's own, is computed each time. Lives as long as one
    build (it holds the keyed state of the build's ``BLIND_INDEX_KEY``).

    ``keys_of`` looks the stores up itself (most of a youth's 20 keys are found there, and a method call
    for each cost more than the lookup); the ``_new_*`` methods compute and keep what a lookup missed."""

    def __init__(self) -> None:
        self._hash = _KeyedHash(blind_index_key())
        self._words: dict[str, tuple[str, tuple[bytes, ...]]] = {}  # word -> (blocking code, tk + tc digests)
        # dob -> (its digest, the dn keys' prefix, its year, the cy digests of that year by sound code)
        self._dates: dict[str, tuple[bytes, str, str, dict[str, bytes]]] = {}
        self._years: dict[str, dict[str, bytes]] = {}
        # Two blocking codes, sorted -> np digest: looked up by the pair itself (no text made to find it).
        self._pairs: dict[tuple[str, str], bytes] = {}
        self._kept: dict[str, bytes] = {}  # key text -> digest: a compound's tk, ps, ph

    def _digest(self, text: str) -> bytes:
        return self._hash.digest(text.encode())[:8]

    def _new_word(self, token: str) -> tuple[str, tuple[bytes, ...]]:
        found = self._words[token] = (
            blocking_code(token),
            tuple(self._digest(f"match-{rule}:{value}") for rule, value in sorted(word_keys(token))),
        )
        return found

    def _new_date(self, text: str) -> tuple[bytes, str, str, dict[str, bytes]]:
        dob = date.fromisoformat(text)
        day, year = dob.isoformat(), str(dob.year)
        codes = self._years.setdefault(year, {})
        found = self._dates[text] = (self._digest(f"match-dob:{day}"), f"match-dn:{day}|", year, codes)
        return found

    def _new_code_year(self, code: str, year: str, codes: dict[str, bytes]) -> bytes:
        found = codes[code] = self._digest(f"match-cy:{code}|{year}")
        return found

    def _new_pair(self, pair: tuple[str, str]) -> bytes:
        found = self._pairs[pair] = self._digest(f"match-np:{pair_value(*pair)}")
        return found

    def _new_kept(self, text: str) -> bytes:
        found = self._kept[text] = self._digest(text)
        return found

    def keys_of(self, profile: dict[str, Any]) -> set[bytes]:
        """The digests of ``youth_keys(keyed_person_of(profile))``."""
        out: set[bytes] = set()
        add, digest, kept, new_kept = out.add, self._digest, self._kept, self._new_kept
        dated = None
        if dob := profile.get("dob"):
            dated = self._dates.get(dob) or self._new_date(dob)
            add(dated[0])
        for phone in profile.get("phones", ()):
            if digits := phone_digits(phone):
                key = f"match-ph:{digits[-7:]}"
                add(kept.get(key) or new_kept(key))
        # ``Person.make``'s names, then its other names, each parsed once (the keys are a set: one text
        # in both counts once).
        names = profile.get("names", ())
        lettered = False
        words, pairs = self._words, self._pairs
        for text in dict.fromkeys(n for n in (*names, *profile.get("aliases", ())) if n and n.strip()):
            parsed = names_parse(text)
            if not parsed.given:
                continue
            codes: dict[str, None] = {}  # ``blocking.name_codes``: each word's blocking code, in order
            for token in parsed.tokens[:5]:
                code, found = words.get(token) or self._new_word(token)
                codes[code] = None
                out.update(found)
            for compound in parsed.compounds:
                key = f"match-tk:{compound}"
                add(kept.get(key) or new_kept(key))
            for pair in combinations(sorted(codes), 2):  # ``blocking.code_pairs``
                add(pairs.get(pair) or self._new_pair(pair))
            if dated is not None:
                _dob, dn, year, coded = dated
                for code in codes:
                    add(coded.get(code) or self._new_code_year(code, year, coded))
                    add(digest(f"{dn}{code}"))
            # ``blocking.letter_keys`` of the first name (not other name) with a first name and a surname.
            if not lettered and parsed.surnames and text in names:
                lettered = True
                for rule, value in letter_keys(parsed):  # the rule's own two keys, once a youth
                    key = f"match-{rule}:{value}"
                    add(kept.get(key) or new_kept(key))
        return out


def digests_packed(digests: Iterable[bytes]) -> bytes:
    """A youth's digests (8 big-endian bytes each, as ``BulkDigests`` makes them) as
    ``MatchProfile.digests`` keeps them: in byte order, one after the other."""
    return b"".join(sorted(digests))


def _as_bytes(digest: int) -> bytes:
    return digest.to_bytes(8, "big", signed=True)


def _keys_remove(youth: Any) -> None:
    """Delete the youth's profile row and its keys: the keys by (digest, youth), the primary key, from
    the digests the deleted row listed (``BlockKey`` has no other index). Two statements, as before
    the list (the keys by ``youth``, then the row)."""
    table = connection.ops.quote_name(MatchProfile._meta.db_table)
    youth_id = MatchProfile._meta.pk.get_db_prep_value(youth.pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE youth_id = %s RETURNING digests", [youth_id])  # noqa: S608
        packed = b"".join(bytes(row[0]) for row in cursor.fetchall())
    if packed:
        digests = [int.from_bytes(packed[i : i + 8], "big", signed=True) for i in range(0, len(packed), 8)]
        BlockKey.objects.filter(youth=youth, digest__in=digests).delete()


def youth_index_update(youth: Any) -> None:
    """Replace the youth's blocking keys and profile. Runs inside the caller's transaction."""
    from threadline.matching.selectors import merged_ids

    _keys_remove(youth)
    if youth.pk in merged_ids([youth.pk]):
        return  # a merged record is found through its survivor only
    profile = profile_of(youth)
    digests = digests_of(keyed_person_of(profile))
    BlockKey.objects.bulk_create([BlockKey(youth=youth, digest=d) for d in digests])
    row = MatchProfile(
        youth=youth, data=profile, updated_at=timezone.now(), digests=digests_packed(map(_as_bytes, digests))
    )
    row.youth = youth
    row.save(force_insert=True)


def youth_index_remove(youth: Any) -> None:
    _keys_remove(youth)

"""Keep each youth's blocking keys and comparison profile in step with the youth record. Called by
``youth.search_index.reindex`` (every write that changes names, aliases, birth date or phones), and in
bulk by ``manage.py matching_reindex``."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import timezone

from threadline.crypto.keys import blind_index_key
from threadline.matching.blocking import dated_name_keys, name_codes, name_keys, youth_keys, youth_record_keys
from threadline.matching.compare import Person
from threadline.matching.models import BlockKey, MatchProfile

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


# Rules whose keys many youths share (a word, a year, a birth date): worth keeping during a build.
_SHARED_RULES = frozenset({"tk", "tc", "cy", "dob", "ph", "pc"})


class BulkDigests:
    """``digests_of`` for many youths in one build: the same keys (``blocking``'s parts of
    ``youth_keys``), with the digests of what youths share kept for the build: the keys of single words,
    birth dates, years and phones. Keys nearly each youth's own (two words of a
    name, a date with a sound code) are computed each time. Lives as long as one build (it holds the
    keyed state of the build's ``BLIND_INDEX_KEY``)."""

    def __init__(self) -> None:
        self._proto = _keyed_state()
        self._keys: dict[tuple[str, str], int] = {}

    def _of(self, key: tuple[str, str]) -> int:
        if key[0] not in _SHARED_RULES:
            return _digest(self._proto, *key)
        found = self._keys.get(key)
        if found is None:
            found = self._keys[key] = _digest(self._proto, *key)
        return found

    def digests_of(self, person: Person) -> set[int]:
        out = {self._of(key) for key in youth_record_keys(person)}
        for parsed in person.all_names:
            out.update(self._of(key) for key in name_keys(parsed))
            if person.dob is not None:
                out.update(self._of(key) for key in dated_name_keys(name_codes(parsed), person.dob))
        return out


def youth_index_update(youth: Any) -> None:
    """Replace the youth's blocking keys and profile. Runs inside the caller's transaction."""
    from threadline.matching.selectors import merged_ids

    BlockKey.objects.filter(youth=youth).delete()
    if youth.pk in merged_ids([youth.pk]):
        # A merged record is found through its survivor only.
        MatchProfile.objects.filter(youth=youth).delete()
        return
    profile = profile_of(youth)
    person = keyed_person_of(profile)
    BlockKey.objects.bulk_create([BlockKey(youth=youth, digest=d) for d in digests_of(person)])
    row = MatchProfile(youth=youth, data=profile, updated_at=timezone.now())
    row.youth = youth
    MatchProfile.objects.filter(youth=youth).delete()
    row.save(force_insert=True)


def youth_index_remove(youth: Any) -> None:
    BlockKey.objects.filter(youth=youth).delete()
    MatchProfile.objects.filter(youth=youth).delete()

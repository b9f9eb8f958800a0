"""Keep each youth's blocking keys and comparison profile in step with the youth record. Called by
``youth.search_index.reindex`` (every write that changes names, aliases, birth date or phones), and in
bulk by ``manage.py matching_reindex``."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.utils import timezone

from threadline.crypto.keys import blind_index_key
from threadline.matching.blocking import youth_keys
from threadline.matching.compare import Person
from threadline.matching.models import BlockKey, MatchProfile

_KEYED: dict[bytes, Any] = {}


def key_digest(rule: str, value: str) -> str:
    """``crypto.blind.digest`` with its own kind prefix (a matching key never equals a youth-search
    token of the same text); the keyed HMAC state is made once per key and copied per digest."""
    key = blind_index_key()
    proto = _KEYED.get(key)
    if proto is None:
        proto = _KEYED[key] = hmac.new(key, digestmod=hashlib.sha256)
    mac = proto.copy()
    mac.update(f"match-{rule}:{value}".encode())
    return str(mac.hexdigest()[:32])


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
    today = today or timezone.localdate()
    age = profile.get("age")
    if age is not None and profile.get("age_on"):
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


def digests_of(person: Person) -> set[str]:
    return {key_digest(rule, value) for rule, value in youth_keys(person)}


def youth_index_update(youth: Any) -> None:
    """Replace the youth's blocking keys and profile. Runs inside the caller's transaction."""
    from threadline.matching.selectors import merged_ids

    BlockKey.objects.filter(youth=youth).delete()
    if youth.pk in merged_ids([youth.pk]):
        # A merged record is found through its survivor only.
        MatchProfile.objects.filter(youth=youth).delete()
        return
    profile = profile_of(youth)
    person = person_of(profile)
    BlockKey.objects.bulk_create([BlockKey(youth=youth, digest=d) for d in digests_of(person)])
    row = MatchProfile(youth=youth, data=profile, updated_at=timezone.now())
    row.youth = youth
    MatchProfile.objects.filter(youth=youth).delete()
    row.save(force_insert=True)


def youth_index_remove(youth: Any) -> None:
    BlockKey.objects.filter(youth=youth).delete()
    MatchProfile.objects.filter(youth=youth).delete()


def bulk_rows(
    items: Iterable[tuple[Any, dict[str, Any]]],
) -> tuple[list[tuple[Any, str]], list[MatchProfile]]:
    """Rows for many youths at once (benchmark, bulk loads): (youth id, digest) pairs for the blocking
    keys, and the profiles (sealed when saved)."""
    keys: list[tuple[Any, str]] = []
    profiles: list[MatchProfile] = []
    for youth, profile in items:
        person = person_of(profile)
        keys.extend((youth.pk, d) for d in digests_of(person))
        row = MatchProfile(youth=youth, data=profile)
        profiles.append(row)
    return keys, profiles

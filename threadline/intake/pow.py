"""Abuse protection for the public referral page without any third-party service: a proof-of-work
challenge in the ALTCHA format (the ``altcha`` package; the browser solves it with our own small
script) plus a per-address rate limit. Addresses are kept only as a keyed hash, in the cache."""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

from altcha import v1 as altcha
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import salted_hmac


def _key() -> str:
    return salted_hmac("threadline.intake.pow", "altcha-key", algorithm="sha256").hexdigest()


def challenge() -> dict[str, Any]:
    expires = timezone.now() + datetime.timedelta(minutes=int(getattr(settings, "INTAKE_POW_MINUTES", 60)))
    made = altcha.create_challenge(
        altcha.ChallengeOptions(
            hmac_key=_key(),
            max_number=int(getattr(settings, "INTAKE_POW_MAX_NUMBER", 100_000)),
            expires=expires,
        )
    )
    return {
        "algorithm": made.algorithm,
        "challenge": made.challenge,
        "maxnumber": made.max_number,
        "salt": made.salt,
        "signature": made.signature,
    }


def challenge_json() -> str:
    return json.dumps(challenge())


def verify(payload: str) -> bool:
    """A solved, unexpired, signed challenge, used once."""
    if not payload or len(payload) > 2000:
        return False
    try:
        ok, _error = altcha.verify_solution(payload, _key(), check_expires=True)
    except Exception:  # any malformed payload is simply not a solution
        return False
    if not ok:
        return False
    digest = hashlib.sha256(payload.encode()).hexdigest()
    # Each solution works once: cache.add refuses a key that is already there.
    return bool(cache.add(f"intake:pow:{digest}", 1, timeout=2 * 3600))


def rate_limited(ip: str) -> bool:
    """True when this address has sent too many referrals in the last hour."""
    limit = int(getattr(settings, "INTAKE_REFER_PER_HOUR", 10))
    key = (
        "intake:refer:"
        + salted_hmac("threadline.intake.rate", ip or "-", algorithm="sha256").hexdigest()[:32]
    )
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > limit

"""Issue 19 V11: the proof-of-work and rate-limit keys are HMAC-SHA-256, not Django's SHA-1 default."""

from __future__ import annotations

from unittest import mock

from django.utils.crypto import salted_hmac

from threadline.intake import pow as intake_pow


def test_pow_key_and_rate_key_use_sha256() -> None:
    assert (
        intake_pow._key()
        == salted_hmac("threadline.intake.pow", "altcha-key", algorithm="sha256").hexdigest()
    )
    assert len(intake_pow._key()) == 64  # SHA-1 would give 40 hex digits
    calls: list[str] = []

    def spy(key_salt: str, value: str, secret: str | None = None, *, algorithm: str = "sha1") -> object:
        calls.append(algorithm)
        return salted_hmac(key_salt, value, secret, algorithm=algorithm)

    with (
        mock.patch.object(intake_pow, "salted_hmac", spy),
        mock.patch("threadline.intake.pow.cache.incr", return_value=1),
    ):
        intake_pow.rate_limited("203.0.113.9")
        intake_pow._key()
    assert calls == ["sha256", "sha256"]

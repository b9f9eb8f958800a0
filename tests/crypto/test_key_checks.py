"""Issue 19 V11/V14: ``check --deploy`` refuses short or non-random keys (32 random bytes each)."""

from __future__ import annotations

import base64
import secrets

from django.core.checks import run_checks
from django.test import override_settings

from threadline.crypto.checks import weak_key_reason

GOOD = secrets.token_urlsafe(32)
GOOD_MASTER = "k1:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def key_errors() -> list[str]:
    return sorted(
        m.id or ""
        for m in run_checks(include_deployment_checks=True)
        if (m.id or "").startswith("threadline.crypto.")
    )


def test_strong_keys_pass() -> None:
    with override_settings(
        AUDIT_LEDGER_KEY=GOOD, BLIND_INDEX_KEY=secrets.token_hex(32), MASTER_KEYS=GOOD_MASTER
    ):
        assert key_errors() == []


def test_one_character_and_short_keys_fail_the_deploy_check() -> None:
    with override_settings(
        AUDIT_LEDGER_KEY="x", BLIND_INDEX_KEY="correct horse battery", MASTER_KEYS=GOOD_MASTER
    ):
        assert key_errors() == ["threadline.crypto.E001", "threadline.crypto.E002"]


def test_every_listed_key_is_checked_and_patterns_are_refused() -> None:
    weak_master = "k2:" + base64.urlsafe_b64encode(b"ab" * 16).decode()
    with override_settings(
        AUDIT_LEDGER_KEY=f"l2:{GOOD},l1:short",
        BLIND_INDEX_KEY=GOOD,
        MASTER_KEYS=f"{weak_master},{GOOD_MASTER}",
    ):
        assert key_errors() == ["threadline.crypto.E001", "threadline.crypto.E003"]
    assert weak_key_reason("a" * 64) == "is not random (too few distinct bytes)"
    assert weak_key_reason(secrets.token_urlsafe(16)) == "holds 16 bytes; it needs 32 random bytes"

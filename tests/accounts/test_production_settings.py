"""Issue 19 (V6): production refuses to start without REDIS_URL (rate limits, lockout state and used
TOTP codes must be shared by every process, not kept per process)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_production_refuses_to_start_without_redis(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "threadline.settings.production",
        "SECRET_KEY": "x" * 40 + "production-like-secret-key-abcdefghijklmnop",
        "AUDIT_LEDGER_KEY": "y" * 50,
        "MASTER_KEYS": "k1:" + "A" * 43 + "=",
        "BLIND_INDEX_KEY": "z" * 50,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
        "ALLOWED_HOSTS": "threadline.example.org",
        "THREADLINE_VAR_DIR": str(tmp_path),
        "DEMO_MODE": "0",
    }
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    assert "REDIS_URL must be set in production" in result.stderr

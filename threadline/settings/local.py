"""Local development and ``make run``: safe defaults, SQLite under var/, console e-mail."""

from __future__ import annotations

import os

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool

VAR_DIR.mkdir(parents=True, exist_ok=True)


def _local_secret(name: str, nbytes: int = 48) -> str:
    """A random secret kept under var/ so a fresh checkout needs no configuration."""
    value = os.environ.get(name)
    if value:
        return value
    path = VAR_DIR / f".{name.lower()}"
    if not path.exists():
        import base64
        import secrets

        path.write_text(base64.urlsafe_b64encode(secrets.token_bytes(nbytes)).decode())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _local_secret("SECRET_KEY")
AUDIT_LEDGER_KEY = _local_secret("AUDIT_LEDGER_KEY")
MASTER_KEYS = os.environ.get("MASTER_KEYS") or f"k1:{_local_secret('MASTER_KEY_K1', nbytes=32)}"
BLIND_INDEX_KEY = _local_secret("BLIND_INDEX_KEY")
DEBUG = env_bool("DEBUG", False)
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # http://127.0.0.1 in development only
# Serve static files straight from the apps (no collectstatic step for `make run`).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405

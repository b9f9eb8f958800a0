"""Settings for the test suite. DATABASE_URL picks PostgreSQL; otherwise an SQLite file per run."""

from __future__ import annotations

import base64
import os
import tempfile

from .base import *  # noqa: F403
from .base import huey_settings

SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdef"  # noqa: S105
AUDIT_LEDGER_KEY = "test-ledger-key-0123456789abcdef"
MASTER_KEYS = "k1:" + base64.urlsafe_b64encode(b"t" * 32).decode()
BLIND_INDEX_KEY = "test-blind-index-key-0123456789"
# Never the developer's real anchor file; tests that write anchors point this at their own tmp_path.
AUDIT_ANCHOR_PATH = os.path.join(tempfile.gettempdir(), f"threadline-test-anchors-{os.getpid()}", "a.jsonl")
DEBUG = False
DEMO_MODE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; production uses Argon2
HUEY = huey_settings(immediate=True)
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
ACCOUNT_RATE_LIMITS = {}  # axes covers lockout; allauth's limits would slow tests
HSDS_SPEC_DIR_REQUIRED = os.environ.get("CI", "").lower() == "true"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
# A second alias on the test database (a mirror, as a replica would be), for the router's tests: off
# unless a test sets READ_REPLICA_ALIAS (tests/core/test_replica_router.py).
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
READ_REPLICA_ALIAS = None

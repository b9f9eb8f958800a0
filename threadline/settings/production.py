"""Production: PostgreSQL, Redis, HTTPS only. Every secret comes from the environment; nothing defaults."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, DEMO_MODE, huey_settings


def required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in production")
    return value


if DEMO_MODE:
    raise ImproperlyConfigured("DEMO_MODE lets demo users skip MFA; it is refused in production")

SECRET_KEY = required("SECRET_KEY")
AUDIT_LEDGER_KEY = required("AUDIT_LEDGER_KEY")
MASTER_KEYS = required("MASTER_KEYS")
BLIND_INDEX_KEY = required("BLIND_INDEX_KEY")
# One cache for every process: rate limits, lockout state and used TOTP codes (no replay) must not
# live in a per-process memory cache that each worker sees differently.
REDIS_URL = required("REDIS_URL")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
DEBUG = False
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("production runs on PostgreSQL: set DATABASE_URL=postgres://...")
HUEY = huey_settings()

SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# __Host- cookies: secure, host-only, path=/ — a sibling subdomain can never plant or read them.
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-threadline_session"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_NAME = "__Host-threadline_csrf"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_NAME = "__Host-threadline_lang"
MFA_TRUST_COOKIE_SECURE = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False

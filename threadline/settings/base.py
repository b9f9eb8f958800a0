"""Settings shared by every profile. Everything that differs between machines comes from the environment.

Profiles: ``local`` (default for ``make run``), ``test`` and ``production``.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("THREADLINE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# Demo users may skip MFA enrollment only while this is on; production refuses to start with it.
DEMO_MODE = env_bool("DEMO_MODE", False)

# Separate from SECRET_KEY: rotating the session secret must never break the ledger's chain,
# and a leaked SECRET_KEY must not let anyone forge ledger rows.
AUDIT_LEDGER_KEY = os.environ.get("AUDIT_LEDGER_KEY", "")
# Anchors of the ledger outside the database (threadline/audit/anchors.py): an append-only file, best on
# another host or a write-once mount, and optionally auditors' e-mail addresses (comma-separated).
AUDIT_ANCHOR_PATH = os.environ.get("AUDIT_ANCHOR_PATH", str(VAR_DIR / "ledger-anchors.jsonl"))
AUDIT_ANCHOR_EMAILS = [a.strip() for a in os.environ.get("AUDIT_ANCHOR_EMAILS", "").split(",") if a.strip()]

INSTALLED_APPS = [
    "threadline",
    "threadline.accounts",
    "threadline.access",
    "threadline.audit",
    "threadline.crypto",
    "threadline.youth",
    "threadline.intake",
    "threadline.care",
    "threadline.family",
    "threadline.mentoring",
    "threadline.directory",
    "threadline.referrals",
    "threadline.outcomes",
    "threadline.matching",
    "threadline.network",
    "threadline.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "axes",
    "auditlog",
    "csp",
    "django_htmx",
    "template_partials",
    "huey.contrib.djhuey",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "threadline.middleware.RequestContextMiddleware",
    "threadline.middleware.SecurityHeadersMiddleware",
    "threadline.middleware.RefusalLogMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "threadline.middleware.HtmxSignInMiddleware",
    "threadline.middleware.SessionTimeoutMiddleware",
    "threadline.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "threadline.middleware.ActiveOrganizationMiddleware",
    "threadline.middleware.MethodNotAllowedPageMiddleware",
    "threadline.middleware.RequireMFAMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Last, so that a locked-out login attempt is answered before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "threadline.urls"
WSGI_APPLICATION = "threadline.wsgi.application"
ASGI_APPLICATION = "threadline.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": False,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "threadline.context_processors.shell",
            ],
            # Listing the loaders turns off Django's default cache of compiled templates, so it is put
            # back here (as django-template-partials does when it sets the loaders itself): without it,
            # every page read and parsed each of its templates again. Under DEBUG the cache is emptied
            # whenever a template file changes.
            "loaders": [
                (
                    "template_partials.loader.Loader",
                    [
                        (
                            "django.template.loaders.cached.Loader",
                            [
                                "django.template.loaders.filesystem.Loader",
                                "django.template.loaders.app_directories.Loader",
                            ],
                        )
                    ],
                )
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]


def database_from_env(default_sqlite: Path) -> dict[str, object]:
    url = os.environ.get("DATABASE_URL", "")
    if url:
        db: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
        if db["ENGINE"] == "django.db.backends.sqlite3":
            db["OPTIONS"] = sqlite_options()
        else:
            db["OPTIONS"] = postgresql_options()
        return db
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(default_sqlite),
        "OPTIONS": sqlite_options(),
    }


POOLERS = ("", "pgbouncer-transaction")


def pooled(databases: dict[str, dict[str, object]], pooler: str) -> dict[str, dict[str, object]]:
    """The PostgreSQL databases as a connection pooler needs them (``DATABASE_POOLER``).
    ``pgbouncer-transaction``: pgbouncer in transaction mode hands each transaction a different server
    connection, so a named (server-side) cursor outliving its transaction would be lost; Django's
    ``.iterator()`` must use client-side cursors. psycopg 3's client-side binding cursors (Django's
    default) never prepare statements, so no ``prepare_threshold`` is needed."""
    if pooler not in POOLERS:
        raise ImproperlyConfigured(
            f"DATABASE_POOLER must be one of {', '.join(p or '(empty)' for p in POOLERS)}"
        )
    if pooler == "pgbouncer-transaction":
        for db in databases.values():
            if db.get("ENGINE") != "django.db.backends.sqlite3":
                db["DISABLE_SERVER_SIDE_CURSORS"] = True
    return databases


def postgresql_options() -> dict[str, object]:
    # No JIT compilation: the outcomes counting queries are estimated expensive (a subplan per youth)
    # and PostgreSQL spent up to 2.4 s compiling one that runs in 0.2 s (issue 18, 50,000 youths);
    # nothing in this application runs long enough to win the compile time back.
    return {"options": "-c jit=off"}


def sqlite_options() -> dict[str, object]:
    # IMMEDIATE transactions: read-then-write (the ledger head, versioned rows) takes the write lock up
    # front instead of failing with "database is locked" half way through. WAL lets readers go on.
    return {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }


DATABASES = {"default": database_from_env(VAR_DIR / "threadline.sqlite3")}
# A streaming replica for dashboards, reports and exports (threadline/core/replica.py, issue 18).
if os.environ.get("REPLICA_DATABASE_URL"):
    DATABASES["replica"] = dict(
        dj_database_url.parse(os.environ["REPLICA_DATABASE_URL"], conn_max_age=60, conn_health_checks=True),
        OPTIONS=postgresql_options(),
    )
# Behind pgbouncer in transaction mode (docs/operations.md): DATABASE_POOLER=pgbouncer-transaction.
DATABASES = pooled(DATABASES, os.environ.get("DATABASE_POOLER", "").strip())
READ_REPLICA_ALIAS = "replica" if "replica" in DATABASES else None
DATABASE_ROUTERS = ["threadline.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked username+IP before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Length, not composition (no "not entirely numeric" rule): a 20-digit password is fine. Refused: the
# person's own e-mail and name, the product's and the organizations' names (context words), Django's
# 20,000 common passwords and zxcvbn's 30,000 breached passwords plus its guess estimate (dictionary
# words, keyboard walks, dates, l33t). All offline: no password ever leaves the server.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ["email", "full_name"]},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "threadline.accounts.passwords.ContextWordsValidator"},
    {"NAME": "django_zxcvbn_password_validator.ZxcvbnPasswordValidator"},
]
PASSWORD_CONTEXT_WORDS = ["threadline", "thread line"]  # plus every organization's name, read live
PASSWORD_EXTRA_DICTIONARY = PASSWORD_CONTEXT_WORDS
PASSWORD_MINIMAL_STRENGTH = (
    3  # zxcvbn score 0-4; 3 = "safely unguessable: moderate protection from offline attack"
)

# --- allauth: e-mail + password, then a second factor --------------------------------------------
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "threadline.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False  # a reset link must never stand in for the second factor
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
# The "key" of login_failed is the account AND the client address (AccountAdapter), so five wrong
# passwords lock that e-mail only from that address: a shared shelter computer keeps working for
# everyone else, and a stranger cannot lock a 24/7 responder out from elsewhere. The per-address part
# is far above any real use (spraying many accounts from one address), and axes adds its own lockout.
ACCOUNT_RATE_LIMITS = {"login_failed": "60/m/ip,5/5m/key", "login": "60/m/ip"}
# Every account-security change (e-mail, password, factors) asks for the password or a factor again
# unless that was given in the last five minutes; re-authenticating rotates the session key.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_EMAIL_NOTIFICATIONS = True
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Threadline"
MFA_TOTP_TOLERANCE = 0  # a code lives one 30 s period, not 90 s; used codes cannot be replayed either
MFA_RECOVERY_CODE_DIGITS = 12  # 10^12 per code (allauth's default is 8 digits)
MFA_ADAPTER = "threadline.accounts.mfa.MFAAdapter"  # TOTP secret and recovery seed envelope-encrypted
MFA_REAUTHENTICATION_REQUIRED = True
USERSESSIONS_TRACK_ACTIVITY = False  # a row per sign-in, not a write per request
MFA_PASSKEY_LOGIN_ENABLED = False
# Staff e-mail addresses are entered by a program admin and proven by the one-time invitation link
# (public sign-up is closed), so allauth's separate e-mail verification step adds nothing here.
MFA_ALLOW_UNVERIFIED_EMAIL = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
MFA_FORMS = {"add_webauthn": "threadline.accounts.forms.AddWebAuthnForm"}  # its field labelled in Spanish too

# --- axes: lockout keyed on the pair, so guessing an e-mail from elsewhere locks out nobody else ---
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
# Failed sign-ins are evidence: a success does not wipe them (the lockout window still ends them).
AXES_RESET_ON_SUCCESS = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_CLIENT_IP_CALLABLE = "threadline.accounts.network.client_ip_or_unknown"
AXES_USERNAME_CALLABLE = "threadline.accounts.lockout.username_from_credentials"
AXES_LOCKOUT_TEMPLATE = "account/locked_out.html"
AXES_VERBOSE = False

# --- the client address behind a reverse proxy (one helper: threadline.accounts.network.client_ip) ---
# How many proxies in front of the app append to X-Forwarded-For. 0: use the socket address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# --- sessions: idle and absolute limits (minutes) ----------------------------------------------
SESSION_IDLE_TIMEOUT_MINUTES = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 15)
SESSION_ABSOLUTE_TIMEOUT_MINUTES = env_int("SESSION_ABSOLUTE_TIMEOUT_MINUTES", 12 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "threadline.views.csrf_failure"

# --- i18n ------------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "threadline" / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "America/Chicago")
USE_TZ = True
LANGUAGE_COOKIE_NAME = "tl_lang"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "media"},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- security headers ----------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

# --- e-mail ----------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Threadline <no-reply@threadline.invalid>")

# --- background work ---------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")


def huey_settings(immediate: bool = False) -> dict[str, object]:
    if REDIS_URL:
        return {
            "huey_class": "huey.RedisHuey",
            "name": "threadline",
            "url": REDIS_URL,
            "immediate": immediate,
            "consumer": {"workers": 2, "worker_type": "thread"},
        }
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "huey_class": "huey.SqliteHuey",
        "name": "threadline",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": immediate,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }


HUEY = huey_settings()

# One cache for all processes in production: used TOTP codes (no replay) and rate limits live here.
CACHES = (
    {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    if REDIS_URL
    else {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
)

# --- API ----------------------------------------------------------------------------------------------
API_TOKEN_DEFAULT_DAYS = env_int("API_TOKEN_DEFAULT_DAYS", 90)
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365)
NINJA_PAGINATION_PER_PAGE = 50

# --- logging: never identifying data; log lines carry only ids and the request id -------------------------
# Times are UTC with an explicit offset. The security log ("threadline.security": every sign-in failure,
# lockout, rate-limit, refused code or token, refused request) can also go off the host:
#   SECURITY_LOG_FILE=/var/log/threadline/security.jsonl  one JSON object a line, for a log collector
#   SYSLOG_ADDRESS=/dev/log  or  SYSLOG_ADDRESS=logs.example.org:514  (UDP syslog, JSON payload)
SECURITY_LOG_FILE = os.environ.get("SECURITY_LOG_FILE", "")
SYSLOG_ADDRESS = os.environ.get("SYSLOG_ADDRESS", "")
# Every access-ledger row, once, as a JSON line ("threadline.ledger", audit.forwarding; a huey job each
# minute): LEDGER_FORWARD_FILE=/var/log/threadline/ledger.jsonl and/or the same SYSLOG_ADDRESS.
LEDGER_FORWARD_FILE = os.environ.get("LEDGER_FORWARD_FILE", "")


def logging_settings() -> dict[str, object]:
    handlers: dict[str, dict[str, object]] = {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]},
    }
    security = ["console"]
    if SECURITY_LOG_FILE:
        handlers["security_file"] = {
            "class": "logging.handlers.WatchedFileHandler",
            "filename": SECURITY_LOG_FILE,
            "formatter": "json",
            "filters": ["request_id"],
        }
        security.append("security_file")
    if SYSLOG_ADDRESS:
        host, _, port = SYSLOG_ADDRESS.rpartition(":")
        address: object = [host, int(port)] if host and port.isdigit() else SYSLOG_ADDRESS
        handlers["syslog"] = {
            "class": "logging.handlers.SysLogHandler",
            "address": address,
            "facility": "auth",
            "formatter": "json",
            "filters": ["request_id"],
        }
        security.append("syslog")
    ledger = ["syslog"] if SYSLOG_ADDRESS else []
    if LEDGER_FORWARD_FILE:
        handlers["ledger_file"] = {
            "class": "logging.handlers.WatchedFileHandler",
            "filename": LEDGER_FORWARD_FILE,
            "formatter": "json",
        }
        ledger.append("ledger_file")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "threadline.context.RequestIdLogFilter"}},
        "formatters": {
            "plain": {
                "()": "threadline.accounts.security_log.UTCFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
            },
            "json": {"()": "threadline.accounts.security_log.JSONFormatter"},
        },
        "handlers": handlers,
        "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
        "loggers": {
            # Django logs the full path of a failing request; ours never hold identifying data, but the
            # request logger also logs the querystring of 4xx: keep it at ERROR.
            "django.request": {"level": "ERROR"},
            "axes": {"level": "WARNING"},
            "threadline.security": {"handlers": security, "level": "INFO", "propagate": False},
            # Never to the console: one line per read would drown it. Nowhere at all when not configured.
            "threadline.ledger": {"handlers": ledger, "level": "INFO", "propagate": False},
        },
    }


LOGGING = logging_settings()

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = True

# Consent: the default length of a release when the form does not say (days).
CONSENT_DEFAULT_DAYS = env_int("CONSENT_DEFAULT_DAYS", 365)
BREAK_GLASS_MINUTES = env_int("BREAK_GLASS_MINUTES", 60)
# Partner agreements (issue 15): must a partner have an agreement before anything is shared with it?
# (A partner with an agreement on file is always bounded by it.) And how many days before an agreement
# ends the program admin is reminded.
PARTNER_AGREEMENT_REQUIRED = env_bool("PARTNER_AGREEMENT_REQUIRED", False)
AGREEMENT_REMINDER_DAYS = env_int("AGREEMENT_REMINDER_DAYS", 60)

# Where the Open Referral HSDS schemas and examples live (read by tests and the validator only).
HSDS_SPEC_DIR = Path(os.environ.get("HSDS_SPEC_DIR", BASE_DIR.parent / "shared" / "hsds"))

# Intake: which program the public /refer/ page feeds, and the hotline it offers when the form cannot
# be sent (default: the national human-trafficking hotline). The SMS gateway and escalation minutes are read by intake itself.
INTAKE_PUBLIC_PROGRAM = os.environ.get("INTAKE_PUBLIC_PROGRAM", "demo-five-county")
INTAKE_HOTLINE_PHONE = os.environ.get("INTAKE_HOTLINE_PHONE", "1-888-373-7888")
INTAKE_HOTLINE_TEXT = os.environ.get("INTAKE_HOTLINE_TEXT", "233733")

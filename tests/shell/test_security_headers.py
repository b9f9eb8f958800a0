"""Security headers on every page, no caching of signed-in pages, and a clean production check."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import ClientFor, Persona

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_public_page_headers() -> None:
    response = Client().get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "no-store" in response["Cache-Control"]


def test_signed_in_pages_are_never_cached(coordinator: Persona, client_for: ClientFor) -> None:
    response = client_for(coordinator).get("/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_pages_carry_no_inline_script(coordinator: Persona, client_for: ClientFor) -> None:
    html = client_for(coordinator).get("/").content.decode()
    import re

    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert " onclick=" not in html and " onload=" not in html


def test_production_profile_passes_check_deploy(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "threadline.settings.production",
        "SECRET_KEY": "x" * 40 + "production-like-secret-key-abcdefghijklmnop",
        # 32 random bytes each: check --deploy refuses anything weaker (threadline.crypto.checks).
        "AUDIT_LEDGER_KEY": secrets.token_urlsafe(32),
        "MASTER_KEYS": "k1:" + secrets.token_urlsafe(32),
        "BLIND_INDEX_KEY": secrets.token_urlsafe(32),
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
        "ALLOWED_HOSTS": "threadline.example.org",
        "THREADLINE_VAR_DIR": str(tmp_path),
        "DEMO_MODE": "0",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_demo_mode(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "threadline.settings.production",
        "DEMO_MODE": "1",
        "THREADLINE_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "DEMO_MODE" in result.stderr


def test_production_cookies_are_host_prefixed() -> None:
    text = (ROOT / "threadline" / "settings" / "production.py").read_text()
    assert 'SESSION_COOKIE_NAME = "__Host-' in text and 'CSRF_COOKIE_NAME = "__Host-' in text


def test_healthz_answers_with_the_database() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_unknown_page_is_a_plain_404() -> None:
    response = Client().get("/no/such/page")
    assert response.status_code == 404
    assert b"Traceback" not in response.content

"""Issue 19 (V16): authentication events and refused requests are logged with who, what, where and a
UTC time, without youth data; failed sign-ins are kept; the client address is the real one behind the
configured proxy."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client, override_settings

from tests.conftest import PASSWORD, Persona
from tests.totp import current_code

pytestmark = pytest.mark.django_db


def events(caplog: pytest.LogCaptureFixture) -> list[dict[str, object]]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "threadline.security"]


def test_wrong_password_and_wrong_code_are_logged(
    advocate: Persona, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="threadline.security")
    client = Client(REMOTE_ADDR="198.51.100.30")
    client.post("/accounts/login/", {"login": advocate.user.email, "password": "not it at all"})
    step = client.post("/accounts/login/", {"login": advocate.user.email, "password": PASSWORD})["Location"]
    client.post(step, {"code": "000000"})
    logged = events(caplog)
    failed = [e for e in logged if e["event"] == "signin_failed"]
    assert failed == [
        {
            "event": "signin_failed",
            "account": advocate.user.email,
            "ip": "198.51.100.30",
            "method": "POST",
            "route": "account_login",
        }
    ]
    assert [e["event"] for e in logged if e["event"] == "mfa_code_refused"] == ["mfa_code_refused"]
    assert "not it at all" not in caplog.text


def test_bad_bearer_token_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="threadline.security")
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION="Bearer tl_guessedtokenvalue")
    assert response.status_code == 401
    names = [e["event"] for e in events(caplog)]
    assert "bearer_token_refused" in names
    assert "tl_guessedtokenvalue" not in caplog.text


def test_a_refused_youth_is_logged_by_route_name_not_url(
    dfps_caseworker: Persona, client_for: Callable[[Persona], Client], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="threadline.security")
    response = client_for(dfps_caseworker).get("/youth/yth_doesnotexist42/")
    assert response.status_code == 404
    refused = [e for e in events(caplog) if e["event"] == "access_refused"]
    assert refused == [
        {
            "event": "access_refused",
            "ip": "127.0.0.1",
            "method": "GET",
            "organization_id": dfps_caseworker.organization.pk,
            "route": "youth:detail",
            "status": 404,
            "user_id": dfps_caseworker.user.pk,
        }
    ]
    assert "yth_doesnotexist42" not in caplog.text


def test_failed_sign_ins_are_kept_after_a_success(advocate: Persona) -> None:
    from axes.models import AccessAttempt, AccessFailureLog

    client = Client(REMOTE_ADDR="198.51.100.31")
    client.post("/accounts/login/", {"login": advocate.user.email, "password": "wrong one"})
    step = client.post("/accounts/login/", {"login": advocate.user.email, "password": PASSWORD})["Location"]
    assert advocate.totp_secret is not None
    client.post(step, {"code": current_code(advocate.totp_secret)})
    assert client.get("/").status_code == 200
    assert AccessAttempt.objects.filter(username=advocate.user.email).count() == 1
    assert AccessFailureLog.objects.filter(username=advocate.user.email).count() == 1


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_the_client_address_behind_the_proxy_is_used(
    advocate: Persona, caplog: pytest.LogCaptureFixture
) -> None:
    from axes.models import AccessAttempt

    caplog.set_level(logging.INFO, logger="threadline.security")
    # The client wrote the first entry itself; the proxy appended the real address.
    client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.77")
    client.post("/accounts/login/", {"login": advocate.user.email, "password": "wrong"})
    assert AccessAttempt.objects.get(username=advocate.user.email).ip_address == "203.0.113.77"
    assert [e["ip"] for e in events(caplog) if e["event"] == "signin_failed"] == ["203.0.113.77"]


def test_without_a_trusted_proxy_forwarded_headers_are_ignored(advocate: Persona) -> None:
    from axes.models import AccessAttempt

    client = Client(REMOTE_ADDR="198.51.100.32", HTTP_X_FORWARDED_FOR="192.0.2.1")
    client.post("/accounts/login/", {"login": advocate.user.email, "password": "wrong"})
    assert AccessAttempt.objects.get(username=advocate.user.email).ip_address == "198.51.100.32"


def test_log_times_are_utc_with_an_offset() -> None:
    from django.conf import settings

    from threadline.accounts.security_log import UTCFormatter

    record = logging.LogRecord("threadline.security", logging.WARNING, __file__, 1, "x", None, None)
    record.created = 0.0
    record.msecs = 0.0
    assert UTCFormatter().formatTime(record) == "1970-01-01T00:00:00.000+00:00"
    from threadline.settings import base

    assert base.logging_settings()["formatters"] == settings.LOGGING["formatters"]
    assert settings.LOGGING["formatters"] == {
        "plain": {
            "()": "threadline.accounts.security_log.UTCFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
        "json": {"()": "threadline.accounts.security_log.JSONFormatter"},
    }


@override_settings(AXES_FAILURE_LIMIT=2)
def test_a_lockout_is_logged(advocate: Persona, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="threadline.security")
    for _ in range(3):
        Client(REMOTE_ADDR="198.51.100.33").post(
            "/accounts/login/", {"login": advocate.user.email, "password": "x"}
        )
    locked = [e for e in events(caplog) if e["event"] == "signin_locked_out"]
    assert locked and locked[0]["account"] == advocate.user.email and locked[0]["ip"] == "198.51.100.33"


def test_the_security_log_can_go_to_a_json_file_for_a_collector(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import logging.config

    from django.conf import settings

    from threadline.accounts.security_log import log_event
    from threadline.settings import base

    target = tmp_path / "security.jsonl"
    monkeypatch.setattr(base, "SECURITY_LOG_FILE", str(target))
    logging.config.dictConfig(base.logging_settings())
    try:
        log_event("signin_failed", account="someone@cedar.test")
    finally:
        logging.config.dictConfig(settings.LOGGING)
    line = json.loads(target.read_text().splitlines()[-1])
    assert line["event"] == "signin_failed"
    assert line["logger"] == "threadline.security"
    assert str(line["time"]).endswith("+00:00")


def test_a_successful_sign_in_and_sign_out_are_logged_with_the_factors_used(
    advocate: Persona, caplog: pytest.LogCaptureFixture
) -> None:
    """ASVS 16.3.1: successes too, with the kind of factor and never its value."""
    assert advocate.totp_secret is not None
    caplog.set_level(logging.INFO, logger="threadline.security")
    client = Client(REMOTE_ADDR="198.51.100.31")
    step = client.post("/accounts/login/", {"login": advocate.user.email, "password": PASSWORD})["Location"]
    code = current_code(advocate.totp_secret)
    client.post(step, {"code": code})
    client.post("/accounts/logout/")
    logged = [e for e in events(caplog) if e["event"] in ("signed_in", "signed_out")]
    assert logged == [
        {
            "event": "signed_in",
            "factors": ["password", "totp"],
            "ip": "198.51.100.31",
            "method": "POST",
            "route": "mfa_authenticate",
            "user_id": advocate.user.pk,
        },
        {
            "event": "signed_out",
            "ip": "198.51.100.31",
            "method": "POST",
            "organization_id": advocate.membership.organization_id,
            "route": "account_logout",
            "user_id": advocate.user.pk,
        },
    ]
    assert code not in caplog.text and PASSWORD not in caplog.text

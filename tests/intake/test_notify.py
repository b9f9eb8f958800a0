"""The notification gateway: a Twilio-compatible HTTP API tested against a real local HTTP server
(never a mock object), and no identifying data in any notification."""

from __future__ import annotations

import base64
import json
import threading
import urllib.parse
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core import mail
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from tests.conftest import Persona
from tests.intake.conftest import T0
from threadline.intake import oncall
from threadline.intake.models import AlertEvent, Region, Shift
from threadline.intake.notify import (
    MESSAGES,
    Recipient,
    SMSError,
    TwilioConfig,
    TwilioSMSBackend,
    message_text,
    notify,
)

SID = "AC0123456789abcdef0123456789abcdef"
TOKEN = "fake-auth-token-for-tests"


class FakeSMSServer:
    """A tiny Twilio-compatible server on 127.0.0.1 and a random port. It records each request."""

    def __init__(self, status: int = 201) -> None:
        self.requests: list[dict[str, Any]] = []
        self.status = status
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length).decode()
                outer.requests.append(
                    {
                        "path": self.path,
                        "authorization": self.headers.get("Authorization", ""),
                        "content_type": self.headers.get("Content-Type", ""),
                        "form": dict(urllib.parse.parse_qsl(body)),
                    }
                )
                payload = json.dumps({"sid": "SM" + "0" * 32, "status": "queued"}).encode()
                if outer.status >= 400:
                    payload = json.dumps({"code": 20003, "message": "Authenticate"}).encode()
                self.send_response(outer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> FakeSMSServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def sms_server() -> Iterator[FakeSMSServer]:
    with FakeSMSServer() as server:
        yield server


def backend_for(server: FakeSMSServer) -> TwilioSMSBackend:
    return TwilioSMSBackend(
        TwilioConfig(base=server.base, account_sid=SID, auth_token=TOKEN, from_number="+12105550199")
    )


def test_twilio_compatible_request(sms_server: FakeSMSServer) -> None:
    backend_for(sms_server).send(to="+12105550101", body="New urgent referral. Open Threadline.")
    assert len(sms_server.requests) == 1
    request = sms_server.requests[0]
    assert request["path"] == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert request["content_type"] == "application/x-www-form-urlencoded"
    assert request["authorization"] == "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
    assert request["form"] == {
        "To": "+12105550101",
        "From": "+12105550199",
        "Body": "New urgent referral. Open Threadline.",
    }


def test_gateway_errors_raise_a_clean_error() -> None:
    with FakeSMSServer(status=401) as server, pytest.raises(SMSError, match="401"):
        backend_for(server).send(to="+12105550101", body="x")
    closed = FakeSMSServer()
    base = closed.base
    closed.server.server_close()  # nothing listens there any more
    with pytest.raises(SMSError, match="unreachable"):
        TwilioSMSBackend(TwilioConfig(base=base, account_sid=SID, auth_token=TOKEN, from_number="+1")).send(
            to="+12105550101", body="x"
        )
    with pytest.raises(SMSError, match="not configured"):
        TwilioSMSBackend(TwilioConfig(base=base, account_sid="", auth_token="", from_number="")).send(
            to="1", body="x"
        )
    with pytest.raises(SMSError, match="https"):
        TwilioSMSBackend(
            TwilioConfig(base="http://sms.example", account_sid=SID, auth_token=TOKEN, from_number="+1")
        ).send(to="1", body="x")


def test_configured_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, sms_server: FakeSMSServer, settings: Settings
) -> None:
    monkeypatch.setenv("SMS_API_BASE", sms_server.base)
    monkeypatch.setenv("SMS_ACCOUNT_SID", SID)
    monkeypatch.setenv("SMS_AUTH_TOKEN", TOKEN)
    monkeypatch.setenv("SMS_FROM_NUMBER", "+12105550199")
    settings.INTAKE_SMS_BACKEND = "threadline.intake.notify.TwilioSMSBackend"
    deliveries = notify(
        recipient=Recipient(email="", sms_number="+12105550101", language="en"), kind="urgent_referral"
    )
    assert [(d.channel, d.ok) for d in deliveries] == [("sms", True)]
    assert sms_server.requests[0]["form"]["Body"] == "New urgent referral. Open Threadline."


def test_a_failing_sms_still_sends_the_email(settings: Settings) -> None:
    with FakeSMSServer(status=500) as server:
        settings.INTAKE_SMS_BACKEND = "threadline.intake.notify.TwilioSMSBackend"
        settings.SMS_API_BASE, settings.SMS_ACCOUNT_SID = server.base, SID
        settings.SMS_AUTH_TOKEN, settings.SMS_FROM_NUMBER = TOKEN, "+12105550199"
        deliveries = notify(
            recipient=Recipient(email="tomas@cedar.test", sms_number="+12105550101", language="en"),
            kind="urgent_referral",
        )
    assert [(d.channel, d.ok) for d in deliveries] == [("email", True), ("sms", False)]
    assert len(mail.outbox) == 1


def test_spanish_recipient_gets_spanish_text() -> None:
    assert message_text("urgent_referral", "es") != message_text("urgent_referral", "en")


@pytest.mark.django_db
def test_no_identifying_data_in_any_notification(
    region: Region,
    rota: Shift,
    advocate: Persona,
    coordinator: Persona,
    supervisor: Persona,
    settings: Settings,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    """Walk a whole escalation through the real HTTP backend and inspect every byte that left."""
    with FakeSMSServer() as server:
        settings.INTAKE_SMS_BACKEND = "threadline.intake.notify.TwilioSMSBackend"
        settings.SMS_API_BASE, settings.SMS_ACCOUNT_SID = server.base, SID
        settings.SMS_AUTH_TOKEN, settings.SMS_FROM_NUMBER = TOKEN, "+12105550199"
        supervisor.user.preferred_language = "es"
        supervisor.user.save(update_fields=["preferred_language"])
        with django_capture_on_commit_callbacks(execute=True):
            alert = oncall.alert_raise(
                region=region,
                kind="urgent_referral",
                now=T0,
                object_type="referral",
                object_id="Rosalind-Bexar-78205",
            )
        with django_capture_on_commit_callbacks(execute=True):
            oncall.escalate_due(now=T0 + timedelta(minutes=15))
        with django_capture_on_commit_callbacks(execute=True):
            oncall.escalate_due(now=T0 + timedelta(minutes=30))
        texts = [request["form"]["Body"] for request in server.requests]
    emails = [f"{m.subject}\n{m.body}" for m in mail.outbox]
    assert len(texts) == 3 and len(emails) == 3
    allowed = {message_text(kind, lang) for kind in MESSAGES for lang in ("en", "es")}
    for text in texts + [e.split("\n", 1)[1] for e in emails]:
        assert text in allowed, text  # only the fixed sentence, nothing else
    forbidden = [
        "Rosalind",
        "78205",
        "Bexar",
        region.name,
        region.program.name,
        str(alert.pk),
        advocate.user.full_name,
        coordinator.user.full_name,
        supervisor.user.full_name,
    ]
    for sent in texts + emails:
        for word in forbidden:
            assert word not in sent, (word, sent)
    assert "Nueva" in texts[2] or texts[2] != texts[0]  # the supervisor reads Spanish
    # The trail says what was delivered, never what was said.
    details = list(AlertEvent.objects.filter(alert=alert, action="notified").values_list("detail", flat=True))
    assert details == ["email ok, sms ok"] * 3


def test_backend_choice(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    from threadline.intake.notify import ConsoleSMSBackend, sms_backend

    monkeypatch.delenv("SMS_ACCOUNT_SID", raising=False)
    monkeypatch.delenv("INTAKE_SMS_BACKEND", raising=False)
    assert isinstance(sms_backend(), ConsoleSMSBackend)  # development
    monkeypatch.setenv("SMS_ACCOUNT_SID", SID)
    assert isinstance(sms_backend(), TwilioSMSBackend)  # production: configured from the environment
    settings.INTAKE_SMS_BACKEND = "threadline.intake.notify.ConsoleSMSBackend"
    assert isinstance(sms_backend(), ConsoleSMSBackend)  # an explicit setting wins

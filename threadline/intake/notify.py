"""The notification gateway: e-mail and SMS through pluggable backends.

Rule 3 of the brief: no identifying data or location in e-mails or SMS. A notification therefore
never takes free text from its caller: it can only send one of the fixed messages below, in the
recipient's language. Whoever receives it opens Threadline (with two-factor sign-in) to see more.

SMS backends (``INTAKE_SMS_BACKEND``):
- ``threadline.intake.notify.ConsoleSMSBackend``: development; prints to the console.
- ``threadline.intake.notify.TwilioSMSBackend``: any Twilio-compatible HTTP API, configured from
  ``SMS_API_BASE`` (default https://api.twilio.com), ``SMS_ACCOUNT_SID``, ``SMS_AUTH_TOKEN`` and
  ``SMS_FROM_NUMBER``. Plain ``urllib``: one form-encoded POST needs no client library.
- ``threadline.intake.notify.LocmemSMSBackend``: tests; keeps messages in ``outbox``.
E-mail goes through Django's own ``EMAIL_BACKEND`` (console in development, SMTP in production).
"""

from __future__ import annotations

import base64
import importlib
import json
import logging
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)

# The only things Threadline ever says in an e-mail or a text message.
MESSAGES = {
    "urgent_referral": _("New urgent referral. Open Threadline."),
    "test": _("Test of the on-call chain. Open Threadline."),
    "new_referral": _("New referral. Open Threadline."),
    "immediate_danger": _("Referral: immediate danger. Open Threadline now."),
    "check_in_missed": _("An advocate in the field missed a safety check-in. Open Threadline now."),
    "report_overdue": _("A mandatory report is overdue. Open Threadline."),
    "consent_ending": _("A consent to share ends within 14 days. Open Threadline."),
}
SUBJECT = _("Threadline")


class SMSError(RuntimeError):
    pass


class SMSBackend(Protocol):
    def send(self, *, to: str, body: str) -> None: ...


def masked(number: str) -> str:
    """Logs show only the last two digits of a phone number."""
    digits = "".join(ch for ch in number if ch.isdigit())
    return "…" + digits[-2:] if digits else "…"


class ConsoleSMSBackend:
    def send(self, *, to: str, body: str) -> None:
        sys.stdout.write(f"[sms to {masked(to)}] {body}\n")
        sys.stdout.flush()


class LocmemSMSBackend:
    outbox: ClassVar[list[dict[str, str]]] = []

    def send(self, *, to: str, body: str) -> None:
        self.outbox.append({"to": to, "body": body})


@dataclass(frozen=True)
class TwilioConfig:
    base: str
    account_sid: str
    auth_token: str
    from_number: str
    timeout: float = 10.0

    @classmethod
    def from_env(cls) -> TwilioConfig:
        def value(name: str, default: str = "") -> str:
            return str(getattr(settings, name, "") or os.environ.get(name, default))

        return cls(
            base=value("SMS_API_BASE", "https://api.twilio.com").rstrip("/"),
            account_sid=value("SMS_ACCOUNT_SID"),
            auth_token=value("SMS_AUTH_TOKEN"),
            from_number=value("SMS_FROM_NUMBER"),
        )


class TwilioSMSBackend:
    """POST form-encoded To/From/Body to {base}/2010-04-01/Accounts/{sid}/Messages.json, basic auth."""

    def __init__(self, config: TwilioConfig | None = None) -> None:
        self.config = config or TwilioConfig.from_env()

    def send(self, *, to: str, body: str) -> None:
        config = self.config
        if not (config.account_sid and config.auth_token and config.from_number):
            raise SMSError("SMS gateway is not configured")
        if not config.base.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            raise SMSError("SMS gateway must use https")
        url = f"{config.base}/2010-04-01/Accounts/{urllib.parse.quote(config.account_sid)}/Messages.json"
        data = urllib.parse.urlencode({"To": to, "From": config.from_number, "Body": body}).encode()
        credentials = base64.b64encode(f"{config.account_sid}:{config.auth_token}".encode()).decode()
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            url,
            data=data,
            method="POST",
            headers={
                "Authorization": f"Basic {credentials}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=config.timeout) as response:  # noqa: S310
                payload: Any = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            raise SMSError(f"SMS gateway answered {exc.code}") from None
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            raise SMSError(f"SMS gateway unreachable: {type(exc).__name__}") from None
        if isinstance(payload, dict) and payload.get("error_code"):
            raise SMSError(f"SMS gateway error {payload.get('error_code')}")


def sms_backend() -> SMSBackend:
    """``INTAKE_SMS_BACKEND`` (setting or environment); otherwise the HTTP gateway when one is
    configured in the environment, else the console."""
    default = (
        "threadline.intake.notify.TwilioSMSBackend"
        if os.environ.get("SMS_ACCOUNT_SID")
        else "threadline.intake.notify.ConsoleSMSBackend"
    )
    dotted = (
        getattr(settings, "INTAKE_SMS_BACKEND", "") or os.environ.get("INTAKE_SMS_BACKEND", "") or default
    )
    module_name, _sep, attr = str(dotted).rpartition(".")
    backend: SMSBackend = getattr(importlib.import_module(module_name), attr)()
    return backend


@dataclass(frozen=True)
class Recipient:
    email: str
    sms_number: str
    language: str


@dataclass(frozen=True)
class Delivery:
    channel: str
    ok: bool
    problem: str = ""


def message_text(kind: str, language: str) -> str:
    with translation.override(language or settings.LANGUAGE_CODE):
        return str(MESSAGES[kind])


def notify(*, recipient: Recipient, kind: str) -> list[Delivery]:
    """Send the fixed message for ``kind`` by e-mail and, if there is a number, by SMS. A failure on
    one channel never stops the other; the caller records what happened (never the text)."""
    if kind not in MESSAGES:
        raise ValueError(f"unknown notification kind {kind!r}")
    body = message_text(kind, recipient.language)
    deliveries: list[Delivery] = []
    if recipient.email:
        try:
            with translation.override(recipient.language or settings.LANGUAGE_CODE):
                subject = str(SUBJECT)
            send_mail(subject, body, None, [recipient.email], fail_silently=False)
            deliveries.append(Delivery("email", True))
        except Exception as exc:  # any mail backend failure: record it, keep going
            log.warning("notification e-mail failed: %s", type(exc).__name__)
            deliveries.append(Delivery("email", False, type(exc).__name__))
    if recipient.sms_number:
        try:
            sms_backend().send(to=recipient.sms_number, body=body)
            deliveries.append(Delivery("sms", True))
        except SMSError as exc:
            log.warning("notification sms to %s failed: %s", masked(recipient.sms_number), exc)
            deliveries.append(Delivery("sms", False, str(exc)[:80]))
    return deliveries

"""No identifying data where it must not be, after a scripted journey through the app.

A fictional youth is referred on the public page (name, birth date, phone), opened as a record, given a
placement address, a guardian, a release of information and case notes; an emergency access is opened
(supervisors get an e-mail) and the on-call advocate gets an SMS. Then every channel that must never
hold identifying data is scanned for the youth's name, birth date, phone and address: the log output
(every logger, DEBUG and up), e-mails, SMS, error pages (400, 403, 404, 500 and the API's), every URL
visited or redirected to, and the django-auditlog change history. Pages the youth's own team reads may
show the name: they are not scanned here.
"""

from __future__ import annotations

import base64
import datetime
import html as html_lib
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from altcha import v1 as altcha
from auditlog.models import LogEntry
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from tests.conftest import Persona
from tests.security.report import report
from threadline.audit.models import AccessEvent
from threadline.intake.models import OnCallPhone, Program, Region, Shift
from threadline.intake.notify import LocmemSMSBackend
from threadline.youth.models import Youth

pytestmark = pytest.mark.django_db

NAME = "Marisol"
LEGAL_NAME = "Marisol Quintanilla-Abernathy"
DOB = datetime.date(2011, 4, 17)
PHONE = "+12105550187"
ADDRESS = "4417 Larkspur Hollow Lane"
NOTE_TEXT = f"Met {NAME} at the library; she said the man calls {PHONE}."

# Every spelling of the secrets worth looking for.
NEEDLES = [
    NAME,
    "Quintanilla",
    "Abernathy",
    DOB.isoformat(),
    DOB.strftime("%m/%d/%Y"),
    DOB.strftime("%d/%m/%Y"),
    "April 17, 2011",
    "17 de abril de 2011",
    PHONE,
    PHONE[2:],
    "210-555-0187",
    "(210) 555-0187",
    "Larkspur",
]


def leaks(text: str) -> list[str]:
    lowered = text.lower()
    return [n for n in NEEDLES if n.lower() in lowered]


class CapturingHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        self.lines.append(f"{record.name} {record.levelname} {text} {record.args!r}")


@pytest.fixture
def captured_logs() -> Iterator[CapturingHandler]:
    """Every log record of every logger, at DEBUG and up, as the app emits it (handlers are added to
    the root and to every logger that does not propagate)."""
    handler = CapturingHandler()
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and not logger.propagate
    ]
    saved = [(logger, logger.level) for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
    logging.getLogger().setLevel(logging.DEBUG)
    for name in ("django.request", "django.security", "threadline", "axes", "huey"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        for logger, level in saved:
            logger.removeHandler(handler)
            logger.setLevel(level)


@dataclass
class Journey:
    urls: list[str] = field(default_factory=list)
    error_pages: dict[str, str] = field(default_factory=dict)

    def visit(self, client: Client, method: str, path: str, **kwargs: Any) -> Any:
        response = getattr(client, method)(path, follow=True, **kwargs)
        self.urls.append(path)
        self.urls.extend(url for url, _ in response.redirect_chain)
        return response


def solve(html: str) -> str:
    raw = re.search(r'data-pow="([^"]+)"', html)
    assert raw is not None
    challenge = json.loads(html_lib.unescape(raw.group(1)))
    solution = altcha.solve_challenge(
        challenge["challenge"], challenge["salt"], challenge["algorithm"], challenge["maxnumber"]
    )
    assert solution is not None
    payload = {k: challenge[k] for k in ("algorithm", "challenge", "salt", "signature")}
    payload["number"] = solution.number
    return base64.b64encode(json.dumps(payload).encode()).decode()


@pytest.fixture
def on_call(coordinator: Persona, advocate: Persona, supervisor: Persona) -> Program:
    program = Program.objects.get(slug="demo-five-county")
    program.organization = coordinator.organization
    program.save(update_fields=["organization"])
    region = Region.objects.create(program=program, name="Five-county area")
    for persona, number in (
        (advocate, "+12105550101"),
        (coordinator, "+12105550102"),
        (supervisor, "+12105550103"),
    ):
        OnCallPhone.objects.create(user=persona.user, sms_number=number)
    now = timezone.now()
    Shift.objects.create(
        region=region,
        starts_at=now - timedelta(hours=2),
        ends_at=now + timedelta(hours=2),
        primary=advocate.user,
        backup=coordinator.user,
        supervisor=supervisor.user,
    )
    return program


def the_journey(
    coordinator: Persona,
    supervisor: Persona,
    dfps_caseworker: Persona,
    client_for: Any,
    journey: Journey,
    django_capture_on_commit_callbacks: Any,
) -> Youth:
    # 1. A family member refers on the public page.
    public = Client()
    page = public.get("/refer/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = journey.visit(
            public,
            "post",
            "/refer/",
            data={
                "what_is_known": f"{NAME} is picked up late at night by an older man.",
                "concern": "clear_concern",
                "youth_name": LEGAL_NAME,
                "youth_date_of_birth": DOB.isoformat(),
                "youth_phone": PHONE,
                "county": "Bexar",
                "age": "15",
                "altcha": solve(page),
            },
        )
    assert response.status_code == 200, response.content[:500]

    # 2. The coordinator opens the record, with phone and a street name.
    staff = client_for(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = journey.visit(
            staff,
            "post",
            "/youth/new",
            data={
                "preferred_name": NAME,
                "legal_name": LEGAL_NAME,
                "date_of_birth": DOB.isoformat(),
                "phone": PHONE,
                "alias": "Sunny Q",
                "legal_status": "unknown",
                "county": "Bexar",
                "connection": "physically_present",
            },
        )
    assert response.status_code == 200 and response.resolver_match.url_name == "detail", response.content[
        :3000
    ]
    youth = Youth.objects.get(pk=response.resolver_match.kwargs["youth_id"])
    base = f"/youth/{youth.pk}"

    # 3. Team, a guardian, a placement address, a release of information.
    journey.visit(
        staff, "post", f"{base}/team", data={"organization": dfps_caseworker.organization.pk, "role": "other"}
    )
    journey.visit(
        staff,
        "post",
        f"{base}/household",
        data={
            "name": "Rosa Quintanilla",
            "relationship": "mother",
            "is_guardian": "on",
            "is_non_offending_caregiver": "on",
        },
    )
    journey.visit(
        staff,
        "post",
        f"{base}/placements",
        data={"placement_type": "kinship", "started_on": "2026-01-05", "address": ADDRESS},
    )
    guardian = youth.household.get()
    response = journey.visit(
        staff,
        "post",
        f"{base}/consents",
        data={
            "organization": dfps_caseworker.organization.pk,
            "categories": ["care_plan", "identity"],
            "purpose": "coordinate services",
            "given_by": "parent_guardian",
            "guardian": str(guardian.pk),
            "expires_on": (timezone.localdate() + timedelta(days=90)).isoformat(),
            "state": "granted",
            "signed_form_name": f"ROI {LEGAL_NAME}.pdf",
        },
    )
    assert youth.consents.count() == 1, response.content.decode()[:2000]

    # 4. Case notes: a draft autosaved, then saved.
    journey.visit(
        staff,
        "post",
        f"/care/{youth.pk}/notes",
        data={"narrative": NOTE_TEXT, "with_whom": LEGAL_NAME, "action": "save", "contact_type": ""},
    )

    # 5. Emergency access by the supervisor: supervisors get an e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        journey.visit(
            client_for(supervisor),
            "post",
            "/youth/emergency-access",
            data={"reference": youth.reference, "reason": "Police on the phone about a runaway tonight."},
        )

    # 6. Searches, the partner's view, the API.
    journey.visit(staff, "post", "/youth/", data={"q": LEGAL_NAME})
    journey.visit(client_for(dfps_caseworker), "get", f"{base}/")
    api = client_for(coordinator)
    journey.visit(api, "post", "/api/v1/youth/search", data={"q": PHONE}, content_type="application/json")
    return youth


def error_pages(staff: Client, youth: Youth) -> dict[str, tuple[int, str]]:
    """The error answers a person or a script can provoke around this youth."""
    pages: dict[str, tuple[int, str]] = {}
    other = "7f1c2b3a-0000-4000-8000-000000000001"
    for label, method, path, kwargs in (
        ("404 page", "get", f"/youth/{other}/", {}),
        ("404 api", "get", f"/api/v1/youth/{other}", {}),
        (
            "422 api bad date",
            "post",
            "/api/v1/youth/",
            {
                "data": {"preferred_name": NAME, "date_of_birth": "2011-02-30"},
                "content_type": "application/json",
            },
        ),
        (
            "422 api too long",
            "post",
            "/api/v1/youth/",
            {"data": {"legal_name": LEGAL_NAME * 10}, "content_type": "application/json"},
        ),
        (
            "400 api not json",
            "post",
            "/api/v1/youth/search",
            {"data": f'{{"q": "{NAME}"', "content_type": "application/json"},
        ),
    ):
        response = getattr(staff, method)(path, **kwargs)
        pages[label] = (response.status_code, response.content.decode())
    broken = Client(raise_request_exception=False)
    broken.cookies = staff.cookies
    from unittest import mock

    with mock.patch("threadline.youth.views.record.selectors.youth_record", side_effect=RuntimeError("boom")):
        response = broken.get(f"/youth/{youth.pk}/")
    pages["500 page"] = (response.status_code, response.content.decode())
    forged = Client(enforce_csrf_checks=True)
    forged.cookies = staff.cookies
    response = forged.post(f"/youth/{youth.pk}/edit", {"preferred_name": NAME})
    pages["403 csrf"] = (response.status_code, response.content.decode())
    return pages


def test_no_identifying_data_in_logs_mail_sms_errors_urls_or_history(
    coordinator: Persona,
    supervisor: Persona,
    dfps_caseworker: Persona,
    client_for: Any,
    on_call: Program,
    captured_logs: CapturingHandler,
    settings: SettingsWrapper,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.INTAKE_SMS_BACKEND = "threadline.intake.notify.LocmemSMSBackend"
    settings.INTAKE_POW_MAX_NUMBER = 2000
    cache.clear()
    LocmemSMSBackend.outbox.clear()
    mail.outbox.clear()
    journey = Journey()

    youth = the_journey(
        coordinator, supervisor, dfps_caseworker, client_for, journey, django_capture_on_commit_callbacks
    )
    pages = error_pages(client_for(coordinator), youth)

    # The journey did what it says (so a scan of nothing cannot pass).
    assert youth.preferred_name == NAME and youth.consents.count() == 1
    assert youth.placements.count() == 1
    assert len(LocmemSMSBackend.outbox) >= 1, "the on-call advocate got no SMS"
    assert len(mail.outbox) >= 1, "the supervisors got no e-mail"
    assert LogEntry.objects.count() >= 5
    assert len(captured_logs.lines) >= 1
    assert {status for status, _ in pages.values()} >= {400, 403, 404, 422, 500}
    # The needles are spelled as the app shows them: the team's own page of the youth holds them.
    detail = client_for(coordinator).get(f"/youth/{youth.pk}/").content.decode()
    assert {NAME, "Quintanilla", "Larkspur"} <= set(leaks(detail)), leaks(detail)

    found: dict[str, list[str]] = {}

    def scan(channel: str, text: str) -> None:
        hits = leaks(text)
        if hits:
            found.setdefault(channel, []).extend(sorted(set(hits)))

    for line in captured_logs.lines:
        scan("log", line)
    for message in mail.outbox:
        alternatives = getattr(message, "alternatives", [])
        scan("e-mail", " ".join([str(message.subject), str(message.body), *message.to, str(alternatives)]))
    for sms in LocmemSMSBackend.outbox:
        scan("sms", sms["body"])
    for url in journey.urls:
        scan("url", url)
    for label, (_, body) in pages.items():
        scan(f"error page {label}", body)
    for entry in LogEntry.objects.all():
        scan("auditlog", json.dumps(entry.changes) + str(entry.object_repr) + str(entry.additional_data))
    for event in AccessEvent.objects.all():
        scan("ledger", f"{event.action} {event.object_type} {event.category} {event.purpose}")
    report(
        "pii",
        channels={
            "log lines": len(captured_logs.lines),
            "e-mails": len(mail.outbox),
            "sms": len(LocmemSMSBackend.outbox),
            "urls": len(journey.urls),
            "error pages": len(pages),
            "auditlog entries": LogEntry.objects.count(),
            "ledger rows": AccessEvent.objects.count(),
        },
        hits=found,
    )
    assert found == {}

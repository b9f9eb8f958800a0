"""Issue 13, "Done when": a hotline call entered by staff becomes a referral, is routed to the Waco
region's rota for McLennan County in the central-Texas demo, escalates on a fake clock, an advocate is
dispatched, arrives and checks in; a missed check-in pages the supervisor; an overdue mandatory report
pages. Through real HTTP to the app; the clock is moved by hand, never slept on."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from tests.conftest import Persona
from threadline.accounts.models import Organization
from threadline.intake import duties, oncall
from threadline.intake import field_services as field
from threadline.intake.demo_programs import CENTRAL_TEXAS
from threadline.intake.models import (
    Alert,
    AlertEvent,
    Contact,
    FieldResponse,
    MandatoryReport,
    OnCallPhone,
    Program,
    Referral,
    Region,
    ReportOverduePage,
    Shift,
)
from threadline.intake.notify import MESSAGES, message_text
from threadline.intake.routing import demo_routing_install

pytestmark = pytest.mark.django_db

ClientFor = Callable[[Persona], Client]
MIN = timedelta(minutes=1)
STORY = "Caller says Yesenia, 15, is sleeping in a car behind the Elm Street laundromat."
PLACE = "The public library on Austin Avenue, by the front desk"


@pytest.fixture
def outbox(settings: Settings) -> Iterator[list[dict[str, str]]]:
    from threadline.intake.notify import LocmemSMSBackend

    settings.INTAKE_SMS_BACKEND = "threadline.intake.notify.LocmemSMSBackend"
    LocmemSMSBackend.outbox.clear()
    yield LocmemSMSBackend.outbox
    LocmemSMSBackend.outbox.clear()


@pytest.fixture
def central(care_coordinator_org: Organization) -> Program:
    program = Program.objects.get(slug=CENTRAL_TEXAS["slug"])
    program.organization = care_coordinator_org
    program.save(update_fields=["organization"])
    demo_routing_install(
        program=program, regions=CENTRAL_TEXAS["routing"], default=CENTRAL_TEXAS["default_region"]
    )
    return program


@pytest.fixture
def rotas(central: Program, advocate: Persona, coordinator: Persona, supervisor: Persona) -> dict[str, Shift]:
    """Every office has a rota covering the next day: Tomas on call, Nadia backup, Ines supervising."""
    for persona, number in (
        (advocate, "+12545550101"),
        (coordinator, "+12545550102"),
        (supervisor, "+12545550103"),
    ):
        OnCallPhone.objects.create(user=persona.user, sms_number=number)
    now = timezone.now()
    return {
        region.name: Shift.objects.create(
            region=region,
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(hours=24),
            primary=advocate.user,
            backup=coordinator.user,
            supervisor=supervisor.user,
        )
        for region in Region.objects.filter(program=central)
    }


def _enter_call(
    client: Client, program: Program, callbacks: DjangoCaptureOnCommitCallbacks, **fields: str
) -> Referral:
    body = {
        "program": str(program.pk),
        "channel": "hotline",
        "urgency": "runaway_now",
        "source": "family",
        "county": "McLennan",
        "connection": "physically_present",
        "age": "15",
        "youth_name": "Yesenia",
        "what_is_known": STORY,
        "referrer_contact": "her aunt, evenings",
        "language": "es",
        **fields,
    }
    with callbacks(execute=True):
        response = client.post("/intake/referrals/new/", body)
    assert response.status_code == 302
    assert response["Location"] == "/intake/referrals/sent/"
    return Referral.objects.get()


def test_a_hotline_call_becomes_a_referral_routed_to_waco_and_followed_in_the_field(
    central: Program,
    rotas: dict[str, Shift],
    advocate: Persona,
    coordinator: Persona,
    supervisor: Persona,
    client_for: ClientFor,
    outbox: list[dict[str, str]],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    hotline = client_for(coordinator)
    referral = _enter_call(hotline, central, django_capture_on_commit_callbacks)

    # A referral, entered from a hotline call, in the caller's words (encrypted), Spanish-speaking.
    assert (referral.channel, referral.urgency, referral.language) == ("hotline", "runaway_now", "es")
    assert referral.what_is_known == STORY
    # The thank-you page (post/redirect/get) gives the reference, and a refresh sends nothing again.
    sent = hotline.get("/intake/referrals/sent/")
    assert sent.status_code == 200
    assert referral.reference in sent.content.decode()
    assert hotline.get("/intake/referrals/sent/").status_code == 200
    assert Referral.objects.count() == 1

    # Routed to the Waco office's rota (not the alphabetically first region, Killeen).
    assert referral.region is not None and referral.region.name == "Waco"
    alert = Alert.objects.get(object_type="referral", object_id=str(referral.pk))
    assert (alert.region.name, alert.shift_id, alert.kind) == ("Waco", rotas["Waco"].pk, "urgent_referral")
    assert (alert.assigned_to_id, alert.escalate_after_minutes) == (advocate.user.pk, 15)
    assert [m["to"] for m in outbox] == ["+12545550101"]

    # The runaway-now clock: 15 minutes unacknowledged goes to the backup, not a second earlier.
    start = alert.assigned_at
    with django_capture_on_commit_callbacks(execute=True):
        assert oncall.escalate_due(now=start + 15 * MIN - timedelta(seconds=1)) == []
        assert oncall.escalate_due(now=start + 15 * MIN) == [alert.pk]
    alert.refresh_from_db()
    assert (alert.level, alert.assigned_to_id) == (Alert.Level.BACKUP, coordinator.user.pk)
    assert outbox[-1]["to"] == "+12545550102"

    # Dispatch Tomas; the meeting place is stored encrypted and never in a list or message.
    field_page = f"/intake/referrals/{referral.pk}/field/"
    response = hotline.post(
        field_page,
        {
            "step": "dispatch",
            "advocate": str(advocate.user.pk),
            "meet_at": (timezone.localtime() + 30 * MIN).strftime("%Y-%m-%dT%H:%M"),
            "meeting_place": PLACE,
        },
    )
    assert response.status_code == 302
    dispatched = FieldResponse.objects.get()
    assert (dispatched.advocate_id, dispatched.state) == (advocate.user.pk, "dispatched")
    assert dispatched.meeting_place == PLACE

    # Tomas, on his phone: on the way, arrived, first contact, and a safety check-in.
    out = client_for(advocate)
    for step in ("on_the_way", "arrived", "contact_made", "check_in"):
        assert out.post(field_page, {"step": step, "response": str(dispatched.pk)}).status_code == 302
    dispatched.refresh_from_db()
    assert dispatched.state == "contact_made"
    assert dispatched.arrived_at is not None and dispatched.contact_made_at is not None
    assert dispatched.last_check_in_at is not None
    assert dispatched.check_in_due_at == dispatched.last_check_in_at + timedelta(minutes=30)
    referral.refresh_from_db()
    assert referral.first_contact_at == dispatched.contact_made_at  # the field time feeds the clock
    page = out.get(field_page).content.decode()
    assert PLACE in page  # on the field page only

    # A missed check-in pages the supervisor (Ines) at once; the task is idempotent.
    due = dispatched.check_in_due_at
    assert due is not None
    texts_before = len(outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert field.check_ins_overdue(now=due - timedelta(seconds=1)) == []
        assert field.check_ins_overdue(now=due + MIN) == [str(dispatched.pk)]
        assert field.check_ins_overdue(now=due + 2 * MIN) == []
    missed = Alert.objects.get(kind="check_in_missed")
    assert (missed.level, missed.assigned_to_id) == (Alert.Level.SUPERVISOR, supervisor.user.pk)
    assert [m["to"] for m in outbox[texts_before:]] == ["+12545550103"]

    # The 8-hour mandatory reports: overdue ones page the coordinator and the supervisor, once.
    report_due = MandatoryReport.objects.filter(referral=referral).order_by("pk")[0].due_at
    texts_before = len(outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert duties.reports_overdue_page(now=report_due - timedelta(seconds=1)) == []
        paged = duties.reports_overdue_page(now=report_due + MIN)
        assert duties.reports_overdue_page(now=report_due + 2 * MIN) == []
    assert len(paged) == 2  # child welfare and law enforcement
    assert ReportOverduePage.objects.filter(recipients=2).count() == 2
    assert sorted(m["to"] for m in outbox[texts_before:]) == ["+12545550102"] * 2 + ["+12545550103"] * 2

    # Nothing identifying in any text or e-mail: only the fixed sentences leave.
    allowed = {message_text(kind, lang) for kind in MESSAGES for lang in ("en", "es")}
    assert all(m["body"] in allowed for m in outbox)
    bodies = [m["body"] for m in outbox] + [str(m.body) + str(m.subject) for m in mail.outbox]
    for secret in ("Yesenia", "laundromat", "Austin Avenue", "McLennan", referral.reference):
        assert not any(secret in body for body in bodies)


def test_immediate_danger_says_call_911_and_pages_at_once_with_a_five_minute_clock(
    central: Program,
    rotas: dict[str, Shift],
    coordinator: Persona,
    client_for: ClientFor,
    outbox: list[dict[str, str]],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    client = client_for(coordinator)
    referral = _enter_call(client, central, django_capture_on_commit_callbacks, urgency="immediate_danger")
    alert = Alert.objects.get(object_id=str(referral.pk))
    assert (alert.kind, alert.escalate_after_minutes) == ("immediate_danger", 5)
    assert [m["body"] for m in outbox] == ["Referral: immediate danger. Open Threadline now."]
    assert "call 911" in client.get("/intake/referrals/sent/").content.decode()


def test_other_urgency_is_a_new_referral_not_an_urgent_one(
    central: Program,
    rotas: dict[str, Shift],
    coordinator: Persona,
    client_for: ClientFor,
    outbox: list[dict[str, str]],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    referral = _enter_call(
        client_for(coordinator), central, django_capture_on_commit_callbacks, urgency="other"
    )
    assert referral.urgent is False
    alert = Alert.objects.get(object_id=str(referral.pk))
    assert (alert.kind, alert.escalate_after_minutes) == ("new_referral", 60)


@pytest.mark.parametrize(
    ("county", "region"),
    [
        ("McLennan", "Waco"),
        ("Bell", "Killeen"),
        ("bexar county", "San Antonio"),
        ("", "San Antonio"),
        ("Harris", "San Antonio"),
    ],
)
def test_county_decides_the_region_and_unknown_goes_to_the_default(
    central: Program,
    rotas: dict[str, Shift],
    coordinator: Persona,
    client_for: ClientFor,
    outbox: list[dict[str, str]],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    county: str,
    region: str,
) -> None:
    referral = _enter_call(
        client_for(coordinator), central, django_capture_on_commit_callbacks, county=county
    )
    assert referral.region is not None and referral.region.name == region
    assert Alert.objects.get(object_id=str(referral.pk)).region.name == region


def test_coordinator_reroutes_and_the_new_region_is_alerted(
    central: Program,
    rotas: dict[str, Shift],
    coordinator: Persona,
    advocate: Persona,
    client_for: ClientFor,
    outbox: list[dict[str, str]],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    referral = _enter_call(client_for(coordinator), central, django_capture_on_commit_callbacks)
    killeen = Region.objects.get(program=central, name="Killeen")
    # The advocate may not re-route: refused, nothing changed.
    refused = client_for(advocate).post(
        f"/intake/referrals/{referral.pk}/reroute", {"region": str(killeen.pk)}
    )
    assert refused.status_code == 403
    referral.refresh_from_db()
    assert referral.region is not None and referral.region.name == "Waco"
    response = client_for(coordinator).post(
        f"/intake/referrals/{referral.pk}/reroute", {"region": str(killeen.pk)}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.region_id == killeen.pk
    alerts = Alert.objects.filter(object_id=str(referral.pk)).order_by("pk")
    assert [(a.region.name, a.acknowledged_at is not None) for a in alerts] == [
        ("Waco", True),
        ("Killeen", False),
    ]
    assert AlertEvent.objects.filter(alert=alerts[0], detail="re-routed").count() == 1


def test_a_partner_enters_referrals_beyond_the_anonymous_limit_then_hits_its_own(
    central: Program,
    rotas: dict[str, Shift],
    dfps_caseworker: Persona,
    client_for: ClientFor,
    outbox: list[dict[str, str]],
    settings: Settings,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    from django.core.cache import cache

    cache.clear()
    settings.INTAKE_STAFF_REFERRALS_PER_HOUR = 12
    client = client_for(dfps_caseworker)
    body = {
        "program": str(central.pk),
        "channel": "partner_system",
        "urgency": "other",
        "source": "agency",
        "county": "Hill",
        "age": "16",
        "what_is_known": "Caseworker concern from a placement visit.",
        "language": "en",
    }
    with django_capture_on_commit_callbacks(execute=True):
        codes = [client.post("/intake/referrals/new/", body).status_code for _ in range(13)]
    assert codes == [302] * 12 + [429]
    assert Referral.objects.filter(channel="partner_system").count() == 12
    # The partner sees the reference, not the referral (that is the Care Coordinator's queue).
    page = client.get("/intake/referrals/sent/").content.decode()
    assert "Open the referral" not in page
    cache.clear()


def test_a_logged_contact_becomes_a_referral_in_one_step(
    central: Program,
    rotas: dict[str, Shift],
    coordinator: Persona,
    client_for: ClientFor,
    outbox: list[dict[str, str]],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    from threadline.intake.services.contacts import ContactInput, contact_record

    contact, _ = contact_record(
        membership=coordinator.membership,
        data=ContactInput(
            channel="text", message="My friend is 14 and scared to go home", crisis="immediate"
        ),
    )
    client = client_for(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/intake/contacts/{contact.pk}/refer", {"program": str(central.pk), "county": "Falls"}
        )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/intake/referrals/{referral.pk}/"
    contact.refresh_from_db()
    assert (contact.referral_id, contact.outcome) == (referral.pk, Contact.ContactOutcome.REFERRAL)
    assert (referral.channel, referral.urgency, referral.what_is_known) == (
        "text",
        "immediate_danger",
        "My friend is 14 and scared to go home",
    )
    assert referral.region is not None and referral.region.name == "Waco"
    # A second click changes nothing.
    client.post(f"/intake/contacts/{contact.pk}/refer", {"program": str(central.pk)})
    assert Referral.objects.count() == 1


def test_people_outside_intake_see_no_field_response(
    central: Program,
    rotas: dict[str, Shift],
    coordinator: Persona,
    dfps_caseworker: Persona,
    program_admin: Persona,
    client_for: ClientFor,
    outbox: list[dict[str, str]],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    referral = _enter_call(client_for(coordinator), central, django_capture_on_commit_callbacks)
    for persona in (dfps_caseworker, program_admin):
        client = client_for(persona)
        page = f"/intake/referrals/{referral.pk}/field/"
        assert client.get(page).status_code == 403
        assert client.post(page, {"step": "dispatch", "meeting_place": PLACE}).status_code == 403
    assert FieldResponse.objects.count() == 0


def test_an_accepted_referral_is_the_records_first_note_and_timeline_entry(
    central: Program,
    rotas: dict[str, Shift],
    coordinator: Persona,
    client_for: ClientFor,
    outbox: list[dict[str, str]],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    from threadline.care.models import CaseNote
    from threadline.youth.models import TimelineEntry

    client = client_for(coordinator)
    referral = _enter_call(client, central, django_capture_on_commit_callbacks)
    response = client.post(f"/care/referrals/{referral.pk}/accept")
    referral.refresh_from_db()
    assert referral.youth_id is not None
    assert response.status_code == 302
    assert response["Location"] == f"/care/{referral.youth_id}/notes"
    assert referral.status == "accepted"
    youth = referral.youth
    assert youth is not None
    assert youth.languages == ["es"]
    assert youth.preferred_name == "Yesenia"
    notes = list(CaseNote.objects.filter(youth=youth))
    assert len(notes) == 1
    assert notes[0].narrative == f"Referral {referral.reference} (Hotline call):\n{STORY}"
    assert STORY in client.get(f"/care/{youth.pk}/notes").content.decode()
    entries = list(TimelineEntry.objects.filter(youth=youth, kind="referral_accepted"))
    assert [e.summary for e in entries] == [f"Referral {referral.reference} accepted"]
    assert (
        f"Referral {referral.reference} accepted"
        in client.get(f"/youth/{youth.pk}/timeline").content.decode()
    )
    # The referral page's status shows where it is now; "open" keeps it until first contact.
    detail = client.get(f"/intake/referrals/{referral.pk}/").content.decode()
    assert '<option value="accepted" selected>' in detail
    assert referral.reference in client.get("/intake/referrals/").content.decode()
    # Today: accepted, not contacted yet, by record code and initials; no story, no name.
    today = client.get("/care/today")
    assert today.status_code == 200
    html = today.content.decode()
    assert f"{youth.reference} · Y." in html
    assert "Yesenia" not in html and "laundromat" not in html
    # Accepting twice adds nothing.
    assert client.post(f"/care/referrals/{referral.pk}/accept").status_code == 302
    assert CaseNote.objects.filter(youth=youth).count() == 1


def test_a_partner_cannot_accept_a_referral(
    central: Program,
    rotas: dict[str, Shift],
    coordinator: Persona,
    dfps_caseworker: Persona,
    client_for: ClientFor,
    outbox: list[dict[str, str]],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    referral = _enter_call(client_for(coordinator), central, django_capture_on_commit_callbacks)
    assert client_for(dfps_caseworker).post(f"/care/referrals/{referral.pk}/accept").status_code == 403
    referral.refresh_from_db()
    assert (referral.status, referral.youth_id) == ("received", None)


def test_today_shows_the_urgent_referral_with_its_clock_and_the_advocate_out(
    central: Program,
    rotas: dict[str, Shift],
    coordinator: Persona,
    advocate: Persona,
    dfps_caseworker: Persona,
    client_for: ClientFor,
    outbox: list[dict[str, str]],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    client = client_for(coordinator)
    referral = _enter_call(client, central, django_capture_on_commit_callbacks)
    client.post(
        f"/intake/referrals/{referral.pk}/field/",
        {
            "step": "dispatch",
            "advocate": str(advocate.user.pk),
            "meet_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "meeting_place": PLACE,
        },
    )
    html = client.get("/care/today").content.decode()
    assert referral.reference in html
    assert "Has run away or gone missing now" in html
    assert "waiting 0 min" in html
    assert "tomas" in html.lower()
    assert PLACE not in html and "Yesenia" not in html
    # The on-call advocate sees the same referral; a partner has no referral queue: none shown.
    assert referral.reference in client_for(advocate).get("/care/today").content.decode()
    partner_page = client_for(dfps_caseworker).get("/care/today")
    assert partner_page.status_code == 200
    assert referral.reference not in partner_page.content.decode()


@pytest.mark.parametrize("kind", ["new_referral", "immediate_danger", "check_in_missed", "report_overdue"])
def test_every_new_page_is_a_fixed_sentence_in_spanish_too(kind: str) -> None:
    english, spanish = message_text(kind, "en"), message_text(kind, "es")
    assert english != spanish
    assert "Threadline" in spanish
    assert "%" not in english + spanish and "{" not in english + spanish


def test_unlinking_restores_the_referral_and_is_ledgered(
    central: Program,
    rotas: dict[str, Shift],
    coordinator: Persona,
    advocate: Persona,
    client_for: ClientFor,
    outbox: list[dict[str, str]],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    from threadline.audit.models import AccessEvent
    from threadline.youth.models import TimelineEntry

    client = client_for(coordinator)
    referral = _enter_call(client, central, django_capture_on_commit_callbacks)
    client.post(f"/care/referrals/{referral.pk}/accept")
    referral.refresh_from_db()
    youth_id = referral.youth_id
    assert youth_id is not None
    assert (referral.status, referral.status_before_link) == ("accepted", "received")
    # The advocate may not unlink: refused, nothing changed.
    assert (
        client_for(advocate).post(f"/intake/referrals/{referral.pk}/unlink", {"reason": "x"}).status_code
        == 403
    )
    response = client.post(f"/intake/referrals/{referral.pk}/unlink", {"reason": "Wrong Yesenia"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.youth_id, referral.status, referral.status_before_link) == (None, "received", "")
    assert TimelineEntry.objects.filter(youth_id=youth_id, kind="referral_unlinked").count() == 1
    assert AccessEvent.objects.filter(object_type="referral", action="unlink").count() == 1


def test_the_county_protocol_kept_by_the_program_admin_prefills_the_report_form(
    central: Program,
    rotas: dict[str, Shift],
    coordinator: Persona,
    program_admin: Persona,
    advocate: Persona,
    client_for: ClientFor,
    outbox: list[dict[str, str]],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    from threadline.intake.models import CountyProtocol

    page = f"/intake/programs/{central.slug}/protocols/"
    body = {
        "county": "McLennan County",
        "child_welfare": "Brazos Bend child-welfare intake (fictional)",
        "law_enforcement": "Sandy Creek police (fictional)",
        "state_police_copy": "State police region 6 (fictional)",
        "backup_agency": "Sheriff (fictional)",
    }
    assert client_for(advocate).post(page, body).status_code == 403
    assert CountyProtocol.objects.count() == 0
    assert client_for(program_admin).post(page, body).status_code == 302
    row = CountyProtocol.objects.get()
    assert (row.county, row.child_welfare) == ("McLennan", "Brazos Bend child-welfare intake (fictional)")
    client = client_for(coordinator)
    referral = _enter_call(client, central, django_capture_on_commit_callbacks)
    html = client.get(f"/intake/referrals/{referral.pk}/").content.decode()
    assert 'value="Brazos Bend child-welfare intake (fictional)"' in html
    assert 'value="Sandy Creek police (fictional); copy: State police region 6 (fictional)"' in html

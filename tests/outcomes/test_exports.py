"""The funder report (PDF, XLSX) names no youth, renders, escapes formulas and is ledgered; row-level
exports need a supervisor, a fresh sign-in and a reason, and carry the exporter's name."""

from __future__ import annotations

import datetime as dt
import io
import re
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.conftest import Persona
from tests.outcomes.conftest import two_years
from threadline.audit.models import AccessEvent
from threadline.outcomes import demo_generate as generate
from threadline.outcomes import publish
from threadline.outcomes.exports import xlsx
from threadline.outcomes.exports.cells import safe_text
from threadline.outcomes.measures.facts import Period
from threadline.outcomes.report import Report, Section
from threadline.outcomes.tables import Table

pytestmark = pytest.mark.django_db


def _pdf_text(content: bytes) -> str:
    document = pdfium.PdfDocument(content)
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


def _xlsx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        return "\n".join(book.read(name).decode() for name in book.namelist() if name.endswith(".xml"))


def _identifiers(plan: generate.Plan) -> list[str]:
    found = []
    for youth in plan.youths:
        found += [youth.legal_name, youth.reference, youth.date_of_birth.isoformat()]
        found += [youth.phone] if youth.phone else []  # a fifth of them have one
        found.append(youth.date_of_birth.strftime("%m/%d/%Y"))
        found += [address for *_rest, address in youth.placements]
    return found


def test_funder_report_command_writes_a_pdf_and_an_xlsx_without_any_youths_identifiers(
    caseload: generate.Plan, tmp_path: Path
) -> None:
    start, end = two_years()
    call_command(
        "funder_report", "--from", start.isoformat(), "--to", end.isoformat(), "--out", str(tmp_path)
    )
    pdf = (tmp_path / f"threadline-report-{start.isoformat()}-{end.isoformat()}.pdf").read_bytes()
    book = (tmp_path / f"threadline-report-{start.isoformat()}-{end.isoformat()}.xlsx").read_bytes()
    pdf_text, xlsx_text = _pdf_text(pdf), _xlsx_text(book)
    assert "Youths served" in pdf_text and "Youths served" in xlsx_text
    for identifier in _identifiers(caseload):
        assert identifier not in pdf_text, identifier
        assert identifier not in xlsx_text, identifier
    # First names are checked as whole words outside county names (a first name may be a county's).
    counties = {"Howard", "Tom Green", "Jack", "Kent", "Irion"}
    for youth in caseload.youths:
        if youth.preferred_name not in counties:
            assert re.search(rf"\b{re.escape(youth.preferred_name)}\b", pdf_text + xlsx_text) is None
    event = AccessEvent.objects.get(object_type="funder_report")
    assert event.purpose == "pdf+xlsx: funder report from the command line"
    assert event.actor_id is None


def test_the_pdf_renders_to_images(caseload: generate.Plan, tmp_path: Path) -> None:
    start, end = two_years()
    call_command(
        "funder_report",
        "--from",
        start.isoformat(),
        "--to",
        end.isoformat(),
        "--out",
        str(tmp_path),
        "--format",
        "pdf",
    )
    document = pdfium.PdfDocument(
        (tmp_path / f"threadline-report-{start.isoformat()}-{end.isoformat()}.pdf").read_bytes()
    )
    assert len(document) >= 3
    image = document[0].render(scale=1).to_pil().convert("L")
    image.save(tmp_path / "page1.png")
    darkest, lightest = image.getextrema()
    assert lightest == 255 and darkest < 80  # white paper with dark text and map lines on it
    blue = document[0].render(scale=1).to_pil().convert("RGB")
    assert (8, 81, 156) in {
        blue.getpixel((x, y)) for x in range(0, blue.width, 2) for y in range(0, blue.height, 2)
    }


def test_spreadsheet_text_is_escaped_against_formulas() -> None:
    assert safe_text('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_text("+1") == "'+1"
    assert safe_text("-2") == "'-2"
    assert safe_text("@SUM(A1)") == "'@SUM(A1)"
    assert safe_text("Bexar") == "Bexar"
    table = Table(
        key="referrals.county",
        title="Referrals by county",
        rows=[("=cmd|' /C calc'!A0", "=cmd|' /C calc'!A0"), ("Bexar", "Bexar")],
        columns=[("referrals", "Referrals")],
        cells=[[20], [30]],
    )
    period = Period(dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    report = Report(period, [Section("intake", "Intake", tables=[table])], {}, ("Bexar",), timezone.now())
    shown = publish.publish(report, organization_id=None, suppressed=True)
    text = _xlsx_text(xlsx.render(shown, title="=1+1", subtitle="x", notes=[]))
    assert "<f>" not in text  # no cell holds a formula
    assert "&apos;=cmd|" in text or "'=cmd|" in text
    assert "'=1+1" in text or "&apos;=1+1" in text


def test_the_funder_report_page_downloads_both_files_and_ledgers_the_purpose(
    analyst: Persona, caseload: generate.Plan, client_for: Callable[[Persona], Client]
) -> None:
    start, end = two_years()
    client = client_for(analyst)
    preview = client.get(f"/outcomes/report/?start={start.isoformat()}&end={end.isoformat()}")
    assert preview.status_code == 200
    assert "Services by VOCA category" in preview.content.decode()
    refused = client.post(
        "/outcomes/report/",
        {"start": start.isoformat(), "end": end.isoformat(), "formats": ["pdf"], "purpose": "x"},
    )
    assert refused.status_code == 200  # too short a purpose: the form again, nothing exported
    assert not AccessEvent.objects.filter(object_type="funder_report", action="export").exists()
    response = client.post(
        "/outcomes/report/",
        {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "formats": ["pdf", "xlsx"],
            "purpose": "Quarterly grant report",
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(name.rsplit(".", 1)[1] for name in archive.namelist()) == ["pdf", "xlsx"]
    event = AccessEvent.objects.get(object_type="funder_report", action="export")
    assert (event.actor_id, event.purpose) == (analyst.user.pk, "pdf+xlsx: Quarterly grant report")


def _fresh_sign_in(client: Client, persona: Persona) -> None:
    """As allauth records a password typed again on its re-authentication page."""
    session = client.session
    # Added to what sign-in recorded (password and second factor), as allauth does.
    session["account_authentication_methods"] = [
        *session.get("account_authentication_methods", []),
        {"method": "password", "at": time.time(), "reauthenticated": True},
    ]
    session["account_authentication_methods_user"] = str(persona.user.pk)
    session.save()


def test_row_level_exports_are_for_supervisors_only(
    analyst: Persona, coordinator: Persona, client_for: Callable[[Persona], Client]
) -> None:
    for persona in (analyst, coordinator):
        client = client_for(persona)
        _fresh_sign_in(client, persona)
        assert client.get("/outcomes/records/").status_code == 403
        assert (
            client.post("/outcomes/records/", {"kind": "hmis", "reason": "because I want it"}).status_code
            == 403
        )
    assert not AccessEvent.objects.filter(action="export").exists()


def test_a_row_level_export_asks_for_the_password_again(
    supervisor: Persona, client_for: Callable[[Persona], Client]
) -> None:
    client = client_for(supervisor)
    start, end = two_years()
    response = client.post(
        "/outcomes/records/",
        {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "kind": "referrals",
            "reason": "Audit by the funder",
        },
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert not AccessEvent.objects.filter(action="export").exists()


def test_the_referrals_export_needs_a_reason_and_carries_the_exporters_name(
    supervisor: Persona, caseload: generate.Plan, client_for: Callable[[Persona], Client]
) -> None:
    client = client_for(supervisor)
    _fresh_sign_in(client, supervisor)
    start, end = two_years()
    data = {"start": start.isoformat(), "end": end.isoformat(), "kind": "referrals", "reason": "no"}
    assert client.post("/outcomes/records/", data).status_code == 200  # the form again
    assert not AccessEvent.objects.filter(action="export").exists()
    data["reason"] = "Site visit by the funder: sample of referrals"
    response = client.post("/outcomes/records/", data)
    assert response.status_code == 200
    text = _xlsx_text(response.content)
    assert "Exported by Ines" in text and "ines@cedar.test" in text
    assert caseload.youths[0].legal_name not in text
    event = AccessEvent.objects.get(object_type="referrals_export")
    assert event.actor_id == supervisor.user.pk
    assert event.purpose.endswith("Site visit by the funder: sample of referrals")


def test_the_hmis_export_has_the_documented_files_and_ledgers_every_youth(
    supervisor: Persona, caseload: generate.Plan, client_for: Callable[[Persona], Client]
) -> None:
    client = client_for(supervisor)
    _fresh_sign_in(client, supervisor)
    start, end = two_years()
    response = client.post(
        "/outcomes/records/",
        {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "kind": "hmis",
            "reason": "Comparable database upload",
        },
    )
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = sorted(archive.namelist())
        client_csv = archive.read("Client.csv").decode()
        readme = archive.read("README.txt").decode()
    assert names == [
        "Client.csv",
        "Enrollment.csv",
        "Exit.csv",
        "Export.csv",
        "Organization.csv",
        "Project.csv",
        "README.txt",
    ]
    assert client_csv.splitlines()[0].startswith(
        "PersonalID,FirstName,MiddleName,LastName,NameSuffix,NameDataQuality"
    )
    assert "Exported by Ines" in readme
    rows = client_csv.splitlines()[1:]
    youths = AccessEvent.objects.filter(object_type="youth", action="export", actor_id=supervisor.user.pk)
    # The supervisor sees the youths whose care team is still open; each exported one is ledgered.
    assert len(rows) == youths.count() > 0
    for youth in caseload.youths:
        assert youth.legal_name not in client_csv
        assert youth.date_of_birth.isoformat() not in client_csv

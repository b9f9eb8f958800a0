"""HMIS-comparable CSV export: a documented subset of the HUD HMIS CSV format (FY2024 "v1" file
names and column names), for programs whose funder asks for client-level data from a comparable
database (victim-service providers may not enter clients into an HMIS). The exact subset, and what
is deliberately left blank, is in docs/outcomes.md. Names, SSN, date of birth, race and free-text
gender are never exported: their data-quality columns say "data not collected" (99)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from threadline.outcomes.exports.cells import safe_text
from threadline.outcomes.measures.youths import gender_group

NOT_COLLECTED = 99
CSV_VERSION = "2024 v1"


@dataclass(frozen=True)
class HmisClient:
    personal_id: str  # the youth's reference code (never a name)
    gender_words: str
    created: dt.datetime
    updated: dt.datetime


@dataclass(frozen=True)
class HmisEnrollment:
    enrollment_id: str
    personal_id: str
    entry_date: dt.date
    exit_date: dt.date | None


EXPORT_COLUMNS = [
    "ExportID",
    "SourceType",
    "SourceID",
    "SourceName",
    "ExportDate",
    "ExportStartDate",
    "ExportEndDate",
    "SoftwareName",
    "SoftwareVersion",
    "CSVVersion",
    "ExportPeriodType",
    "ExportDirective",
    "HashStatus",
]
ORGANIZATION_COLUMNS = [
    "OrganizationID",
    "OrganizationName",
    "VictimServiceProvider",
    "DateCreated",
    "DateUpdated",
    "UserID",
    "DateDeleted",
    "ExportID",
]
PROJECT_COLUMNS = [
    "ProjectID",
    "OrganizationID",
    "ProjectName",
    "OperatingStartDate",
    "OperatingEndDate",
    "ProjectType",
    "DateCreated",
    "DateUpdated",
    "UserID",
    "DateDeleted",
    "ExportID",
]
GENDER_COLUMNS = [
    "Woman",
    "Man",
    "NonBinary",
    "CulturallySpecific",
    "Transgender",
    "Questioning",
    "DifferentIdentity",
    "GenderNone",
]
CLIENT_COLUMNS = [
    "PersonalID",
    "FirstName",
    "MiddleName",
    "LastName",
    "NameSuffix",
    "NameDataQuality",
    "SSN",
    "SSNDataQuality",
    "DOB",
    "DOBDataQuality",
    "RaceNone",
    *GENDER_COLUMNS,
    "DifferentIdentityText",
    "VeteranStatus",
    "DateCreated",
    "DateUpdated",
    "UserID",
    "DateDeleted",
    "ExportID",
]
ENROLLMENT_COLUMNS = [
    "EnrollmentID",
    "PersonalID",
    "ProjectID",
    "EntryDate",
    "HouseholdID",
    "RelationshipToHoH",
    "LivingSituation",
    "DisablingCondition",
    "DateCreated",
    "DateUpdated",
    "UserID",
    "DateDeleted",
    "ExportID",
]
EXIT_COLUMNS = [
    "ExitID",
    "EnrollmentID",
    "PersonalID",
    "ExitDate",
    "Destination",
    "DateCreated",
    "DateUpdated",
    "UserID",
    "DateDeleted",
    "ExportID",
]


def hmis_gender(words: str) -> dict[str, int]:
    """HUD's gender columns (1 yes, 0 no; GenderNone 99 when not recorded) from the youth's words."""
    flags = dict.fromkeys(GENDER_COLUMNS, 0)
    group = gender_group(words)
    text = (words or "").lower()
    if group == "not_recorded":
        flags = {column: 0 for column in GENDER_COLUMNS}
        flags["GenderNone"] = NOT_COLLECTED
        return flags
    flags["GenderNone"] = 0
    if group == "female":
        flags["Woman"] = 1
    elif group == "male":
        flags["Man"] = 1
    else:
        if re.search(r"\btrans", text):
            flags["Transgender"] = 1
            if re.search(r"\b(girl|woman|female|mujer|chica)\b", text):
                flags["Woman"] = 1
            if re.search(r"\b(boy|man|male|hombre|chico)\b", text):
                flags["Man"] = 1
        if re.search(r"non[- ]?binary|nonbinary|\benby\b|no binari", text):
            flags["NonBinary"] = 1
        if re.search(r"question|not sure yet", text):
            flags["Questioning"] = 1
        if not any(flags[c] for c in ("Woman", "Man", "NonBinary", "Transgender", "Questioning")):
            flags["DifferentIdentity"] = 1
    return flags


def _csv(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_text(value) for value in row])
    return out.getvalue().encode("utf-8")


def _stamp(moment: dt.datetime | dt.date | None) -> str:
    if moment is None:
        return ""
    if isinstance(moment, dt.datetime):
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    return moment.isoformat()


def _export_row(
    export_id: str, organization_id: int, organization_name: str, when: str, start: dt.date, end: dt.date
) -> list[Any]:
    return [export_id, 2, organization_id, organization_name, when, start.isoformat(), end.isoformat(),
            "Threadline", "0.1", CSV_VERSION, 3, 2, 1]  # fmt: skip


def _project_row(
    program_id: str, organization_id: int, program_name: str, start: dt.date, ids: tuple[str, str, str]
) -> list[Any]:
    when, user_id, export_id = ids
    return [program_id, organization_id, program_name, start.isoformat(), "", 6, when, when, user_id, "",
            export_id]  # fmt: skip


def _enrollment_row(e: HmisEnrollment, program_id: str, ids: tuple[str, str, str]) -> list[Any]:
    when, user_id, export_id = ids
    return [e.enrollment_id, e.personal_id, program_id, e.entry_date.isoformat(), e.enrollment_id, 1,
            NOT_COLLECTED, NOT_COLLECTED, when, when, user_id, "", export_id]  # fmt: skip


def _exit_row(e: HmisEnrollment, ids: tuple[str, str, str]) -> list[Any]:
    when, user_id, export_id = ids
    assert e.exit_date is not None
    return [f"X{e.enrollment_id}", e.enrollment_id, e.personal_id, e.exit_date.isoformat(), NOT_COLLECTED,
            when, when, user_id, "", export_id]  # fmt: skip


def _client_row(c: HmisClient, user_id: str, export_id: str) -> list[Any]:
    return [
        c.personal_id, "", "", "", "", NOT_COLLECTED, "", NOT_COLLECTED, "", NOT_COLLECTED, NOT_COLLECTED,
        *hmis_gender(c.gender_words).values(), "", NOT_COLLECTED, _stamp(c.created), _stamp(c.updated),
        user_id, "", export_id,
    ]  # fmt: skip


def render(
    *,
    export_id: str,
    organization_id: int,
    organization_name: str,
    program_id: str,
    program_name: str,
    clients: Sequence[HmisClient],
    enrollments: Sequence[HmisEnrollment],
    start: dt.date,
    end: dt.date,
    now: dt.datetime,
    user_id: str,
    watermark: str,
) -> bytes:
    """A zip of Export, Organization, Project, Client, Enrollment and Exit CSVs, and a README with the
    watermark (who exported it, when, why)."""
    when = _stamp(now)
    ids = (when, user_id, export_id)
    files = {
        "Export.csv": _csv(
            EXPORT_COLUMNS, [_export_row(export_id, organization_id, organization_name, when, start, end)]
        ),
        "Organization.csv": _csv(
            ORGANIZATION_COLUMNS,
            [[organization_id, organization_name, 1, when, when, user_id, "", export_id]],
        ),
        "Project.csv": _csv(
            PROJECT_COLUMNS, [_project_row(program_id, organization_id, program_name, start, ids)]
        ),
        "Client.csv": _csv(CLIENT_COLUMNS, [_client_row(c, user_id, export_id) for c in clients]),
        "Enrollment.csv": _csv(
            ENROLLMENT_COLUMNS, [_enrollment_row(e, program_id, ids) for e in enrollments]
        ),
        "Exit.csv": _csv(EXIT_COLUMNS, [_exit_row(e, ids) for e in enrollments if e.exit_date is not None]),
        "README.txt": (watermark + "\r\n").encode("utf-8"),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
        archive.comment = watermark.encode("utf-8")[:60000]
    return buffer.getvalue()

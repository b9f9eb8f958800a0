"""Dump the raw database after creating youths with known (fictional) identifying details, and find
none of their names, aliases, dates of birth or phone numbers in plaintext.

What "the raw database" means here:
- SQLite: the exact bytes of the database (``serialize()``, which includes free pages, so a value that
  was written in the clear and later deleted or overwritten is still caught), a ``VACUUM INTO`` copy
  read back from disk, the database file and its WAL when the test database is a file, and every row
  of every table read with raw SQL.
- PostgreSQL: every row of every table in the catalog as text (``SELECT t::text``), with ``bytea``
  values (shown as ``\\x`` hex) decoded back to bytes, since that is where an encrypted column that
  forgot to encrypt would put its plaintext.

Each source is first checked against positive controls (a plaintext organization name, and a known
byte string in a binary column): a dump that read nothing, or that only saw hex, fails instead of
passing quietly.
"""

from __future__ import annotations

import datetime
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import TypedDict

import pytest
from django.db import connection

from tests.conftest import Persona
from threadline.access.categories import Category
from threadline.crypto.models import DataKey
from threadline.youth.selectors import youth_record, youth_search
from threadline.youth.services import (
    alias_add,
    contact_way_add,
    household_member_add,
    household_member_flag_exploiter,
    missing_episode_close,
    missing_episode_open,
    placement_add,
    youth_create,
    youth_update,
)
from threadline.youth.sharing import care_team_add, consent_record, consent_revoke

pytestmark = pytest.mark.django_db(transaction=True)  # VACUUM INTO cannot run inside a transaction


class YouthSpec(TypedDict):
    preferred_name: str
    legal_name: str
    date_of_birth: datetime.date
    aliases: list[tuple[str, str]]
    phones: list[str]
    household: list[tuple[str, str, bool, bool]]  # name, relationship, is guardian, alleged exploiter
    address: str


# Fictional people, made up for this test. Names are unusual on purpose: a hit is never a coincidence.
YOUTHS: list[YouthSpec] = [
    {
        "preferred_name": "Quillane",
        "legal_name": "Quillane Vortenberry",
        "date_of_birth": datetime.date(2011, 7, 23),
        "aliases": [("street", "Cinnafrost"), ("alias", "Lulabird Vortenberry")],
        "phones": ["(210) 555-0147", "210.555.0198"],
        "household": [
            ("Orsolya Vortenberry", "mother", True, False),
            ("Dmitrik Halvane", "uncle", False, True),
        ],
        "address": "4417 Brambleworth Lane, San Antonio, TX 78209",
    },
    {
        "preferred_name": "Xiomara",
        "legal_name": "Xiomara Belén Ocotlán-Ruvalcaba",
        "date_of_birth": datetime.date(2010, 2, 14),
        "aliases": [("alias", "Nenita Quetzalli"), ("former", "Xiomara Truxillo")],
        "phones": ["+1 (956) 555-0123"],
        "household": [("Ysolde Ruvalcaba", "grandmother", True, False)],
        "address": "88 Calle Tamarindo Oeste, Laredo, TX 78040",
    },
    {
        "preferred_name": "Brannock",
        "legal_name": "Brannock Zelazowski",
        "date_of_birth": datetime.date(2012, 11, 5),
        "aliases": [("street", "Wrenfeather")],
        "phones": ["512-555-0176"],
        "household": [("Philippa Zelazowski", "aunt", True, True)],
        "address": "1900 Osterhout Court, Austin, TX 78745",
    },
]
RENAMED = "Quillane Vortenberry-Amsel"  # youth_update changes a name: old and new must both stay sealed
LATE_ALIAS = "Dusktallow"  # added after creation, through alias_add
LATE_PHONE = "(830) 555-0161"  # added after creation, through contact_way_add
SIGNATURE_TEXT = "signed on screen by {signer}"  # a drawn signature may carry the signer's typed name

PLAINTEXT_CONTROL = "Cedar Hollow Advocacy Center"  # Organization.name: stored in the clear on purpose
BINARY_CONTROL = b"raw-dump-control-Oxbrindle"  # written into a BinaryField, so blobs are really read


def fold(text: str) -> str:
    """Case-folded, accents removed: how a lazy index or a log line would store a name."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def dob_forms(day: datetime.date) -> list[str]:
    return [
        day.isoformat(),
        day.strftime("%m/%d/%Y"),
        f"{day.month}/{day.day}/{day.year}",
        day.strftime("%d/%m/%Y"),
        day.strftime("%Y/%m/%d"),
        day.strftime("%m-%d-%Y"),
    ]


def phone_forms(phone: str) -> list[str]:
    digits = re.sub(r"\D", "", phone)[-10:]
    area, exchange, line = digits[:3], digits[3:6], digits[6:]
    return [
        phone,
        digits,
        f"({area}) {exchange}-{line}",
        f"{area}-{exchange}-{line}",
        f"{area}.{exchange}.{line}",
        f"{area} {exchange} {line}",
    ]


def name_forms(name: str) -> list[str]:
    forms = [name, fold(name)]
    # Each word on its own too (a token index in the clear would hold words, not whole names).
    forms += [w for w in re.split(r"[^\w]+", name) if len(w) >= 5]
    forms += [w for w in re.split(r"[^\w]+", fold(name)) if len(w) >= 5]
    return forms


def secrets_to_find() -> dict[str, str]:
    """needle (lower case) -> what it is, for a readable failure message."""
    found: dict[str, str] = {}
    names: list[str] = [RENAMED, LATE_ALIAS]
    phones: list[str] = [LATE_PHONE]
    for spec in YOUTHS:
        names += [spec["preferred_name"], spec["legal_name"], *(n for _k, n in spec["aliases"])]
        names += [h[0] for h in spec["household"]]
        phones += spec["phones"]
        street = spec["address"].split(",")[0]
        for form in (spec["address"], street, max(street.split(" "), key=len)):
            found[form.lower()] = f"placement address ({form})"
        for form in dob_forms(spec["date_of_birth"]):
            found[form.lower()] = f"date of birth ({form})"
    for name in names:
        for form in name_forms(name):
            found[form.lower()] = f"name ({form})"
    for phone in phones:
        for form in phone_forms(phone):
            found[form.lower()] = f"phone ({form})"
    return found


def hits_in_text(haystack: str, needles: dict[str, str]) -> set[str]:
    low = haystack.lower()
    return {label for needle, label in needles.items() if needle in low}


def hits_in_bytes(haystack: bytes, needles: dict[str, str]) -> set[str]:
    low = haystack.lower()
    return {label for needle, label in needles.items() if needle.encode() in low}


# ---------------------------------------------------------------------------------------------------
# Building the data, through the services, as staff would


def build_youths(coordinator: Persona, partner: Persona) -> None:
    membership = coordinator.membership
    for index, spec in enumerate(YOUTHS):
        youth = youth_create(
            membership=membership,
            preferred_name=spec["preferred_name"],
            legal_name=spec["legal_name"],
            date_of_birth=spec["date_of_birth"],
            gender_identity="nonbinary" if index == 1 else "girl",
            pronouns="they/them" if index == 1 else "she/her",
            school="Mesquite Ridge Middle School",
            aliases=spec["aliases"],
            contact_ways=[
                {"kind": "phone" if n % 2 == 0 else "text", "value": phone, "safe_to_contact": True}
                for n, phone in enumerate(spec["phones"])
            ],
            counties=[("Bexar", "resides")],
        )
        care_team_add(
            membership=membership,
            youth_id=youth.pk,
            organization_id=partner.organization.pk,
            role="dfps_caseworker",
            person_id=partner.user.pk,
        )
        members = []
        for name, relationship, is_guardian, is_flagged in spec["household"]:
            members.append(
                household_member_add(
                    membership=membership,
                    youth_id=youth.pk,
                    name=name,
                    relationship=relationship,
                    is_guardian=is_guardian,
                    is_non_offending_caregiver=is_guardian and not is_flagged,
                    contact_restrictions=f"No contact with {spec['household'][-1][0]} without staff present",
                )
            )
        guardian, guardian_spec = members[0], spec["household"][0]
        consent = consent_record(
            membership=membership,
            youth_id=youth.pk,
            organization_id=partner.organization.pk,
            categories=[Category.IDENTITY, Category.LOCATION, Category.CARE_PLAN],
            purpose="coordinate placement and services",
            given_by="parent_guardian",
            guardian_id=guardian.pk,
            signature=SIGNATURE_TEXT.format(signer=guardian_spec[0]),
            signed_form_name=f"ROI-2026-{index:04d}",
        )
        if index == 0:
            consent_revoke(
                membership=membership, youth_id=youth.pk, consent_id=consent.pk, reason="family asked"
            )
        flagged = [m for m, h in zip(members, spec["household"], strict=True) if h[3]]
        for member in flagged:
            household_member_flag_exploiter(membership=membership, youth_id=youth.pk, member_id=member.pk)
        placement_add(
            membership=membership,
            youth_id=youth.pk,
            placement_type="kinship",
            started_on=datetime.date(2026, 3, 2),
            address=spec["address"],
            felt_safe=True,
        )
        episode = missing_episode_open(
            membership=membership,
            youth_id=youth.pk,
            started_at=datetime.datetime(2026, 4, 1, 22, 0, tzinfo=datetime.UTC),
        )
        missing_episode_close(
            membership=membership,
            youth_id=youth.pk,
            episode_id=episode.pk,
            ended_at=datetime.datetime(2026, 4, 3, 9, 0, tzinfo=datetime.UTC),
            debrief=f"{spec['preferred_name']} came back; was near {spec['address']}",
        )
        if index == 0:
            alias_add(membership=membership, youth_id=youth.pk, name=LATE_ALIAS, kind="street")
            contact_way_add(membership=membership, youth_id=youth.pk, kind="phone", value=LATE_PHONE)
            youth_update(
                membership=membership,
                youth_id=youth.pk,
                version=youth.version,
                changes={"legal_name": RENAMED},
            )
        # Reads too: a search or an opened record must not leave the query or the name behind.
        assert youth_search(membership=membership, query=spec["legal_name"])
        assert youth_search(membership=membership, query=spec["date_of_birth"].strftime("%m/%d/%Y"))
        assert youth_search(membership=membership, query=spec["phones"][0])
        youth_record(membership=membership, youth_id=youth.pk)
    youth_search(membership=partner.membership, query=YOUTHS[1]["legal_name"])
    # The binary positive control: a blob the scanners must see through.
    DataKey.objects.create(master_key_id="control", wrapped=BINARY_CONTROL)


# ---------------------------------------------------------------------------------------------------
# Reading the raw database


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def sqlite_images() -> Iterator[tuple[str, bytes]]:
    """Every byte image of the SQLite database we can get at."""
    raw = connection.connection
    yield "serialize() of the live database (includes free pages)", bytes(raw.serialize())
    with tempfile.TemporaryDirectory(prefix="threadline-dump-") as scratch:
        target = Path(scratch) / "copy.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(target)])
        yield "VACUUM INTO copy, read from disk", target.read_bytes()
    name = str(connection.settings_dict["NAME"])
    path = Path(name)
    if "memory" not in name and path.is_file():
        yield f"database file {path.name}", path.read_bytes()
        for suffix in ("-wal", "-journal"):
            extra = Path(name + suffix)
            if extra.is_file():
                yield f"database file {extra.name}", extra.read_bytes()


def sqlite_rows() -> Iterator[tuple[str, str | bytes]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = [row[0] for row in cursor.fetchall()]
        assert "youth_youth" in tables and "access_consent" in tables
        for table in tables:
            cursor.execute(f"SELECT * FROM {quote(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        yield table, bytes(value)
                    elif value is not None:
                        yield table, str(value)


_BYTEA = re.compile(r"\\+x((?:[0-9a-f]{2})+)")


def postgres_rows() -> Iterator[tuple[str, str | bytes]]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'm')
              AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname NOT LIKE 'pg_toast%%' AND n.nspname NOT LIKE 'pg_temp%%'
            """
        )
        tables = [(schema, table) for schema, table in cursor.fetchall()]
        assert ("public", "youth_youth") in tables or any(t == "youth_youth" for _s, t in tables)
        for schema, table in tables:
            cursor.execute(f"SELECT t::text FROM {quote(schema)}.{quote(table)} t")
            for (text,) in cursor.fetchall():
                yield table, text
                for match in _BYTEA.finditer(text):  # bytea columns print as hex: read them as bytes
                    yield table, bytes.fromhex(match.group(1))


def row_sources() -> Iterator[tuple[str, str | bytes]]:
    if connection.vendor == "sqlite":
        yield from sqlite_rows()
    elif connection.vendor == "postgresql":
        yield from postgres_rows()
    else:  # pragma: no cover - only the two supported databases
        pytest.fail(f"no raw dump for {connection.vendor}")


def scan_rows(needles: dict[str, str]) -> dict[str, set[str]]:
    """table -> labels of needles found in any of its rows."""
    hits: dict[str, set[str]] = {}
    for table, value in row_sources():
        found = hits_in_bytes(value, needles) if isinstance(value, bytes) else hits_in_text(value, needles)
        if found:
            hits.setdefault(table, set()).update(found)
    return hits


# ---------------------------------------------------------------------------------------------------


@pytest.fixture
def built(coordinator: Persona, dfps_caseworker: Persona) -> None:
    assert coordinator.organization.name == PLAINTEXT_CONTROL
    build_youths(coordinator, dfps_caseworker)


def controls() -> dict[str, str]:
    return {
        PLAINTEXT_CONTROL.lower(): "control: organization name (plaintext column)",
        BINARY_CONTROL.decode().lower(): "control: bytes in a binary column",
    }


def test_needles_are_what_the_services_stored(built: None) -> None:
    """The scan is only meaningful if the values really went in: read them back through the models."""
    from threadline.youth.models import Alias, ContactWay, HouseholdMember, PlacementAddress, Youth

    legal = {y.legal_name for y in Youth.objects.select_related("data_key")}
    assert RENAMED in legal and YOUTHS[1]["legal_name"] in legal
    assert {a.name for a in Alias.objects.select_related("youth__data_key")} >= {LATE_ALIAS, "Cinnafrost"}
    assert LATE_PHONE in {c.value for c in ContactWay.objects.select_related("youth__data_key")}
    assert "Dmitrik Halvane" in {h.name for h in HouseholdMember.objects.select_related("youth__data_key")}
    assert YOUTHS[2]["address"] in {
        p.address for p in PlacementAddress.objects.select_related("youth__data_key")
    }


def test_rows_of_every_table_hold_no_plaintext_identifiers(built: None) -> None:
    needles = secrets_to_find()
    hits = scan_rows({**needles, **controls()})
    seen_controls = set().union(*hits.values()) if hits else set()
    assert set(controls().values()) <= seen_controls, f"the dump missed its own controls: {hits}"
    leaks = {table: found - set(controls().values()) for table, found in hits.items()}
    leaks = {table: found for table, found in leaks.items() if found}
    assert leaks == {}, f"plaintext identifiers in the database: {leaks}"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="file images are an SQLite thing")
def test_sqlite_file_bytes_hold_no_plaintext_identifiers(built: None) -> None:
    needles = secrets_to_find()
    images = list(sqlite_images())
    assert len(images) >= 2
    for label, image in images:
        found = hits_in_bytes(image, {**needles, **controls()})
        assert set(controls().values()) <= found, f"{label}: the image missed its own controls"
        leaks = found - set(controls().values())
        assert not leaks, f"{label}: plaintext identifiers in the database bytes: {sorted(leaks)}"

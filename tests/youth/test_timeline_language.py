"""The timeline reads in the reader's language: an entry keeps its message's msgid and values (sealed)
and is translated when shown, whatever language the person who wrote it was using."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.utils import translation

from tests.conftest import ClientFor, Persona
from tests.factories.access import youth_with_team
from threadline.access.categories import Category
from threadline.access.models import TeamRole
from threadline.discovery import app_modules
from threadline.youth import said
from threadline.youth import timeline_messages as msg
from threadline.youth.models import PlacementType, TimelineEntry, Youth
from threadline.youth.services import placement_add

PACKAGE = Path(said.__file__).resolve().parent.parent


@pytest.fixture
def youth(coordinator: Persona, dfps_caseworker: Persona) -> Youth:
    """Written in English: the team (with DFPS, by name) and a shelter placement."""
    with translation.override("en"):
        youth = youth_with_team(coordinator.membership, [(dfps_caseworker.organization, TeamRole.OTHER)])
        placement_add(
            membership=coordinator.membership,
            youth_id=youth.pk,
            placement_type=PlacementType.SHELTER,
            started_on=datetime.date(2026, 5, 2),
        )
    return youth


def test_an_entry_written_in_english_reads_in_each_readers_language(
    coordinator: Persona, dfps_caseworker: Persona, client_for: ClientFor, youth: Youth
) -> None:
    dfps = dfps_caseworker.organization.name
    client = client_for(coordinator)
    english = client.get(f"/youth/{youth.pk}/timeline").content.decode()
    assert f"{dfps} joined the care team" in english
    assert "New placement: Shelter" in english
    assert client.post("/i18n/language", {"language": "es", "next": "/"}).status_code == 302
    spanish = client.get(f"/youth/{youth.pk}/timeline").content.decode()
    assert f"{dfps} se unió al equipo de atención" in spanish
    assert "Nueva colocación: Refugio" in spanish  # the choice's label in Spanish too
    assert "joined the care team" not in spanish and "New placement" not in spanish
    # The English text is still what the row keeps in its summary (exports, the handoff copy).
    kept = TimelineEntry.objects.get(youth=youth, kind="placement")
    kept.youth = youth
    assert kept.summary == "New placement: Shelter"


def test_values_with_a_name_are_sealed_in_the_database(
    coordinator: Persona, dfps_caseworker: Persona, youth: Youth
) -> None:
    dfps = dfps_caseworker.organization.name
    entry = TimelineEntry.objects.get(youth=youth, kind="team_joined")
    key = TimelineEntry._meta.pk.get_db_prep_value(entry.pk, connection)
    with connection.cursor() as cursor:
        cursor.execute("SELECT message, summary FROM youth_timelineentry WHERE id = %s", [key])
        row = cursor.fetchone()
    assert row is not None
    message, summary = bytes(row[0]), bytes(row[1])
    for column in (message, summary):
        assert dfps.encode() not in column and b"organization" not in column and b"care team" not in column
    entry.youth = youth
    assert entry.message == {"msgid": msg.TEAM_JOINED.msgid, "values": {"organization": dfps}}


def test_an_entry_written_before_messages_were_kept_shows_its_stored_text(
    coordinator: Persona, client_for: ClientFor, youth: Youth
) -> None:
    with transaction.atomic():
        for summary in ("Case note", "Called the school"):  # a known message, then free text
            entry = TimelineEntry(youth=youth, kind="old", category=Category.RECORD, summary=summary)
            entry.save(force_insert=True)
    client = client_for(coordinator)
    assert client.post("/i18n/language", {"language": "es", "next": "/"}).status_code == 302
    spanish = client.get(f"/youth/{youth.pk}/timeline").content.decode()
    assert "Nota del caso" in spanish and "Called the school" in spanish


def test_a_message_whose_translation_lost_a_value_shows_the_stored_text() -> None:
    data = {"msgid": "Stage of change: %(stage)s", "values": {}}  # the value went missing
    with translation.override("es"):
        assert (
            said.shown(data, "Stage of change: Thinking about change")
            == "Stage of change: Thinking about change"
        )
    for path in (
        "django.db.models:TextChoices",
        "threadline.youth.models:Youth",
        "threadline.youth.models:Nope",
    ):
        # Only this project's choices classes (a class that is not one, or is gone, shows the stored text).
        assert said.shown({"choices": path, "value": "x"}, "stored") == "stored"
    unknown = {"choices": "threadline.youth.models:PlacementType", "value": "gone"}  # a retired choice
    assert said.shown(unknown, "New placement: Gone") == "New placement: Gone"


def test_values_are_rendered_in_the_readers_language_nested_and_listed() -> None:
    from threadline.intake import timeline_messages as intake_msg
    from threadline.referrals import timeline_messages as referral_msg
    from threadline.referrals.states import ReferralState

    summary = referral_msg.REFERRAL_STATE_BY(
        service="Sotol Springs", state=said.Choice(ReferralState.EXPIRED), by=referral_msg.BY_LINK()
    )
    data = said.stored(summary)
    assert (
        said.english(summary) == "Service referral to Sotol Springs: Expired (the provider (one-time link))"
    )
    with translation.override("es"):
        expired = translation.pgettext("referral state", "Expired")
        assert (
            said.shown(data, "")
            == f"Remisión a Sotol Springs: {expired} (el proveedor (enlace de un solo uso))"
        )
    carried = intake_msg.TRANSFER_RECEIVED(
        from_program="Cedar", categories=(said.Choice(Category.CARE_PLAN), said.Choice(Category.CASE_NOTES))
    )
    with translation.override("es"):
        assert said.shown(said.stored(carried), "") == (
            "Transferencia desde Cedar, con lo que la persona joven aceptó compartir: "
            "Plan de atención, Notas del caso"
        )


def registered() -> dict[str, said.Message]:
    for _label, _module in app_modules("timeline_messages"):
        pass  # importing each room's module registers its messages
    return said.MESSAGES


def test_every_timeline_message_has_a_spanish_translation_keeping_its_values() -> None:
    messages = registered()
    assert len(messages) >= 40  # every room's: youth, intake, care, referrals, matching, mentoring, family
    untranslated = []
    with translation.override("es"):
        for msgid in messages:
            spanish = translation.gettext(msgid)
            if spanish == msgid or sorted(re.findall(r"%\(\w+\)s", spanish)) != sorted(
                re.findall(r"%\(\w+\)s", msgid)
            ):
                untranslated.append(msgid)
    assert untranslated == []


def test_messages_are_declared_where_the_walk_finds_them() -> None:
    """A ``Message`` declared outside a room's ``timeline_messages.py`` would escape the test above."""
    elsewhere = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.name not in {"timeline_messages.py", "said.py"}
        and re.search(r"\bMessage\(\s*gettext_noop\(", path.read_text())
    ]
    assert elsewhere == []


def test_an_unknown_placement_type_is_refused_with_its_field_and_writes_nothing(
    coordinator: Persona, youth: Youth
) -> None:
    """The timeline words the placement by its type's label: a type that is not one of the choices is
    the field's refusal (never a 500 in the middle of the write), and nothing is written."""
    from django.core.exceptions import ValidationError

    from threadline.youth.models import Placement

    before = (Placement.objects.count(), TimelineEntry.objects.count())
    with pytest.raises(ValidationError) as refused:
        placement_add(
            membership=coordinator.membership,
            youth_id=youth.pk,
            placement_type="castle",
            started_on=datetime.date(2026, 6, 1),
        )
    assert refused.value.message_dict == {"placement_type": ["Choose one of the options."]}
    assert (Placement.objects.count(), TimelineEntry.objects.count()) == before

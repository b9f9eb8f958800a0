"""Case notes: autosaved drafts lose nothing and are the author's alone; a second tab never
overwrites; saving needs only a contact type and a few words; sensitive notes narrow who reads them;
the case-notes category is its own consent."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import Persona
from tests.factories.access import Share
from threadline.access.categories import Category
from threadline.audit.models import AccessEvent
from threadline.care import selectors
from threadline.care.models import CaseNote
from threadline.care.services.notes import case_note_autosave, case_note_save
from threadline.core.errors import EditConflict
from threadline.youth.models import TimelineEntry, Youth
from threadline.youth.policy import YouthNotFound

pytestmark = pytest.mark.django_db


def test_autosave_keeps_every_keystroke_batch_and_saves_once(
    advocate: Persona, coordinator: Persona, youth: Youth
) -> None:
    from threadline.youth.sharing import care_team_add

    care_team_add(
        membership=coordinator.membership,
        youth_id=youth.pk,
        organization_id=advocate.organization.pk,
        role="lead_advocate",
        person_id=advocate.user.pk,
    )
    m = advocate.membership
    draft = case_note_autosave(membership=m, youth_id=youth.pk, narrative="Met at the library")
    assert (draft.state, draft.version) == ("draft", 1)
    draft = case_note_autosave(
        membership=m,
        youth_id=youth.pk,
        note_id=draft.pk,
        version=1,
        narrative="Met at the library; she asked about GED classes",
        contact_type="in_person",
        duration_minutes="45",
    )
    assert draft.version == 2
    stored = CaseNote.objects.select_related("youth__data_key").get(pk=draft.pk)
    assert stored.narrative == "Met at the library; she asked about GED classes"
    # Only the author sees the draft, even the coordinator does not.
    assert [n.pk for n in selectors.case_notes_of(membership=coordinator.membership, youth_id=youth.pk)] == []
    assert [n.pk for n in selectors.case_notes_of(membership=m, youth_id=youth.pk)] == [draft.pk]
    assert not TimelineEntry.objects.filter(object_type="case_note").exists()

    note = case_note_save(membership=m, youth_id=youth.pk, note_id=draft.pk, version=2)
    assert note.state == "final" and note.finalized_at is not None
    assert [n.pk for n in selectors.case_notes_of(membership=coordinator.membership, youth_id=youth.pk)] == [
        note.pk
    ]
    assert TimelineEntry.objects.filter(object_type="case_note", category=Category.CASE_NOTES).count() == 1
    with pytest.raises(CaseNote.DoesNotExist):  # saved notes are not edited
        case_note_autosave(membership=m, youth_id=youth.pk, note_id=note.pk, version=3, narrative="x")


def test_a_second_tab_does_not_overwrite_the_first(coordinator: Persona, youth: Youth) -> None:
    m = coordinator.membership
    draft = case_note_autosave(membership=m, youth_id=youth.pk, narrative="first tab")
    case_note_autosave(membership=m, youth_id=youth.pk, note_id=draft.pk, version=1, narrative="v2")
    with pytest.raises(EditConflict) as caught:
        case_note_autosave(
            membership=m, youth_id=youth.pk, note_id=draft.pk, version=1, narrative="stale tab"
        )
    assert caught.value.current_version == 2
    assert CaseNote.objects.select_related("youth__data_key").get(pk=draft.pk).narrative == "v2"


def test_another_persons_draft_is_not_reachable(
    coordinator: Persona, supervisor: Persona, youth: Youth
) -> None:
    draft = case_note_autosave(membership=coordinator.membership, youth_id=youth.pk, narrative="mine")
    with pytest.raises(CaseNote.DoesNotExist):
        case_note_autosave(
            membership=supervisor.membership, youth_id=youth.pk, note_id=draft.pk, version=1, narrative="x"
        )
    with pytest.raises(CaseNote.DoesNotExist):
        selectors.case_note_draft(membership=supervisor.membership, youth_id=youth.pk, note_id=draft.pk)


def test_saving_asks_only_for_a_contact_type_and_a_few_words(coordinator: Persona, youth: Youth) -> None:
    m = coordinator.membership
    draft = case_note_autosave(membership=m, youth_id=youth.pk)
    with pytest.raises(ValidationError) as caught:
        case_note_save(membership=m, youth_id=youth.pk, note_id=draft.pk, version=1)
    assert "contact_type" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        case_note_save(membership=m, youth_id=youth.pk, note_id=draft.pk, version=1, contact_type="phone")
    assert "narrative" in caught.value.message_dict
    assert CaseNote.objects.get(pk=draft.pk).state == "draft"  # nothing lost, still a draft
    note = case_note_save(
        membership=m, youth_id=youth.pk, note_id=draft.pk, version=1, contact_type="attempted"
    )
    assert note.state == "final"


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"duration_minutes": "an hour"}, "duration_minutes"),
        ({"duration_minutes": 5000}, "duration_minutes"),
        ({"contact_type": "telepathy"}, "contact_type"),
        ({"contact_at": "yesterday"}, "contact_at"),
    ],
)
def test_bad_note_input_gets_a_field_message(
    coordinator: Persona, youth: Youth, fields: dict[str, Any], problem: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        case_note_autosave(membership=coordinator.membership, youth_id=youth.pk, **fields)
    assert problem in caught.value.message_dict
    assert not CaseNote.objects.exists()


def test_mass_assignment_is_ignored(coordinator: Persona, dfps_caseworker: Persona, youth: Youth) -> None:
    note = case_note_autosave(
        membership=coordinator.membership,
        youth_id=youth.pk,
        narrative="x",
        state="final",
        author=dfps_caseworker.user,
        version=7,
    )
    assert (note.state, note.author, note.version) == ("draft", coordinator.user, 1)


def test_sensitive_notes_and_the_case_notes_category(
    coordinator: Persona, dfps_caseworker: Persona, probation_officer: Persona, youth: Youth, share: Share
) -> None:
    def write(persona: Persona, sensitive: bool, words: str) -> CaseNote:
        draft = case_note_autosave(
            membership=persona.membership,
            youth_id=youth.pk,
            narrative=words,
            contact_type="phone",
            contact_at=timezone.now() - datetime.timedelta(hours=1),
            sensitive=sensitive,
        )
        return case_note_save(membership=persona.membership, youth_id=youth.pk, note_id=draft.pk, version=1)

    plain = write(coordinator, False, "Talked about school")
    secret = write(coordinator, True, "Disclosed something sensitive")
    share(youth, dfps_caseworker, [Category.CARE_PLAN])
    before = AccessEvent.objects.count()
    with pytest.raises(YouthNotFound):  # care plan consent is not case notes consent
        selectors.case_notes_of(membership=dfps_caseworker.membership, youth_id=youth.pk)
    assert AccessEvent.objects.count() == before  # a refusal discloses nothing and records nothing

    share(youth, dfps_caseworker, [Category.CASE_NOTES])
    share(youth, probation_officer, [Category.CASE_NOTES])
    theirs = write(dfps_caseworker, True, "Partner's own sensitive note")
    dfps_sees = {
        n.pk for n in selectors.case_notes_of(membership=dfps_caseworker.membership, youth_id=youth.pk)
    }
    assert dfps_sees == {plain.pk, theirs.pk}
    probation_sees = {
        n.pk for n in selectors.case_notes_of(membership=probation_officer.membership, youth_id=youth.pk)
    }
    assert probation_sees == {plain.pk}
    coordinator_sees = {
        n.pk for n in selectors.case_notes_of(membership=coordinator.membership, youth_id=youth.pk)
    }
    assert coordinator_sees == {plain.pk, secret.pk, theirs.pk}


def test_saving_without_a_draft_is_one_service_and_a_refusal_writes_nothing(coordinator, youth) -> None:  # type: ignore[no-untyped-def]
    m = coordinator.membership
    ledger_before = AccessEvent.objects.filter(youth_id=youth.pk).count()
    with pytest.raises(ValidationError):
        case_note_save(membership=m, youth_id=youth.pk, contact_type="in_person", narrative="")
    assert CaseNote.objects.filter(youth=youth).count() == 0
    assert AccessEvent.objects.filter(youth_id=youth.pk).count() == ledger_before  # rolled back too
    note = case_note_save(
        membership=m, youth_id=youth.pk, contact_type="in_person", narrative="Talked about school"
    )
    assert (note.state, CaseNote.objects.filter(youth=youth).count()) == ("final", 1)
    assert AccessEvent.objects.filter(youth_id=youth.pk).count() == ledger_before + 1

"""Change history is kept, and never shows an identifying value."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry

from tests.conftest import Persona
from tests.factories.youth import make_youth
from threadline.youth.services import youth_update

pytestmark = pytest.mark.django_db


def test_history_records_that_a_name_changed_but_not_the_name(coordinator: Persona) -> None:
    youth = make_youth(coordinator.membership, preferred_name="Oriela", legal_name="Oriela Marchetti")
    youth_update(
        membership=coordinator.membership,
        youth_id=youth.pk,
        version=youth.version,
        changes={"preferred_name": "Ori", "pronouns": "she/her"},
    )
    entries = LogEntry.objects.filter(object_pk=str(youth.pk))
    assert entries.exists()
    dump = " ".join(str(e.changes) for e in LogEntry.objects.all())
    for secret in ("Oriela", "Marchetti", 'Ori"', "she/her"):
        assert secret not in dump
    update = entries.filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert "preferred_name" in update.changes_dict
    assert update.changes_dict["preferred_name"] == ["[hidden]", "[hidden]"]


def test_staff_changes_are_tracked(program_admin: Persona, advocate: Persona) -> None:
    from threadline.accounts.services import user_deactivate

    user_deactivate(membership=program_admin.membership, user=advocate.user)
    entry = LogEntry.objects.filter(object_pk=str(advocate.user.pk), action=LogEntry.Action.UPDATE).latest(
        "timestamp"
    )
    assert entry.changes_dict["is_active"] == ["True", "False"]
    assert "password" not in entry.changes_dict

"""Erasing a youth takes two different people and leaves nothing readable behind."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import Persona
from tests.factories.youth import make_youth
from threadline.audit.models import AccessEvent
from threadline.crypto.models import DataKey
from threadline.youth.models import Alias, ErasureRequest, SearchToken, Youth

pytestmark = pytest.mark.django_db


def test_two_people_erase_a_youth_and_their_key(coordinator: Persona, supervisor: Persona) -> None:
    youth = make_youth(coordinator.membership, preferred_name="Temperance", aliases=[("street", "Tempo")])
    key_id = youth.data_key_id
    call_command(
        "erase_youth",
        "--by",
        coordinator.user.email,
        "--request",
        str(youth.pk),
        "--reason",
        "record opened twice by mistake",
    )
    request = ErasureRequest.objects.get()
    with pytest.raises(CommandError, match="not allowed"):
        call_command("erase_youth", "--by", coordinator.user.email, "--approve", str(request.pk))
    assert Youth.objects.filter(pk=youth.pk).exists()
    call_command("erase_youth", "--by", supervisor.user.email, "--approve", str(request.pk))
    assert not Youth.objects.filter(pk=youth.pk).exists()
    assert not DataKey.objects.filter(pk=key_id).exists()
    assert not Alias.objects.exists() and not SearchToken.objects.exists()
    assert AccessEvent.objects.filter(youth_id=youth.pk, action="erase").exists()
    from threadline.audit.ledger import verify

    assert verify().ok


def test_the_requester_cannot_approve_even_as_supervisor(supervisor: Persona) -> None:
    from threadline.youth.sharing import care_team_add  # noqa: F401  (team is set by youth_create)

    youth = make_youth(supervisor.membership, preferred_name="Lark")
    call_command(
        "erase_youth",
        "--by",
        supervisor.user.email,
        "--request",
        str(youth.pk),
        "--reason",
        "duplicate record",
    )
    request = ErasureRequest.objects.get()
    with pytest.raises(CommandError):
        call_command("erase_youth", "--by", supervisor.user.email, "--approve", str(request.pk))
    assert Youth.objects.filter(pk=youth.pk).exists()

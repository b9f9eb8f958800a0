"""The program admin's on-call rota page."""

from __future__ import annotations

import pytest

from tests.conftest import ClientFor, Persona
from threadline.intake.models import Alert, OnCallPhone, Program, Region, Shift

pytestmark = pytest.mark.django_db


def test_program_admin_builds_the_rota(
    program: Program,
    program_admin: Persona,
    advocate: Persona,
    supervisor: Persona,
    client_for: ClientFor,
    sms_outbox: list[dict[str, str]],
) -> None:
    client = client_for(program_admin)
    url = f"/intake/programs/{program.slug}/rota/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"form": "region", "region-name": "Hill Country"}).status_code == 302
    region = Region.objects.get(program=program, name="Hill Country")
    response = client.post(
        url,
        {
            "form": "shift",
            "shift-region": region.pk,
            "shift-starts_at": "2030-01-01T20:00",
            "shift-ends_at": "2030-01-02T08:00",
            "shift-primary": advocate.user.pk,
            "shift-supervisor": supervisor.user.pk,
        },
    )
    assert response.status_code == 302
    shift = Shift.objects.get(region=region)
    assert shift.primary == advocate.user and shift.backup is None
    assert (
        client.post(
            url, {"form": "phone", "phone-user": advocate.user.pk, "phone-sms_number": "+1 210 555 0101"}
        ).status_code
        == 302
    )
    assert OnCallPhone.objects.get(user=advocate.user).sms_number == "+12105550101"
    html = client.get(url).content.decode()
    assert advocate.user.full_name in html
    assert client.post(f"{url}shifts/{shift.pk}/delete").status_code == 302
    assert not Shift.objects.filter(region=region).exists()


def test_bad_shift_keeps_the_form(
    program: Program, program_admin: Persona, advocate: Persona, client_for: ClientFor
) -> None:
    region = Region.objects.create(program=program, name="Hill Country")
    response = client_for(program_admin).post(
        f"/intake/programs/{program.slug}/rota/",
        {
            "form": "shift",
            "shift-region": region.pk,
            "shift-starts_at": "2030-01-02T08:00",
            "shift-ends_at": "2030-01-01T20:00",
            "shift-primary": advocate.user.pk,
        },
    )
    assert response.status_code == 422
    assert "must end after it starts" in response.content.decode()
    assert not Shift.objects.exists()


def test_test_alert(
    program: Program,
    program_admin: Persona,
    advocate: Persona,
    client_for: ClientFor,
    sms_outbox: list[dict[str, str]],
) -> None:
    region = Region.objects.create(program=program, name="Hill Country")
    response = client_for(program_admin).post(
        f"/intake/programs/{program.slug}/rota/", {"form": "test", "test-region": region.pk}
    )
    assert response.status_code == 302
    assert Alert.objects.get().kind == "test"


def test_others_cannot_touch_the_rota(
    program: Program,
    region: Region,
    rota: Shift,
    dfps_caseworker: Persona,
    advocate: Persona,
    client_for: ClientFor,
) -> None:
    for persona in (dfps_caseworker, advocate):
        client = client_for(persona)
        url = f"/intake/programs/{program.slug}/rota/"
        assert client.get(url).status_code == 403
        assert client.post(url, {"form": "region", "region-name": "Elsewhere"}).status_code == 403
        assert client.post(f"{url}shifts/{rota.pk}/delete").status_code == 403
    assert Shift.objects.filter(pk=rota.pk).exists()
    assert not Region.objects.filter(name="Elsewhere").exists()

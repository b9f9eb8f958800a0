"""Program admin pages: service-area rules (new version on each save), guarded by MANAGE_PROGRAM."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from tests.conftest import ClientFor, Persona
from threadline.audit.models import AccessEvent
from threadline.intake.models import Program, RuleVersion

pytestmark = pytest.mark.django_db


def rules_post(program: Program, **overrides: object) -> dict[str, object]:
    rules = program.current_rules()
    assert rules is not None
    rows = list(rules.counties.order_by("county"))
    data: dict[str, object] = {
        "based_on": rules.number,
        "connections": ["resides", "physically_present", "travelling_to", "victimized_in"],
        "extension_entry_age": 18,
        "note": "add Bandera",
        "counties-TOTAL_FORMS": len(rows) + 1,
        "counties-INITIAL_FORMS": 0,
    }
    for i, row in enumerate(rows):
        data[f"counties-{i}-county"] = row.county
        data[f"counties-{i}-max_age"] = row.max_age
        data[f"counties-{i}-extended_max_age"] = row.extended_max_age or ""
    data[f"counties-{len(rows)}-county"] = "bandera county"
    data[f"counties-{len(rows)}-max_age"] = 17
    data.update(overrides)
    return data


def test_program_admin_saves_a_new_version(
    program: Program, program_admin: Persona, client_for: ClientFor
) -> None:
    client = client_for(program_admin)
    page = client.get(f"/intake/programs/{program.slug}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "includes 18" in html  # how "up to 18" is read, said in the UI
    assert 'value="Bexar"' in html
    response = client.post(f"/intake/programs/{program.slug}/", rules_post(program))
    assert response.status_code == 302
    latest = program.current_rules()
    assert latest is not None and latest.number == 2
    assert latest.created_by == program_admin.user
    assert list(latest.counties.values_list("county", "max_age")) == [
        ("Bandera", 17),
        ("Bexar", 18),
        ("Hidalgo", 24),
        ("Kendall", 24),
        ("Kerr", 24),
        ("Montgomery", 24),
    ]
    first = RuleVersion.objects.get(program=program, number=1)
    assert first.counties.count() == 5  # the old version is untouched
    assert AccessEvent.objects.filter(object_type="rule_version", object_id=str(latest.pk)).exists()


def test_htmx_save_with_errors_returns_the_form_part_and_keeps_input(
    program: Program, program_admin: Persona, client_for: ClientFor
) -> None:
    data = rules_post(program, **{"counties-5-county": "Narnia", "note": "typed by hand"})
    response = client_for(program_admin).post(
        f"/intake/programs/{program.slug}/", data, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # only the partial
    assert 'id="rules-form"' in html
    assert "Narnia" in html and "typed by hand" in html
    assert program.rule_versions.count() == 1


def test_stale_edit_is_refused_not_overwritten(
    program: Program, program_admin: Persona, client_for: ClientFor
) -> None:
    client = client_for(program_admin)
    stale = rules_post(program)
    assert client.post(f"/intake/programs/{program.slug}/", rules_post(program)).status_code == 302
    response = client.post(f"/intake/programs/{program.slug}/", stale)
    assert response.status_code == 422
    assert "Someone else saved" in response.content.decode()
    assert program.rule_versions.count() == 2


def test_bad_rules_are_refused_with_a_message(
    program: Program, program_admin: Persona, client_for: ClientFor
) -> None:
    client = client_for(program_admin)
    overrides: Mapping[str, object]
    for overrides in (
        {"connections": []},
        {"counties-5-county": "Bexar"},  # twice
        {"counties-0-extended_max_age": 5},  # below the usual age
        {"counties-5-max_age": "old"},
        {"counties-TOTAL_FORMS": "many"},
    ):
        response = client.post(f"/intake/programs/{program.slug}/", rules_post(program, **overrides))
        assert response.status_code in (422, 400), overrides
    assert program.rule_versions.count() == 1


def test_partner_staff_cannot_see_or_edit_rules(
    program: Program, dfps_caseworker: Persona, coordinator: Persona, client_for: ClientFor
) -> None:
    before = AccessEvent.objects.count()
    for persona in (dfps_caseworker, coordinator):
        client = client_for(persona)
        assert client.get(f"/intake/programs/{program.slug}/").status_code == 403
        assert client.post(f"/intake/programs/{program.slug}/", rules_post(program)).status_code == 403
        assert client.get("/intake/programs/").status_code == 403
    assert program.rule_versions.count() == 1
    assert AccessEvent.objects.count() == before


def test_program_of_another_organization_is_not_found(
    program: Program, program_admin: Persona, client_for: ClientFor
) -> None:
    from tests.factories.accounts import OrganizationFactory

    other = OrganizationFactory(name="Distant Advocacy Center")
    Program.objects.filter(slug="demo-central-texas").update(organization=other)
    client = client_for(program_admin)
    assert client.get("/intake/programs/demo-central-texas/").status_code == 404
    assert client.get("/intake/programs/no-such-program/").status_code == 404
    assert "demo-central-texas" not in client.get("/intake/programs/").content.decode()


def test_rule_versions_are_immutable(program: Program) -> None:
    from threadline.intake.models import ImmutableRow

    rules = program.current_rules()
    assert rules is not None
    rules.note = "edited"
    with pytest.raises(ImmutableRow):
        rules.save()
    with pytest.raises(ImmutableRow):
        rules.delete()
    county = rules.counties.first()
    assert county is not None
    county.max_age = 99
    with pytest.raises(ImmutableRow):
        county.save()

"""Issue 9, item 1: every field of youth data belongs to exactly one category, and reads (page, API),
writes (form, PATCH), conflict bodies and ledger rows follow it. Identity consent discloses identity:
never the school (education) nor the legal status (legal)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.apps import apps
from django.test import Client

from tests.conftest import Persona
from tests.factories.youth import make_youth
from threadline.access.categories import Category
from threadline.audit.models import AccessEvent
from threadline.youth.fields import FIELD_CATEGORIES, PER_ROW, ROW_CATEGORY_COLUMN
from threadline.youth.models import Youth
from threadline.youth.services import household_member_add
from threadline.youth.sharing import care_team_add, consent_record

SCHOOL = "Mesquite Ridge Middle School"


def youth_data_models() -> dict[str, set[str]]:
    """Every model of the youth app and its concrete fields (foreign keys included)."""
    found: dict[str, set[str]] = {}
    for model in apps.get_app_config("youth").get_models():
        found[model._meta.label] = {f.name for f in model._meta.concrete_fields}
    return found


def test_every_youth_data_field_has_exactly_one_category() -> None:
    models = youth_data_models()
    assert set(FIELD_CATEGORIES) == set(models)
    for label, fields in models.items():
        mapped = FIELD_CATEGORIES[label]
        assert set(mapped) == fields, (label, fields ^ set(mapped))
        for name, category in mapped.items():
            assert category in Category.values or category == PER_ROW, (label, name, category)
            if category == PER_ROW:
                assert ROW_CATEGORY_COLUMN[label] in fields
    # The two fields the probe found leaking are in their own categories, and age is identity.
    assert FIELD_CATEGORIES["youth.Youth"]["school"] == Category.EDUCATION
    assert FIELD_CATEGORIES["youth.Youth"]["legal_status"] == Category.LEGAL
    assert FIELD_CATEGORIES["youth.Youth"]["estimated_age"] == Category.IDENTITY


@pytest.fixture
def identity_only(coordinator: Persona, dfps_caseworker: Persona) -> Youth:
    """Rocio: DFPS holds a release for identity only."""
    youth = make_youth(
        coordinator.membership,
        preferred_name="Rocio",
        legal_name="Rocio Villanueva-Ortez",
        school=SCHOOL,
        legal_status="probation",
    )
    care_team_add(
        membership=coordinator.membership,
        youth_id=youth.pk,
        organization_id=dfps_caseworker.organization.pk,
        role="other",
    )
    guardian = household_member_add(
        membership=coordinator.membership,
        youth_id=youth.pk,
        name="Grandmother",
        is_guardian=True,
        is_non_offending_caregiver=True,
    )
    consent_record(
        membership=coordinator.membership,
        youth_id=youth.pk,
        organization_id=dfps_caseworker.organization.pk,
        categories=[Category.IDENTITY],
        purpose="locate family",
        given_by="parent_guardian",
        guardian_id=guardian.pk,
    )
    return youth


def last_row(persona: Persona, youth: Youth) -> AccessEvent:
    row = AccessEvent.objects.filter(youth_id=youth.pk, actor=persona.user).order_by("-seq").first()
    assert row is not None
    return row


@pytest.mark.django_db
def test_identity_partner_reads_no_education_or_legal_data(
    identity_only: Youth, dfps_caseworker: Persona, client_for: Callable[[Persona], Client]
) -> None:
    client = client_for(dfps_caseworker)
    page = client.get(f"/youth/{identity_only.pk}/edit")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="preferred_name"' in html
    assert 'name="school"' not in html and 'name="legal_status"' not in html and SCHOOL not in html
    assert last_row(dfps_caseworker, identity_only).category == "identity"

    detail = client.get(f"/youth/{identity_only.pk}/").content.decode()
    assert SCHOOL not in detail and "Juvenile probation" not in detail

    body = client.get(f"/api/v1/youth/{identity_only.pk}").json()
    assert body["preferred_name"] == "Rocio"
    assert "school" not in body and "legal_status" not in body
    assert body["shared_categories"] == ["identity"]
    assert last_row(dfps_caseworker, identity_only).category == "identity,record"


@pytest.mark.django_db
def test_identity_partner_cannot_write_education_or_legal_data(
    identity_only: Youth, dfps_caseworker: Persona, client_for: Callable[[Persona], Client]
) -> None:
    client = client_for(dfps_caseworker)
    url = f"/api/v1/youth/{identity_only.pk}"
    before_ledger = AccessEvent.objects.count()

    refused = client.patch(
        url,
        {"version": 1, "school": "Elsewhere High", "legal_status": "none"},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert sorted(error["loc"][-1] for error in refused.json()["errors"]) == ["legal_status", "school"]
    # A stale version must not echo their values back either.
    stale = client.patch(url, {"version": 0, "school": "Elsewhere High"}, content_type="application/json")
    assert stale.status_code == 422
    assert SCHOOL not in stale.content.decode()
    assert AccessEvent.objects.count() == before_ledger  # refused: nothing disclosed, nothing written

    # The form ignores what it does not hold.
    posted = client.post(
        f"/youth/{identity_only.pk}/edit",
        {"version": "1", "preferred_name": "Ro", "school": "Elsewhere High", "legal_status": "none"},
    )
    assert posted.status_code == 302
    youth = Youth.objects.get(pk=identity_only.pk)
    assert (youth.preferred_name, youth.school, youth.legal_status) == ("Ro", SCHOOL, "probation")
    assert last_row(dfps_caseworker, identity_only).category == "identity,record"

    conflict = client.patch(url, {"version": 1, "preferred_name": "R."}, content_type="application/json")
    assert conflict.status_code == 409
    assert conflict.json()["theirs"] == {"preferred_name": "Ro"}  # the API error contract's 409


@pytest.mark.django_db
def test_age_is_identity(
    identity_only: Youth,
    coordinator: Persona,
    probation_officer: Persona,
    client_for: Callable[[Persona], Client],
) -> None:
    guardian = household_member_add(
        membership=coordinator.membership, youth_id=identity_only.pk, name="Uncle", is_guardian=True
    )
    care_team_add(
        membership=coordinator.membership,
        youth_id=identity_only.pk,
        organization_id=probation_officer.organization.pk,
        role="other",
    )
    consent_record(
        membership=coordinator.membership,
        youth_id=identity_only.pk,
        organization_id=probation_officer.organization.pk,
        categories=[Category.CARE_PLAN],
        purpose="supervision",
        given_by="parent_guardian",
        guardian_id=guardian.pk,
    )
    client = client_for(probation_officer)
    assert identity_only.estimated_age is not None
    body = client.get(f"/api/v1/youth/{identity_only.pk}").json()
    assert "estimated_age" not in body
    listed = client.get("/api/v1/youth/").json()
    assert [row["estimated_age"] for row in listed] == [None]

"""The organization a person chose on a form (``accounts.selectors.chosen_organization``): an active one
only; a missing, inactive or malformed id is refused beside the field, never a 500."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.factories.accounts import OrganizationFactory
from threadline.accounts.selectors import chosen_organization

pytestmark = pytest.mark.django_db


def test_an_active_organization_is_found_by_its_id_in_any_form() -> None:
    agency = OrganizationFactory(name="Harbor Light Youth Services")
    assert chosen_organization(agency.pk) == agency
    assert chosen_organization(str(agency.pk)) == agency


@pytest.mark.parametrize("shape", ["inactive", "missing", "malformed", "none"])
def test_anything_else_is_refused_beside_the_field(shape: str) -> None:
    closed = OrganizationFactory(name="Closed Door Shelter", is_active=False)
    value = {"inactive": closed.pk, "missing": closed.pk + 1000, "malformed": "x1", "none": None}[shape]
    with pytest.raises(ValidationError) as refused:
        chosen_organization(value, field="partner")
    assert refused.value.message_dict == {"partner": ["Choose an organization."]}

"""``core.policy.require``: a service or page goes on only when the person's role, in this kind of
organization, may do the action (``may``); anyone else gets PermissionDenied, and nothing is returned."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories.accounts import MembershipFactory, OrganizationFactory
from threadline.core.actions import Action
from threadline.core.policy import may, require
from threadline.core.roles import Role

pytestmark = pytest.mark.django_db


def test_a_role_that_may_gets_its_membership_back() -> None:
    admin = MembershipFactory(role=Role.PROGRAM_ADMIN)
    assert may(admin, Action.MANAGE_USERS)
    assert require(admin, Action.MANAGE_USERS) is admin


def test_a_role_that_may_not_is_refused() -> None:
    staff = MembershipFactory(role=Role.PARTNER_STAFF)
    assert not may(staff, Action.MANAGE_USERS)
    with pytest.raises(PermissionDenied):
        require(staff, Action.MANAGE_USERS)


def test_no_membership_or_an_inactive_one_is_refused() -> None:
    with pytest.raises(PermissionDenied):
        require(None, Action.MANAGE_USERS)
    closed = MembershipFactory(
        role=Role.PROGRAM_ADMIN, organization=OrganizationFactory(name="Closed Agency", is_active=False)
    )
    with pytest.raises(PermissionDenied):
        require(closed, Action.MANAGE_USERS)

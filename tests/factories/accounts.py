"""Factories for organizations and people. Every name is fictional and generated."""

from __future__ import annotations

import factory

from tests.factories.base import ModelFactory
from threadline.accounts.models import Membership, Organization, User
from threadline.core.roles import OrganizationType, Role


class OrganizationFactory(ModelFactory[Organization]):
    class Meta:
        model = Organization
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Test Agency {n}")
    org_type = OrganizationType.NON_PROFIT
    is_care_coordinator = False


class UserFactory(ModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def save_password(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()


class MembershipFactory(ModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.PARTNER_STAFF

"""Organizations (partner agencies), people, memberships with roles, and API tokens."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from threadline.core.roles import OrganizationType, Role

ROLE_NOT_HELD_MESSAGE = _("An organization of this kind cannot hold this role.")


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    org_type = models.CharField(_("type"), max_length=40, choices=OrganizationType.choices)
    # The regional Care Coordinator agency: its care-team members see the whole record of youths
    # they serve. Partner agencies see only what consent allows.
    is_care_coordinator = models.BooleanField(_("is the Care Coordinator"), default=False)
    county = models.CharField(_("county"), max_length=80, blank=True)
    # The number other programs on this installation are given to reach this organization's
    # coordinators (issue 14: "this youth may be known to another program").
    contact_phone = models.CharField(_("phone for other programs"), max_length=40, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("language"), max_length=8, choices=[("en", "English"), ("es", "Español")], default="en"
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)  # Django admin only
    # Demo accounts may sign in without MFA, and only while settings.DEMO_MODE is on.
    is_demo = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "role"], name="membership_unique_role"),
        ]
        ordering = ["organization__name", "role"]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.organization_id}:{self.role}"

    def clean(self) -> None:
        # Which roles each kind of organization may hold is data in ``access.actions`` (issue 19 V8).
        from threadline.core.actions import kind_of, role_held_by

        if self.organization_id is not None and not role_held_by(kind_of(self.organization), self.role):
            raise ValidationError({"role": ROLE_NOT_HELD_MESSAGE})


def hash_token(raw: str) -> str:
    # Tokens are 256-bit random values: a fast hash is enough (no dictionary to attack), and lets the
    # lookup be a single indexed equality.
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal access token for integrations: hashed at rest, one organization, expiring, revocable."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now


class FactorResetRequest(models.Model):
    """A lost phone or key: removing a person's second factor takes two different program admins of
    their organization, each of whom has checked who is asking (in person or on a video call, against
    the staff badge). Never one person alone, and never a superuser in the Django admin."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="factor_reset_requests")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    identity_check = models.CharField(_("how identity was confirmed"), max_length=200)
    requested_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    approval_identity_check = models.CharField(max_length=200, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"factor reset {self.pk} for user {self.user_id}"

    @property
    def is_open(self) -> bool:
        return self.approved_at is None and self.cancelled_at is None

from __future__ import annotations

from typing import Any

# Imported first so that their own registrations exist and can be replaced below (the admin's
# autodiscovery later finds these modules already imported).
import allauth.mfa.admin
import allauth.usersessions.admin  # noqa: F401
import axes.admin
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.http import HttpRequest

from threadline.accounts.models import FactorResetRequest, Membership, Organization, User

admin.site.register(Organization)
admin.site.register(Membership)


@admin.register(User)
class UserAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["email", "full_name", "is_active", "is_demo"]
    exclude = ["password"]


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Evidence: nobody adds, edits or deletes it from the admin, superusers included."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


for model, base in (
    (AccessAttempt, axes.admin.AccessAttemptAdmin),
    (AccessLog, axes.admin.AccessLogAdmin),
    (AccessFailureLog, axes.admin.AccessFailureLogAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, type(f"ReadOnly{model.__name__}Admin", (ReadOnlyAdmin, base), {}))


if admin.site.is_registered(Authenticator):
    admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(ReadOnlyAdmin):
    """Which factors a person has, never their sealed secrets; removing one takes two program admins
    (FactorResetRequest), not a superuser here."""

    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = ["user", "type", "created_at", "last_used_at"]


if admin.site.is_registered(UserSession):
    admin.site.unregister(UserSession)


@admin.register(UserSession)
class UserSessionAdmin(ReadOnlyAdmin):
    list_display = ["user", "created_at", "last_seen_at", "ip"]
    fields = ["user", "created_at", "last_seen_at", "ip", "user_agent"]
    readonly_fields = ["user", "created_at", "last_seen_at", "ip", "user_agent"]


@admin.register(FactorResetRequest)
class FactorResetRequestAdmin(ReadOnlyAdmin):
    list_display = [
        "user",
        "organization",
        "requested_by",
        "requested_at",
        "approved_by",
        "approved_at",
        "cancelled_at",
    ]

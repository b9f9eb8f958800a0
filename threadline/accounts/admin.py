from __future__ import annotations

from django.contrib import admin

from threadline.accounts.models import Membership, Organization, User

admin.site.register(Organization)
admin.site.register(Membership)


@admin.register(User)
class UserAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["email", "full_name", "is_active", "is_demo"]
    exclude = ["password"]

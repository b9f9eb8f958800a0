from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from threadline.nav import items_for


def shell(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    membership = getattr(request, "membership", None)
    signed_in = bool(user is not None and user.is_authenticated)
    return {
        "nav_items": items_for(membership) if signed_in else [],
        "active_membership": membership,
        "demo_mode": settings.DEMO_MODE,
    }

"""Navigation by role. Apps add items in their own ``nav.py`` (``ITEMS``); each shows only to roles
whose action it needs."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.discovery import app_modules


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    action: Action | None  # None: everyone signed in
    order: int = 50


CORE_ITEMS = [
    NavItem(_("Home"), "home", None, 0),
    NavItem(_("Staff"), "accounts:people", Action.MANAGE_USERS, 90),
    NavItem(_("API tokens"), "accounts:tokens", Action.USE_API_TOKENS, 95),
    NavItem(_("Access ledger"), "audit:ledger", Action.VIEW_AUDIT, 96),
]


def all_items() -> list[NavItem]:
    items = list(CORE_ITEMS)
    for _label, module in app_modules("nav"):
        items.extend(getattr(module, "ITEMS", []))
    return sorted(items, key=lambda item: item.order)


def items_for(membership: object) -> list[dict[str, object]]:
    visible: list[dict[str, object]] = []
    for item in all_items():
        if item.action is not None and not may(membership, item.action):  # type: ignore[arg-type]
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        visible.append({"label": item.label, "url": url, "name": item.url_name})
    return visible

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from threadline.core.actions import Action
from threadline.nav import NavItem

ITEMS = [
    NavItem(_("Provider directory"), "directory:staff", Action.SEARCH_DIRECTORY, 40),
    NavItem(_("Directory vetting"), "directory:admin_queue", Action.MANAGE_DIRECTORY, 41),
    NavItem(_("Directory statistics"), "directory:statistics", Action.MANAGE_DIRECTORY, 42),
]

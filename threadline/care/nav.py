from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from threadline.core.actions import Action
from threadline.nav import NavItem

ITEMS = [
    NavItem(_("Today"), "care:today", Action.WORK_WITH_YOUTH, 4),
    NavItem(_("My work"), "care:my_work", Action.WORK_WITH_YOUTH, 5),
    NavItem(_("Screening instruments"), "care:instruments", Action.MANAGE_PROGRAM, 70),
]

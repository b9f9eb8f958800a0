from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from threadline.core.actions import Action
from threadline.nav import NavItem

ITEMS = [
    NavItem(_("Youth"), "youth:list", Action.WORK_WITH_YOUTH, 10),
    NavItem(_("Emergency access"), "youth:break_glass", Action.BREAK_GLASS, 80),
]

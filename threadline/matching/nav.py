from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from threadline.core.actions import Action
from threadline.nav import NavItem

ITEMS = [NavItem(_("Possible duplicates"), "matching:review", Action.MERGE_YOUTH, 38)]

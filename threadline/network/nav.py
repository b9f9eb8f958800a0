from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from threadline.core.actions import Action
from threadline.nav import NavItem

ITEMS = [
    NavItem(_("Partners and agreements"), "network:partners", Action.SEE_NETWORK, 64),
    NavItem(_("Program meetings"), "network:meetings", Action.SEE_NETWORK, 65),
    NavItem(_("Trainings"), "network:trainings", Action.SEE_TRAININGS, 66),
    NavItem(_("Action plans"), "network:plans", Action.WORK_NETWORK_TASKS, 67),
    NavItem(_("Network tasks"), "network:tasks", Action.WORK_NETWORK_TASKS, 68),
]

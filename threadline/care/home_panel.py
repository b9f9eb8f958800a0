"""The home page of the coordinator and the on-call advocate is their "Today" (issue 13): what needs
them now, instead of a grid of links (the links stay in the menu). Found by the shell's home view."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from threadline.care.today_selectors import today_of
from threadline.core.actions import Action
from threadline.core.policy import may


def panel(request: HttpRequest) -> SafeString | None:
    membership = getattr(request, "membership", None)
    if membership is None or not may(membership, Action.TAKE_REFERRALS):
        return None
    return render_to_string("care/_today_sections.html", {"page": today_of(membership=membership)}, request)

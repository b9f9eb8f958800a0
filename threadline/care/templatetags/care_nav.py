"""The youth's care pages menu: only the links the person may open (issue 16, item 4). The same
policy that guards each page answers, so a link never leads to a 404."""

from __future__ import annotations

from typing import Any

from django import template

from threadline.access.categories import Category
from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.youth.policy import categories_open_to

register = template.Library()

# Which category each care page of a youth opens (the page's own ``access_youth``).
PAGE_CATEGORIES = (Category.CARE_PLAN, Category.SCREENINGS, Category.CASE_NOTES)


@register.simple_tag(takes_context=True)
def care_pages(context: template.Context, youth_id: Any) -> frozenset[str]:
    request = context.get("request")
    membership = getattr(request, "membership", None)
    if not may(membership, Action.WORK_WITH_YOUTH):
        return frozenset()
    return categories_open_to(membership, youth_id, PAGE_CATEGORIES)

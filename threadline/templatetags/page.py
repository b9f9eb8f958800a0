"""The page head: the words of a page's ``{% block title %}`` once more as its ``<h1>``, so a page
names itself once (threadline/page.html); or, the other way round, a block's words once more in the
title (intake/youth_page.html)."""

from __future__ import annotations

from django import template
from django.template.loader_tags import BLOCK_CONTEXT_KEY
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag(takes_context=True)
def page_block(context: template.Context, name: str) -> SafeString:
    """The block ``name`` as the page that extends this one wrote it (already rendered and escaped)."""
    blocks = context.render_context.get(BLOCK_CONTEXT_KEY)
    block = blocks.get_block(name) if blocks is not None else None
    # A rendered node list is safe text: what it printed was escaped as it rendered.
    return block.nodelist.render(context) if block is not None else SafeString()


@register.simple_tag(takes_context=True)
def page_title(context: template.Context) -> SafeString:
    """The title block as the page that extends this one wrote it."""
    return page_block(context, "title")

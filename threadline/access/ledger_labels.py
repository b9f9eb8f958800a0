"""The categories' words, lent to the access ledger (``audit.labels``), which sits below this room."""

from __future__ import annotations

from threadline.access.categories import Category

CATEGORY_LABELS = dict(Category.choices)

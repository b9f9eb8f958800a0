"""Read-then-write: the row a service is about to change, locked until its transaction ends."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model

M = TypeVar("M", bound=Model)


def locked(model: type[M], missing: type[Exception], /, **lookup: Any) -> M:
    """The row of ``model`` that matches ``lookup``, locked (``select_for_update``) until the caller's
    transaction ends. None matches: ``missing`` is raised (the views and the API answer 404), so a row
    of another organization answers like one that does not exist."""
    row = model._default_manager.select_for_update().filter(**lookup).first()
    if row is None:
        raise missing
    return row

"""The form-handling flow every page repeats: validate, call the one service, put what went wrong back
on the form (the person loses nothing they typed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError

from threadline.core.errors import EditConflict


def form_errors(form: Any, exc: ValidationError) -> None:
    """A service's ValidationError, shown beside the fields it names (or above the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        form.add_error(None, exc)


def submit(form: Any, save: Callable[[dict[str, Any]], object], *, conflict: Any = None) -> bool:
    """Validate the form and call ``save`` with its cleaned data. True when saved; otherwise the
    errors (and, for an edit conflict, ``conflict``) are on the form."""
    if not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except EditConflict:
        if conflict is None:
            raise
        form.add_error(None, conflict)
        return False
    except ValidationError as exc:
        form_errors(form, exc)
        return False
    return True

"""The form-handling flow every page repeats: validate, call the one service, put what went wrong back
on the form (the person loses nothing they typed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404

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


def saved(request: Any, form: Any, save: Callable[[dict[str, Any]], object], done: str, **kw: Any) -> bool:
    """:func:`submit`, and once saved the ``done`` message for the next page the person sees."""
    if not submit(form, save, **kw):
        return False
    messages.success(request, done)
    return True


def refused_with_version(form: Any, exc: EditConflict, message: Any) -> None:
    """Someone else saved first: the form keeps what was typed, now carrying their version (so saving
    again is a deliberate choice), with ``message`` above it."""
    fresh = form.data.copy()
    fresh["version"] = str(exc.current_version)
    form.data = fresh
    form.add_error(None, message)


def act(
    request: Any,
    do: Callable[[], object],
    done: str,
    *,
    missing: type[Exception] | tuple[type[Exception], ...] = (),
) -> bool:
    """A button's one service, for pages that answer with a redirect: ``missing`` (the row is not
    there, or not this person's to touch) answers 404; a refusal becomes error messages; once done,
    the ``done`` message. True when done."""
    try:
        do()
    except missing as exc:
        raise Http404 from exc
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    messages.success(request, done)
    return True

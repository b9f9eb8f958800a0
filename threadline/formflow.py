"""The form-handling flow every page repeats: validate, call the one service, put what went wrong back
on the form (the person loses nothing they typed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404

from threadline.core.errors import EditConflict

T = TypeVar("T")


def form_errors(form: Any, exc: ValidationError) -> None:
    """A service's ValidationError, shown beside the fields it names (or above the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        form.add_error(None, exc)


_UNSAVED: Any = object()


def _save(form: Any, save: Callable[[dict[str, Any]], T], conflict: Any) -> T:
    """What ``save`` returned, or ``_UNSAVED`` with the reason on the form."""
    if not form.is_valid():
        return _UNSAVED
    try:
        return save(form.cleaned_data)
    except EditConflict:
        if conflict is None:
            raise
        form.add_error(None, conflict)
    except ValidationError as exc:
        form_errors(form, exc)
    return _UNSAVED


def submit(form: Any, save: Callable[[dict[str, Any]], object], *, conflict: Any = None) -> bool:
    """Validate the form and call ``save`` with its cleaned data. True when saved; otherwise the
    errors (and, for an edit conflict, ``conflict``) are on the form."""
    return _save(form, save, conflict) is not _UNSAVED


def submitted(
    request: Any, form: Any, save: Callable[[dict[str, Any]], T], *, conflict: Any = None
) -> T | None:
    """A page's form, as :func:`submit`: on a POST, what its one service ``save`` returned (the row
    it made); None for a GET, or when the form now shows what went wrong."""
    if request.method != "POST":
        return None
    result = _save(form, save, conflict)
    return None if result is _UNSAVED else result


def sent_form(request: Any) -> str:
    """Which of a page's several forms a POST sent (its hidden ``form`` field); "" for anything else."""
    return str(request.POST.get("form", "")) if request.method == "POST" else ""


def sent(request: Any, which: str) -> Any:
    """The POST data when ``which`` is the form it sent, else None: the page's other forms stay unbound
    (and show no errors)."""
    return request.POST if which and sent_form(request) == which else None


def as_arguments(data: dict[str, Any], **names: str) -> dict[str, Any]:
    """A form's cleaned data as its one service's keyword arguments: each field under its own name, or
    under the argument name given for it (``as_arguments(d, attended="attended_ids")``)."""
    return {names.get(field, field): value for field, value in data.items()}


def saved(request: Any, form: Any, save: Callable[[dict[str, Any]], object], done: str, **kw: Any) -> bool:
    """:func:`submit`, and once saved the ``done`` message for the next page the person sees."""
    if not submit(form, save, **kw):
        return False
    messages.success(request, done)
    return True


def flash_errors(request: Any, form: Any) -> None:
    """A form whose page answers with a redirect: each of its errors becomes a message for the next
    page, after the label of the field it is about (an error about the whole form stands alone)."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))


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

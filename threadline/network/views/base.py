"""What the network pages share: who may manage, a missing row as 404, a sent form saved, the edit-conflict
message."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy

from threadline.core.actions import Action
from threadline.core.policy import may, require
from threadline.formflow import submit
from threadline.http import AuthedRequest

T = TypeVar("T")

CONFLICT = gettext_lazy(
    "Someone else saved a change first. Nothing you typed was saved over theirs; check and try again."
)


def can_manage(request: AuthedRequest) -> bool:
    return bool(may(request.membership, Action.MANAGE_PARTNERSHIPS))


def missing_is_404(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A row a service could not find (another program's, a forged id) answers 404, never 500."""

    @functools.wraps(view)
    def wrapped(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except ObjectDoesNotExist:
            raise Http404 from None

    return wrapped


def found(row: T | None) -> T:
    """What a selector found, or 404 (the program's rows only: another's answers like a missing one)."""
    if row is None:
        raise Http404
    return row


def manage(
    request: AuthedRequest,
    form: Any,
    save: Callable[[dict[str, Any]], object],
    *,
    done: str,
    to: tuple[Any, ...],
    conflict: Any = None,
) -> HttpResponse | None:
    """A sent form: only a partnership manager may send it; once saved, ``done`` and back to ``to``
    (a URL name and its arguments). None while the form is unsent or shows its errors."""
    if not form.is_bound:
        return None
    require(request.membership, Action.MANAGE_PARTNERSHIPS)
    if not submit(form, save, conflict=conflict):
        return None
    messages.success(request, done)
    return redirect(*to)


def page(request: AuthedRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """A network page, told whether the person may manage partnerships (to show the forms)."""
    return render(request, template, {"can_manage": can_manage(request), **context})

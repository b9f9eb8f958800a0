"""What the network pages share: the role check, which form was sent, the edit-conflict message."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy

from threadline.accounts.models import Membership
from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.http import AuthedRequest

CONFLICT = gettext_lazy(
    "Someone else saved a change first. Nothing you typed was saved over theirs; check and try again."
)


def require(request: AuthedRequest, action: Action) -> Membership:
    if request.membership is None or not may(request.membership, action):
        raise PermissionDenied
    return request.membership


def sent(request: AuthedRequest, which: str) -> Any:
    """The POST data when this form was the one sent, else None (the form stays unbound)."""
    if request.method == "POST" and request.POST.get("form") == which:
        return request.POST
    return None


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

"""What the care pages share: the role check, form errors, task owners."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Concatenate, ParamSpec, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from threadline.care import selectors
from threadline.core.actions import Action
from threadline.core.policy import may, require
from threadline.http import AuthedRequest
from threadline.youth.policy import YouthNotFound

if TYPE_CHECKING:
    from threadline.accounts.models import Membership

P = ParamSpec("P")

CONFLICT = gettext_lazy(
    "Someone else saved a change first. Nothing you typed was saved over theirs; check and try again."
)


def _require(request: AuthedRequest) -> None:
    require(request.membership, Action.WORK_WITH_YOUTH)


def _require_youth_work(request: AuthedRequest) -> None:
    """Under a youth id, a role that never works with youth gets the 404 of a missing youth."""
    if not may(request.membership, Action.WORK_WITH_YOUTH):
        raise YouthNotFound


class YouthWorkRequest(AuthedRequest):
    """A signed-in request whose membership works with youth (``youth_work`` checked it)."""

    membership: Membership


def youth_work(
    view: Callable[Concatenate[YouthWorkRequest, P], HttpResponse],
) -> Callable[Concatenate[AuthedRequest, P], HttpResponse]:
    """A care page under a youth id: signed in, and a role that works with youth (any other role
    gets the 404 of a missing youth)."""

    @functools.wraps(view)
    def checked(request: AuthedRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        _require_youth_work(request)
        return view(cast(YouthWorkRequest, request), *args, **kwargs)

    return login_required(checked)


def _owner_choices(team: selectors.TeamChoices) -> list[tuple[str, str]]:
    choices = [(f"org:{pk}", name) for pk, name in team.organizations]
    names = dict(team.organizations)
    choices += [(f"person:{pk}:{org}", f"{name} ({names.get(org, '')})") for pk, name, org in team.people]
    return choices


def _owner_ids(value: str) -> tuple[int | None, int | None]:
    kind, _sep, rest = value.partition(":")
    try:
        if kind == "org":
            return None, int(rest)
        if kind == "person":
            person, _sep, org = rest.partition(":")
            return int(person), int(org)
    except ValueError:
        pass
    raise ValidationError({"owner": _("Choose who owns this task.")})

"""What the care pages share: the role check, form errors, task owners."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from threadline.care import selectors
from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.http import AuthedRequest
from threadline.youth.policy import YouthNotFound

CONFLICT = gettext_lazy(
    "Someone else saved a change first. Nothing you typed was saved over theirs; check and try again."
)


def _require(request: AuthedRequest) -> None:
    if not may(request.membership, Action.WORK_WITH_YOUTH):
        raise PermissionDenied


def _require_youth_work(request: AuthedRequest) -> None:
    """Under a youth id, a role that never works with youth gets the 404 of a missing youth."""
    if not may(request.membership, Action.WORK_WITH_YOUTH):
        raise YouthNotFound


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

"""Stage of change (the transtheoretical model), in plain words.

Change is not a straight line: moving back to an earlier stage is expected and is recorded as
"returned to an earlier stage", never as failure, non-compliance or a mark against the youth.
Outcome reports count forward movement over time (seed 004: "positive progression through stage of
change"); a return is a normal part of that path, not a negative outcome.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    PRECONTEMPLATION = "precontemplation", _("Not thinking about change yet")
    CONTEMPLATION = "contemplation", _("Thinking about change")
    PREPARATION = "preparation", _("Getting ready to change")
    ACTION = "action", _("Making changes")
    MAINTENANCE = "maintenance", _("Keeping changes going")


# The textbook names, for staff who use them; the labels above are what a youth may read.
TECHNICAL_NAMES = {
    Stage.PRECONTEMPLATION: _("Precontemplation"),
    Stage.CONTEMPLATION: _("Contemplation"),
    Stage.PREPARATION: _("Preparation"),
    Stage.ACTION: _("Action"),
    Stage.MAINTENANCE: _("Maintenance"),
}

ORDER = {stage: index for index, stage in enumerate(Stage)}


class Movement(models.TextChoices):
    FIRST = "first", _("First assessment")
    FORWARD = "forward", _("Moved forward")
    SAME = "same", _("Same stage")
    # Relapse, in the model's words; recorded without blame.
    RETURNED = "returned", _("Returned to an earlier stage (a normal part of change)")


def movement(previous: str | None, current: str) -> Movement:
    """How the stage changed since the previous assessment."""
    now = ORDER[Stage(current)]
    if previous is None:
        return Movement.FIRST
    before = ORDER[Stage(previous)]
    if now > before:
        return Movement.FORWARD
    if now < before:
        return Movement.RETURNED
    return Movement.SAME


def progression(stages: list[str]) -> int:
    """Net forward steps from the first assessment to the latest (negative if earlier now)."""
    if len(stages) < 2:
        return 0
    return ORDER[Stage(stages[-1])] - ORDER[Stage(stages[0])]

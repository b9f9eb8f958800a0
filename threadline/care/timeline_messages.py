"""The care room's timeline messages (``youth.said``), translated when the timeline is shown. A change
of the care plan is said by its ``PlanChange`` label (a ``Choice``), so it needs no message here."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from threadline.youth.said import Message

MEETING_SCHEDULED = Message(gettext_noop("Meeting scheduled: %(meeting_type)s"))
MEETING_HELD = Message(gettext_noop("Meeting held: %(meeting_type)s"))
STAGE_OF_CHANGE = Message(gettext_noop("Stage of change: %(stage)s"))
OUTCOME_CHECK_IN = Message(gettext_noop("Outcome check-in"))
CASE_CLOSED = Message(gettext_noop("Case closed: %(reason)s"))
CASE_REOPENED = Message(gettext_noop("Case re-opened"))
SCREENING_RECORDED = Message(gettext_noop("Screening recorded (%(instrument)s %(version)s)"))
CASE_NOTE = Message(gettext_noop("Case note"))
SAFETY_PLAN_UPDATED = Message(gettext_noop("Safety plan updated"))

"""The youth room's timeline messages (``said``): translated when the timeline is shown. The team's
comings and goings are said here once, for the sharing services and the intake room's moves."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from threadline.youth.said import Message

RECORD_OPENED = Message(gettext_noop("Record opened"))
RECORD_UPDATED = Message(gettext_noop("Record details updated"))
HOUSEHOLD_FLAGGED = Message(
    gettext_noop("A household member was flagged: no consent or information through them")
)
PLACEMENT_NEW = Message(gettext_noop("New placement: %(placement_type)s"))
MISSING_STARTED = Message(gettext_noop("Reported missing"))
MISSING_ENDED = Message(gettext_noop("Returned"))
MEETING_PREFERENCE = Message(gettext_noop("How the youth prefers to be met was updated"))
TEAM_JOINED = Message(gettext_noop("%(organization)s joined the care team"))
TEAM_LEFT = Message(gettext_noop("%(organization)s left the care team"))
CONSENT_RECORDED = Message(gettext_noop("Release of information to %(organization)s: %(state)s"))
CONSENT_REVOKED = Message(gettext_noop("Release to %(organization)s revoked"))

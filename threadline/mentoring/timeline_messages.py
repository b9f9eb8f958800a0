"""The mentoring room's timeline messages (``youth.said``), translated when the timeline is shown."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from threadline.youth.said import Message

MENTOR_ASSIGNED = Message(gettext_noop("A mentor was assigned"))
MENTORSHIP_ENDED = Message(gettext_noop("A mentorship ended"))
MENTOR_CONTACT = Message(gettext_noop("Mentoring contact"))

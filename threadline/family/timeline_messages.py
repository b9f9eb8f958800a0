"""The family room's timeline messages (``youth.said``), translated when the timeline is shown."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from threadline.youth.said import Message

FAMILY_SERVICES = Message(gettext_noop("A family member began family services"))

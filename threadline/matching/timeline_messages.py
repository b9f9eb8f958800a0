"""The matching room's timeline messages (``youth.said``), translated when the timeline is shown."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from threadline.youth.said import Message

# ``other`` is the other record's code, said again on each record so it reads on its own.
RECORDS_MERGED = Message(gettext_noop("Records %(merged)s and %(survivor)s joined as one youth (%(other)s)"))
RECORDS_UNMERGED = Message(gettext_noop("Records %(merged)s and %(survivor)s separated again"))

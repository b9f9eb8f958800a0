"""Ledger rows off the host (ASVS 16.4.3): every row, once, to the ``threadline.ledger`` logger.

Settings route that logger, as JSON lines, to ``LEDGER_FORWARD_FILE`` (a file a collector such as Vector
or Fluent Bit ships) and to ``SYSLOG_ADDRESS`` when set, beside the security log. The anchors
(``audit.anchors``) prove the chain's head; forwarding puts a copy of each row where someone who can write
the database cannot rewrite it, so rows cut from the end or a rewound head are visible off the host too.

What leaves: sequence, time, the acting user's and organization's ids, the action, the object's type and
id, the youth's opaque id, categories, purpose, request id, client address and both HMACs. Never a name,
a field's value or a place: the ledger holds none.
"""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.db import transaction

from threadline.audit.models import AccessEvent, LedgerForwardCursor

logger = logging.getLogger("threadline.ledger")

BATCH = 1000


def row_payload(event: AccessEvent) -> dict[str, object]:
    return {
        "event": "ledger_row",
        "seq": event.seq,
        "at": event.at.isoformat(),
        "actor_id": event.actor_id,
        "organization_id": event.organization_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "youth_id": str(event.youth_id) if event.youth_id else None,
        "category": event.category,
        "purpose": event.purpose,
        "request_id": event.request_id,
        "ip": event.ip,
        "prev_hmac": event.prev_hmac,
        "hmac": event.hmac,
    }


def forwarding_configured() -> bool:
    return bool(getattr(settings, "LEDGER_FORWARD_FILE", "") or getattr(settings, "SYSLOG_ADDRESS", ""))


def forward_new_rows(*, batch: int = BATCH) -> int:
    """Log every ledger row past the cursor, oldest first, then move the cursor. Returns how many.

    Does nothing until a destination is configured, so the rows written before are forwarded then, not
    skipped. Idempotent and safe to run from two workers: the cursor row is locked for the whole batch."""
    if not forwarding_configured():
        return 0
    forwarded = 0
    while True:
        with transaction.atomic():
            cursor, _ = LedgerForwardCursor.objects.select_for_update().get_or_create(id=1)
            rows = list(AccessEvent.objects.filter(seq__gt=cursor.seq).order_by("seq")[:batch])
            if not rows:
                return forwarded
            for event in rows:
                logger.info(json.dumps(row_payload(event), sort_keys=True, default=str))
            cursor.seq = rows[-1].seq
            cursor.save(update_fields=["seq"])
            forwarded += len(rows)

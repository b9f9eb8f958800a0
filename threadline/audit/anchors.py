"""Anchors of the ledger outside the database (issue 9, item 7).

Within one database, someone who can delete the newest ledger rows can also rewind ``LedgerHead``: the
chain still verifies, and the cut is invisible. So, periodically (a huey job) and on demand
(``manage.py audit_anchor``), the head's sequence number and HMAC are appended to a file the database
user cannot rewrite: opened with ``O_APPEND`` only, ideally on another host or a write-once mount
(``AUDIT_ANCHOR_PATH``), and optionally e-mailed to auditors (``AUDIT_ANCHOR_EMAILS``). ``audit_verify``
then checks every anchor: the row it names must still exist with the same HMAC. A rewound ledger fails,
naming the rows that are gone.

Each line is JSON: ``{"seq", "hmac", "at", "key_id", "mac"}``; ``mac`` is an HMAC of the rest under the
ledger key, so a forged line is refused too. No youth data is ever in an anchor.
"""

from __future__ import annotations

import hashlib
import hmac as hmac_mod
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from threadline.audit.models import LedgerHead

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Anchor:
    seq: int
    hmac: str
    at: str
    key_id: str


def anchor_path() -> Path:
    configured = getattr(settings, "AUDIT_ANCHOR_PATH", "")
    if configured:
        return Path(configured)
    return Path(getattr(settings, "VAR_DIR", Path("var"))) / "ledger-anchors.jsonl"


def _mac(fields: dict[str, object], key: bytes) -> str:
    body = json.dumps({k: fields[k] for k in ("seq", "hmac", "at", "key_id")}, sort_keys=True)
    return hmac_mod.new(key, b"anchor:" + body.encode(), hashlib.sha256).hexdigest()


def _mac_ok(fields: dict[str, object]) -> bool:
    from threadline.audit.ledger import ledger_keys

    mac = str(fields["mac"])
    return any(hmac_mod.compare_digest(mac, _mac(fields, key)) for _id, key in ledger_keys())


def anchor_write() -> Anchor:
    """Append the current head to the anchor file (and e-mail it, if configured)."""
    from threadline.audit.ledger import current_key

    with transaction.atomic():
        head, _ = LedgerHead.objects.get_or_create(id=1)
        seq, head_hmac = head.seq, head.hmac
    key_id, key = current_key()
    fields: dict[str, object] = {
        "seq": seq,
        "hmac": head_hmac,
        "at": timezone.now().isoformat(timespec="seconds"),
        "key_id": key_id,
    }
    fields["mac"] = _mac(fields, key)
    line = (json.dumps(fields, sort_keys=True) + "\n").encode()
    path = anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_APPEND: every write lands at the end, whatever else has the file open; never truncated.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)
    recipients = list(getattr(settings, "AUDIT_ANCHOR_EMAILS", []) or [])
    if recipients:
        send_mail(
            subject=f"Threadline ledger anchor #{seq}",
            message=(
                "Keep this message: it lets an audit prove that no access-ledger row was removed.\n\n"
                + line.decode()
            ),
            from_email=None,
            recipient_list=recipients,
            fail_silently=True,
        )
    return Anchor(seq=seq, hmac=head_hmac, at=str(fields["at"]), key_id=key_id)


@dataclass(frozen=True)
class AnchorFile:
    anchors: list[Anchor]
    bad_lines: list[int]  # line numbers that are not a valid, signed anchor


def anchors_read(path: Path | None = None) -> AnchorFile:
    path = path or anchor_path()
    anchors: list[Anchor] = []
    bad: list[int] = []
    if not path.exists():
        return AnchorFile(anchors, bad)
    with path.open(encoding="utf-8") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                fields = json.loads(text)
                ok = _mac_ok(fields)
                anchor = Anchor(
                    seq=int(fields["seq"]),
                    hmac=str(fields["hmac"]),
                    at=str(fields["at"]),
                    key_id=str(fields["key_id"]),
                )
            except (ValueError, KeyError, TypeError, LookupError):
                ok = False
            if ok:
                anchors.append(anchor)
            else:
                bad.append(number)
    return AnchorFile(anchors, bad)

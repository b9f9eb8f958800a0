"""The access ledger: append-only, each row chained to the one before by an HMAC.

It is a legal record (who received what, when, why), not only a security log. Rows are never
updated or deleted; on PostgreSQL the database itself refuses (see migration 0002).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AccessEvent(models.Model):
    # Our own gapless sequence (not the autoincrement id, which may skip on rollback), so a deleted
    # row shows as a gap and a reordered one as a break in the chain.
    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64, blank=True)
    # The youth a row is about, if any: the "who has seen this record" panel reads by this.
    youth_id = models.UUIDField(null=True, blank=True)
    # One or more data categories (comma-separated) disclosed by this one read.
    category = models.CharField(max_length=200, blank=True)
    purpose = models.CharField(max_length=200, blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    prev_hmac = models.CharField(max_length=64)
    hmac = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["youth_id", "seq"], name="ledger_youth_seq")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class LedgerHead(models.Model):
    """One row: the last sequence number and HMAC. Writers lock it, which serializes the chain and
    lets ``audit_verify`` notice rows cut off the end."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hmac = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"head #{self.seq}"


class LedgerCheck(models.Model):
    """Each run of the verifier (nightly and on demand)."""

    at = models.DateTimeField(default=timezone.now)
    ok = models.BooleanField()
    rows_checked = models.BigIntegerField(default=0)
    first_bad_seq = models.BigIntegerField(null=True, blank=True)
    problem = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"check {self.at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'FAILED'}"


class LedgerForwardCursor(models.Model):
    """One row: the last ledger row handed to the forwarding log (``audit.forwarding``). Moved only after
    the rows were written, so a crash forwards a row twice (its ``seq`` tells) rather than never."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"forwarded to #{self.seq}"

"""The thread does not break (issue 14): a youth who moves to another region of the same program
(``Relocation``), and a youth handed to another program on the same installation (``Transfer``).
Registered through ``intake/models.py``.

Neither row holds anything identifying: ids, programs, regions, the consented categories, dates and
who acted. The county the youth moved to is on the youth's record (identity), not here.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from threadline.core.rows import LabelledById
from threadline.intake.model_fields import staff_ref


class Relocation(LabelledById):
    """A youth moved to another region of the same program: the record followed (counties updated,
    the new region's on-call and coordinator joined the team). The latest row is the youth's region."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    youth = models.ForeignKey("youth.Youth", on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey("intake.Program", on_delete=models.PROTECT, related_name="+")
    from_region = models.ForeignKey(
        "intake.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_region = models.ForeignKey("intake.Region", on_delete=models.PROTECT, related_name="+")
    advocate_stayed = models.BooleanField(default=False)
    moved_at = models.DateTimeField(default=timezone.now)
    moved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-moved_at"]
        indexes = [models.Index(fields=["youth", "-moved_at"], name="intake_relocation_youth")]


class Transfer(models.Model):
    """A youth handed to another program on the same installation. Until the receiving program's
    coordinator accepts, nothing changes: the sending advocate stays responsible (the youth is never
    between owners). On acceptance the receiving program gets a record of its own carrying exactly the
    categories the youth consented to share (``consent``, purpose "transfer"); the sending team keeps
    its own record (its history) and sees nothing the receiving program writes after that."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the receiving program")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    youth = models.ForeignKey("youth.Youth", on_delete=models.CASCADE, related_name="+")
    from_program = models.ForeignKey("intake.Program", on_delete=models.PROTECT, related_name="+")
    to_program = models.ForeignKey("intake.Program", on_delete=models.PROTECT, related_name="+")
    consent = models.ForeignKey("access.Consent", on_delete=models.PROTECT, related_name="+")
    categories = models.JSONField(default=list)  # the consented categories, as carried
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    requested_at = models.DateTimeField(default=timezone.now)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = staff_ref()
    decline_reason = models.CharField(max_length=300, blank=True)
    # The receiving program's record, made on acceptance.
    received_youth = models.ForeignKey(
        "youth.Youth", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["to_program", "state"], name="intake_transfer_to_state")]
        constraints = [
            models.UniqueConstraint(
                fields=["youth"],
                condition=models.Q(state="pending"),
                name="intake_transfer_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"transfer {self.pk} ({self.state})"

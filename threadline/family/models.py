"""Family services (issue 14): a non-offending caregiver or sibling of a youth becomes a family client
of the Family Coordinator, with their own needs, plan tasks, notes, meetings and referrals.

A family client's data is not youth data: it is encrypted with the family client's own data key and
read through ``family/policy.py`` (``may`` + a ledger row; missing and forbidden answer the same 404).
It keeps the link to the youth's record (the youth and the household row it came from) so that an
alleged exploiter can never be one: the flag on the household row is checked at every use. The same
care vocabulary is reused (need domains, task states, kinds of contact) rather than a second one.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from threadline.care.choices import ContactType, NeedDomain, TaskState
from threadline.core.rows import LabelledById
from threadline.crypto.fields import EncryptedTextField
from threadline.crypto.rows import OwnKeyRow
from threadline.youth.models import RecordStatus


class FamilyClient(LabelledById, OwnKeyRow):
    youth = models.ForeignKey("youth.Youth", on_delete=models.CASCADE, related_name="+")
    household_member = models.OneToOneField(
        "youth.HouseholdMember", on_delete=models.CASCADE, related_name="family_client"
    )
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    coordinator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = EncryptedTextField()
    relationship = EncryptedTextField()
    status = models.CharField(max_length=10, choices=RecordStatus.choices, default=RecordStatus.OPEN)
    opened_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["organization", "coordinator"], name="family_client_org_coord")]


class FamilyChild(LabelledById):
    """Rows that belong to one family client and are encrypted with its key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(FamilyClient, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def encryption_key(self) -> bytes:
        return self.client.encryption_key()


class FamilyNeed(FamilyChild):
    str_label = "need"

    client = models.ForeignKey(FamilyClient, on_delete=models.CASCADE, related_name="needs")
    domain = models.CharField(_("domain"), max_length=30, choices=NeedDomain.choices)
    description = EncryptedTextField()
    met_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["domain", "created_at"]


class FamilyTask(FamilyChild):
    """A step of the family client's plan, owned by a person of the Family Coordinator's organization."""

    client = models.ForeignKey(FamilyClient, on_delete=models.CASCADE, related_name="tasks")
    title = EncryptedTextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("due date"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=TaskState.choices, default=TaskState.OPEN)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "created_at"]


class FamilyNote(FamilyChild):
    client = models.ForeignKey(FamilyClient, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    contact_type = models.CharField(_("contact"), max_length=20, choices=ContactType.choices)
    contact_at = models.DateTimeField(_("when"), default=timezone.now)
    narrative = EncryptedTextField()

    class Meta:
        ordering = ["-contact_at"]


class FamilyMeeting(FamilyChild):
    client = models.ForeignKey(FamilyClient, on_delete=models.CASCADE, related_name="meetings")
    scheduled_at = models.DateTimeField(_("when"))
    purpose = EncryptedTextField()
    held_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-scheduled_at"]


class FamilyReferralState(models.TextChoices):
    SENT = "sent", _("Sent")
    CONNECTED = "connected", _("Connected")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined")


class FamilyReferral(FamilyChild):
    """A referral of the family client to a service (support group, counseling, housing...)."""

    client = models.ForeignKey(FamilyClient, on_delete=models.CASCADE, related_name="referrals")
    domain = models.CharField(_("domain"), max_length=30, choices=NeedDomain.choices)
    provider_name = EncryptedTextField()
    state = models.CharField(
        max_length=12, choices=FamilyReferralState.choices, default=FamilyReferralState.SENT
    )
    sent_on = models.DateField(default=timezone.localdate)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-sent_on", "-created_at"]

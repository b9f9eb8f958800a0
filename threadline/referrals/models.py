"""Closed-loop service referrals: from a need in the care plan to a youth actually served.

A ``ServiceReferral`` belongs to one youth (encrypted with the youth's key like every youth row) and
goes to one provider: a directory listing (HSDS service and organization ids, kept as strings as the
directory keeps them) and the Threadline organization that answers for it (``ProviderLink``). Every
change of state leaves a dated, attributed ``ReferralEvent``. What the provider reads is the packet
fixed when it was sent, and only while a release to the provider still covers it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from threadline.care.choices import NeedDomain
from threadline.core.rows import LabelledById
from threadline.crypto.fields import EncryptedJSONField, EncryptedTextField
from threadline.referrals.states import ReferralState
from threadline.youth.models import YouthChild


class ProviderLink(models.Model):
    """Which Threadline organization answers for a directory provider. Consent is given to this
    organization; its staff (if it has any) work the inbox, otherwise it answers by one-time link."""

    directory_organization_id = models.CharField(max_length=64, unique=True)
    organization = models.OneToOneField(
        "accounts.Organization", on_delete=models.PROTECT, related_name="provider_link"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"provider {self.directory_organization_id}"


class ServiceReferral(LabelledById, YouthChild):
    youth = models.ForeignKey("youth.Youth", on_delete=models.CASCADE, related_name="service_referrals")
    need = models.ForeignKey(
        "care.PlanNeed", null=True, blank=True, on_delete=models.SET_NULL, related_name="service_referrals"
    )
    need_domain = models.CharField(_("need"), max_length=30, choices=NeedDomain.choices)
    directory_service_id = models.CharField(max_length=64, db_index=True)
    directory_organization_id = models.CharField(max_length=64, db_index=True)
    service_name = models.CharField(_("service"), max_length=300)  # the listing's name when referred
    provider = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    sender_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    follow_up_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("state"), max_length=24, choices=ReferralState.choices, default=ReferralState.DRAFT
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    # The consent categories the packet carries (care_plan always: the need is part of the plan).
    categories = models.JSONField(default=list)
    # What the sender wrote for the provider, one short note per consented category.
    notes = EncryptedJSONField()
    # The packet as it was sent. Shown to the provider only while a release still covers it.
    packet = EncryptedJSONField()
    # Warm hand-off checklist.
    introduced_in_person = models.BooleanField(_("introduced in person"), default=False)
    first_appointment_on = models.DateField(_("first appointment"), null=True, blank=True)
    transport_arranged = models.BooleanField(_("transport arranged"), default=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    connected_at = models.DateTimeField(null=True, blank=True)
    # Reminders already sent for the current wait (idempotent: one each).
    reminded_no_answer_at = models.DateTimeField(null=True, blank=True)
    reminded_not_connected_at = models.DateTimeField(null=True, blank=True)
    # The referral this one replaces after a decline ("next suggestion in one click").
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["provider", "state", "-state_changed_at"], name="svcref_provider_state"),
            models.Index(fields=["youth", "-created_at"], name="svcref_youth"),
            models.Index(fields=["state", "state_changed_at"], name="svcref_state_since"),
        ]


class EventKind(models.TextChoices):
    STATE = "state", _("State change")
    CONTACT_ATTEMPT = "contact_attempt", _("Contact attempt")
    CHECKLIST = "checklist", _("Hand-off checklist")
    REMINDER = "reminder", _("Reminder")


class ReferralEvent(YouthChild):
    """One dated, attributed fact in a referral's life. Appended, never changed."""

    referral = models.ForeignKey(ServiceReferral, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices, default=EventKind.STATE)
    from_state = models.CharField(max_length=24, blank=True)
    to_state = models.CharField(max_length=24, blank=True)
    at = models.DateTimeField(default=timezone.now)
    side = models.CharField(max_length=10)  # states.Side
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = EncryptedTextField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.from_state}->{self.to_state}"


class ReferralLink(LabelledById):
    """A single-use, expiring link for a provider without Threadline accounts. Only the SHA-256 of the
    random token is stored; the URL carries the token and nothing else."""

    str_label = "link"

    referral = models.ForeignKey(ServiceReferral, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    sent_to = models.EmailField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)


class ProviderFeedback(models.Model):
    """The referring side's word on a provider after a completed or declined referral, about the
    service and never about the youth. Directory admins read it at the listing's yearly audit."""

    referral = models.OneToOneField(ServiceReferral, on_delete=models.CASCADE, related_name="feedback")
    directory_organization_id = models.CharField(max_length=64, db_index=True)
    treated_with_respect = models.BooleanField(null=True)
    would_refer_again = models.BooleanField(null=True)
    barriers_met = models.JSONField(default=list, blank=True)  # codes from directory's barrier list
    comment = models.CharField(max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"feedback on {self.directory_organization_id}"

"""Contacts (calls, texts, chats, e-mails that may become referrals) and intake's duties beyond the queue
(issue 13): field responses with their check-ins, overdue-report
pages, consent-ending reminders and each county's notification protocol. Registered through
``intake/models.py``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from threadline.core.rows import LabelledById
from threadline.crypto.fields import EncryptedTextField
from threadline.crypto.rows import OwnKeyRow
from threadline.intake.model_fields import staff_ref


class FieldResponse(LabelledById, OwnKeyRow):
    """An advocate sent to meet a young person: who, when, where to meet (in the youth's or referrer's
    words: location data, encrypted with the response's own key), and the times of each step. While
    the advocate is out, they check in every ``INTAKE_CHECK_IN_MINUTES``; a missed check-in pages the
    supervisor (``field_services.check_ins_overdue``)."""

    class State(models.TextChoices):
        DISPATCHED = "dispatched", _("Dispatched")
        ON_THE_WAY = "on_the_way", _("On the way")
        ARRIVED = "arrived", _("Arrived")
        CONTACT_MADE = "contact_made", _("First contact made")
        ENDED = "ended", _("Back safe, response ended")

    referral = models.ForeignKey("intake.Referral", on_delete=models.PROTECT, related_name="field_responses")
    advocate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dispatched_by = staff_ref()
    state = models.CharField(max_length=20, choices=State.choices, default=State.DISPATCHED)
    meet_at = models.DateTimeField(_("meet at"))
    # Location category data: never in a page list, a log, an SMS or an e-mail.
    meeting_place = EncryptedTextField()
    dispatched_at = models.DateTimeField(default=timezone.now)
    on_the_way_at = models.DateTimeField(null=True, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)
    contact_made_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    last_check_in_at = models.DateTimeField(null=True, blank=True)
    check_in_due_at = models.DateTimeField(null=True, blank=True)
    # The due time a missed-check-in alarm was raised for: one alarm per missed check-in.
    alarm_raised_for = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-dispatched_at"]
        indexes = [models.Index(fields=["state", "check_in_due_at"])]


class ReportOverduePage(models.Model):
    """One page per overdue mandatory report (the periodic task is idempotent through it)."""

    report = models.OneToOneField(
        "intake.MandatoryReport", on_delete=models.CASCADE, related_name="overdue_page"
    )
    paged_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"overdue page {self.report_id}"


class ConsentReminder(models.Model):
    """One reminder per consent ending soon, sent to the youth's care coordinator(s) (issue 13)."""

    consent = models.OneToOneField("access.Consent", on_delete=models.CASCADE, related_name="+")
    reminded_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"consent reminder {self.consent_id}"


class CountyProtocol(models.Model):
    """Who is told, for a county, when a child is referred (issue 13): kept by the program admin as
    data; the mandatory-report form pre-fills from it. Agencies only, never people's private data."""

    program = models.ForeignKey("intake.Program", on_delete=models.PROTECT, related_name="county_protocols")
    county = models.CharField(_("county"), max_length=80)
    child_welfare = models.CharField(_("child-welfare office"), max_length=200, blank=True)
    law_enforcement = models.CharField(_("law-enforcement agency"), max_length=200, blank=True)
    state_police_copy = models.CharField(_("state police copy"), max_length=200, blank=True)
    backup_agency = models.CharField(_("backup agency"), max_length=200, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["program", "county"]
        constraints = [
            models.UniqueConstraint(fields=["program", "county"], name="intake_county_protocol_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.county} protocol"


class Contact(LabelledById, OwnKeyRow):
    """Every contact, by any channel, anonymous allowed. Some are information only; some become
    referrals. The words and the sender's address are encrypted with the contact's own data key."""

    class Channel(models.TextChoices):
        HOTLINE_CALL = "hotline_call", _("Hotline call")
        TEXT = "text", _("Text message")
        CHAT = "chat", _("Chat")
        WEB_FORM = "web_form", _("Web form")
        EMAIL = "email", _("E-mail")
        WALK_IN = "walk_in", _("Walk-in")
        IN_FIELD = "in_field", _("In-field encounter")

    class CallerRole(models.TextChoices):
        UNKNOWN = "unknown", _("Not known")
        YOUTH = "youth", _("The young person")
        FAMILY = "family", _("Family member")
        AGENCY = "agency", _("Agency or professional")
        COMMUNITY = "community", _("Community member")

    class Crisis(models.TextChoices):
        NONE = "none", _("No crisis")
        LOW = "low", _("Low")
        HIGH = "high", _("High")
        IMMEDIATE = "immediate", _("Immediate danger")

    class ContactOutcome(models.TextChoices):
        PENDING = "pending", _("Not decided yet")
        INFORMATION = "information", _("Information only")
        REFERRAL = "referral", _("Became a referral")
        OUT_OF_SCOPE = "out_of_scope", _("Out of scope")

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    data_key = models.OneToOneField("crypto.DataKey", on_delete=models.PROTECT, related_name="contact")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    caller_role = models.CharField(max_length=20, choices=CallerRole.choices, default=CallerRole.UNKNOWN)
    anonymous = models.BooleanField(default=True)
    language = models.CharField(max_length=8, default="en")
    crisis = models.CharField(max_length=20, choices=Crisis.choices, default=Crisis.NONE)
    outcome = models.CharField(max_length=20, choices=ContactOutcome.choices, default=ContactOutcome.PENDING)
    message = EncryptedTextField()
    sender = EncryptedTextField()
    referral = models.ForeignKey(
        "intake.Referral", on_delete=models.SET_NULL, null=True, blank=True, related_name="contacts"
    )
    received_at = models.DateTimeField(default=timezone.now)
    recorded_by = staff_ref()
    # An inbound gateway may deliver the same message twice: the key makes the second delivery a no-op.
    idempotency_key = models.CharField(max_length=100, blank=True)
    request_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="intake_contact_idempotency_unique",
            ),
        ]


# --- field response (issue 13, seed 000) ---------------------------------------------------------------

"""The youth record: one per youth, worked on by every authorized partner.

Identifying fields are encrypted with the youth's own data key (``crypto``). Primary keys are UUIDs:
they exist before the first save (encryption binds each value to its row) and reveal nothing in URLs.
Rows carry a ``version`` so that two people editing at once never silently overwrite each other.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from threadline.core.rows import Labelled
from threadline.crypto.fields import EncryptedDateField, EncryptedJSONField, EncryptedTextField
from threadline.crypto.rows import OwnKeyRow
from threadline.youth import said
from threadline.youth.gender import gender_group

REFERENCE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"  # no look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B)


def new_reference() -> str:
    return "Y-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


class ConnectionKind(models.TextChoices):
    RESIDES = "resides", _("Lives there")
    PHYSICALLY_PRESENT = "physically_present", _("Is there now")
    TRAVELLING_TO = "travelling_to", _("Travelling there")
    VICTIMIZED_IN = "victimized_in", _("Was harmed there")
    # Where the youth was found or recovered (seed 002: where it happens), a county, never a point.
    FOUND_IN = "found_in", _("Was found there")


class LegalStatus(models.TextChoices):
    CONSERVATORSHIP = "conservatorship", _("Child-welfare conservatorship")
    PROBATION = "probation", _("Juvenile probation")
    NONE = "none", _("None")
    UNKNOWN = "unknown", _("Unknown")


class RecordStatus(models.TextChoices):
    # "Abierto": the record (el expediente); a task or a referral is "Abierta".
    OPEN = "open", pgettext_lazy("record status", "Open")
    CLOSED = "closed", _("Closed")


class Youth(OwnKeyRow):
    # A short code staff can say on the phone or write on paper instead of a name.
    reference = models.CharField(max_length=12, unique=True, default=new_reference)
    data_key = models.OneToOneField("crypto.DataKey", on_delete=models.PROTECT, related_name="youth")
    preferred_name = EncryptedTextField()
    legal_name = EncryptedTextField()
    date_of_birth = EncryptedDateField()
    # Age is kept in the clear only as an estimate in years (eligibility and reports need it; it does
    # not identify anyone on its own). Recomputed from date of birth when one is known.
    estimated_age = models.PositiveSmallIntegerField(null=True, blank=True)
    age_recorded_on = models.DateField(null=True, blank=True)
    gender_identity = EncryptedTextField()
    # The broad group of those words (``youth/gender.py``), derived on every save, for counting only.
    gender_group = models.CharField(max_length=20, null=True, blank=True, editable=False)
    pronouns = EncryptedTextField()
    # The county of the youth's best connection (``youth/counties.py``), derived whenever the
    # connections are written, for counting only; blank: no connection.
    main_county = models.CharField(max_length=80, blank=True, default="", editable=False)
    languages = models.JSONField(default=list, blank=True)
    legal_status = models.CharField(max_length=20, choices=LegalStatus.choices, default=LegalStatus.UNKNOWN)
    school = EncryptedTextField()
    status = models.CharField(max_length=10, choices=RecordStatus.choices, default=RecordStatus.OPEN)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    created_by_org = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "youth"

    def __str__(self) -> str:
        return self.reference  # never a name: __str__ ends up in logs and admin messages

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The group follows the words on every save that writes them (``youth/gender.py``).
        update_fields = kwargs.get("update_fields")
        writes_words = update_fields is None or "gender_identity" in update_fields
        if writes_words and "gender_identity" not in self.get_deferred_fields():
            self.gender_group = gender_group(str(self.gender_identity or ""))
            if update_fields is not None:
                kwargs["update_fields"] = [*update_fields, "gender_group"]
        super().save(*args, **kwargs)


def unscoped_youth() -> models.QuerySet[Youth]:
    """Every youth, unscoped. Only the access policy (``youth/policy.py``) and this app's own
    services may call it; everyone else reads through ``visible_youth``/``open_youth``. A test in
    tests/test_architecture.py enforces the list of callers."""
    return Youth.objects.all()


class YouthChild(Labelled):
    """Rows that belong to one youth and are encrypted with that youth's key. ``str(row)`` is the row's
    kind and the youth's id ("placement of 6f1c…")."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    youth = models.ForeignKey(Youth, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.kind_label()} of {self.youth_id}"

    def encryption_key(self) -> bytes:
        return self.youth.encryption_key()


class AliasKind(models.TextChoices):
    ALIAS = "alias", _("Other name")
    STREET = "street", _("Street name")
    FORMER = "former", _("Former legal name")


class Alias(YouthChild):
    youth = models.ForeignKey(Youth, on_delete=models.CASCADE, related_name="aliases")
    kind = models.CharField(max_length=10, choices=AliasKind.choices, default=AliasKind.ALIAS)
    name = EncryptedTextField()


class ContactWayKind(models.TextChoices):
    PHONE = "phone", _("Phone")
    TEXT = "text", _("Text messages")
    EMAIL = "email", _("E-mail")
    SOCIAL = "social", _("Social media")
    OTHER = "other", _("Other")


class ContactWay(YouthChild):
    youth = models.ForeignKey(Youth, on_delete=models.CASCADE, related_name="contact_ways")
    kind = models.CharField(max_length=10, choices=ContactWayKind.choices, default=ContactWayKind.PHONE)
    value = EncryptedTextField()
    # None = nobody has asked yet. Staff must not assume it is safe.
    safe_to_contact = models.BooleanField(null=True)
    safe_to_leave_message = models.BooleanField(null=True)

    def __str__(self) -> str:
        return f"{self.kind} of {self.youth_id}"


class MeetingPreference(YouthChild):
    """How the youth prefers to be met (seed 003: some will not talk by phone or be picked up at a
    police station): ways and places that work, and what to avoid. Shown beside the safe-contact flags
    to everyone who contacts the youth; the identity category, like those flags."""

    youth = models.OneToOneField(Youth, on_delete=models.CASCADE, related_name="meeting_preference")
    ways = EncryptedTextField()
    places = EncryptedTextField()
    avoid = EncryptedTextField()
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)


class CountyConnection(YouthChild):
    youth = models.ForeignKey(Youth, on_delete=models.CASCADE, related_name="counties")
    county = models.CharField(max_length=80)
    kind = models.CharField(max_length=20, choices=ConnectionKind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["youth", "county", "kind"], name="county_connection_unique")
        ]

    def __str__(self) -> str:
        return f"{self.county} ({self.kind})"


class HouseholdMember(YouthChild):
    youth = models.ForeignKey(Youth, on_delete=models.CASCADE, related_name="household")
    name = EncryptedTextField()
    relationship = models.CharField(max_length=60, blank=True)
    is_guardian = models.BooleanField(default=False)
    is_non_offending_caregiver = models.BooleanField(default=False)
    contact_restrictions = EncryptedTextField()
    # Can never give consent nor receive any information. Checked at every use, not only at entry.
    alleged_exploiter = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)


class PlacementType(models.TextChoices):
    FAMILY = "family", _("With family")
    KINSHIP = "kinship", _("Kinship care")
    FOSTER = "foster", _("Foster home")
    RESIDENTIAL = "residential", _("Residential treatment")
    SHELTER = "shelter", _("Shelter")
    SAFE_HOUSE = "safe_house", _("Safe house")
    DETENTION = "detention", _("Detention")
    INDEPENDENT = "independent", _("Independent living")
    OTHER = "other", _("Other")


class Placement(YouthChild):
    youth = models.ForeignKey(Youth, on_delete=models.CASCADE, related_name="placements")
    placement_type = models.CharField(max_length=20, choices=PlacementType.choices)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    reason_ended = models.CharField(max_length=200, blank=True)
    felt_safe = models.BooleanField(null=True)

    class Meta:
        ordering = ["-started_on"]


class PlacementAddress(YouthChild):
    """Where a placement is: the location category, with its own permission. Never in a list view."""

    placement = models.OneToOneField(Placement, on_delete=models.CASCADE, related_name="address")
    address = EncryptedTextField()

    def __str__(self) -> str:
        return f"address of placement {self.placement_id}"


class MissingEpisode(YouthChild):
    youth = models.ForeignKey(Youth, on_delete=models.CASCADE, related_name="missing_episodes")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    # [{"to": "law enforcement", "at": iso, "reference": "..."}]; agencies, not people.
    notifications = models.JSONField(default=list, blank=True)
    return_debrief = EncryptedTextField()
    debrief_done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]


class TimelineEntry(YouthChild):
    """One chronological story: contacts, referrals, placements, missing episodes, notes, meetings and
    plan changes, written by the services that make those changes, so nobody asks the youth again."""

    youth = models.ForeignKey(Youth, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(default=timezone.now)
    # Only a day is known (a placement's start date): ``at`` is the start of that day, shown as a date.
    date_only = models.BooleanField(default=False)
    kind = models.CharField(max_length=40)
    category = models.CharField(max_length=20)  # access.Category: who may see this entry
    summary = EncryptedTextField()  # in English; what the page shows is ``shown()``
    # The message's msgid and values, translated when shown (``said``); sealed, since values may
    # name an organization. NULL on entries written before it was kept: they show ``summary``.
    message = EncryptedJSONField()
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["youth", "-at"], name="timeline_youth_at")]

    def __str__(self) -> str:
        return f"{self.kind} for {self.youth_id}"

    def shown(self) -> str:
        """What happened, in the reader's language."""
        return said.shown(self.message, self.summary)


class SearchToken(models.Model):
    """Blind-index rows (see ``crypto.blind``). Kinds: name, alias, dob, phone."""

    youth = models.ForeignKey(Youth, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8)
    digest = models.CharField(max_length=32)
    token_group = models.PositiveSmallIntegerField(default=0)  # which word of the name it came from

    class Meta:
        indexes = [models.Index(fields=["digest"], name="search_token_digest")]
        constraints = [
            models.UniqueConstraint(
                fields=["youth", "kind", "digest", "token_group"], name="search_token_unique"
            )
        ]

    def __str__(self) -> str:
        return f"token of {self.youth_id}"


class ErasureRequest(models.Model):
    """Erasing a youth needs two people: one asks, a different one approves."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    youth_reference = models.CharField(max_length=12)
    youth_id_value = models.UUIDField()
    reason = models.CharField(max_length=300)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"erasure of {self.youth_reference}"

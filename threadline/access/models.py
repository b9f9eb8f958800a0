"""Per-youth access facts: who is on the care team, what each organization may see (consent), and
emergency access (break the glass)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from threadline.core.rows import LabelledById
from threadline.crypto.fields import EncryptedTextField


class AccessFact(models.Model):
    """A fact about who may read one youth's record, held by one organization: a care-team seat, a
    consent, a mentor assignment, a break-glass."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    youth = models.ForeignKey("youth.Youth", on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


class TeamRole(models.TextChoices):
    LEAD_ADVOCATE = "lead_advocate", _("Lead advocate")
    CARE_COORDINATOR = "care_coordinator", _("Care coordinator")
    FAMILY_COORDINATOR = "family_coordinator", _("Family coordinator")
    DFPS_CASEWORKER = "dfps_caseworker", _("DFPS caseworker")
    PROBATION_OFFICER = "probation_officer", _("Probation officer")
    THERAPIST = "therapist", _("Therapist")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement")
    CASA = "casa", _("CASA")
    MEDICAL = "medical", _("Medical")
    SCHOOL = "school", _("School")
    OTHER = "other", _("Other")


class CareTeamMember(AccessFact):
    youth = models.ForeignKey("youth.Youth", on_delete=models.CASCADE, related_name="care_team")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(max_length=30, choices=TeamRole.choices)
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["organization", "youth"], name="team_org_youth"),
            models.Index(fields=["person", "youth"], name="team_person_youth"),
        ]

    def __str__(self) -> str:
        return f"{self.role} on {self.youth_id}"


class ConsentGiver(models.TextChoices):
    YOUTH = "youth", _("The youth")
    PARENT_OR_GUARDIAN = "parent_guardian", _("Parent or guardian")
    MANAGING_CONSERVATOR = "managing_conservator", _("Managing conservator")
    COURT_ORDER = "court_order", _("Court order")


class ConsentState(models.TextChoices):
    PENDING = "pending", _("Pending")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    REVOKED = "revoked", _("Revoked")
    # "Expired" is never stored: it is read from ``expires_at`` at every request.


class ConsentUse(models.TextChoices):
    """Whom a consent opens the chosen categories to. A release names a partner organization; a consent
    for family services opens them to the Family Coordinator of the organization that recorded it; a
    consent for mentoring opens them to the youth's assigned mentor, whoever that is (issue 14)."""

    SHARING = "sharing", _("A partner organization (release of information)")
    FAMILY = "family", _("Family services (the Family Coordinator)")
    MENTORING = "mentoring", _("Mentoring (the youth's mentor)")


class Consent(AccessFact):
    """A release of information: which categories, to which organization, why, until when."""

    youth = models.ForeignKey("youth.Youth", on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=300)
    use = models.CharField(max_length=10, choices=ConsentUse.choices, default=ConsentUse.SHARING)
    given_by = models.CharField(max_length=30, choices=ConsentGiver.choices)
    # The adult who signed (guardian, or the non-offending adult alongside a minor). Never one flagged
    # as an alleged exploiter: checked when recorded and again at every use.
    guardian = models.ForeignKey(
        "youth.HouseholdMember", null=True, blank=True, on_delete=models.RESTRICT, related_name="+"
    )
    minor_may_consent_alone = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=ConsentState.choices, default=ConsentState.GRANTED)
    starts_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=200, blank=True)
    signature = EncryptedTextField()  # drawn signature (data URL) or a note of the scanned form
    # Where the signed paper form is (a file note, a scan's name): may hold a name, so it is encrypted.
    signed_form_name = EncryptedTextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["organization", "youth", "state"], name="consent_org_youth_state")]

    def __str__(self) -> str:
        return f"consent {self.id} for {self.youth_id}"

    def encryption_key(self) -> bytes:
        return self.youth.encryption_key()

    @property
    def category_list(self) -> list[str]:
        return sorted(c.category for c in self.scopes.all())


class ConsentScope(models.Model):
    """One category a consent covers (a row each, so the policy can filter in SQL on every database)."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="scopes")
    category = models.CharField(max_length=20)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["consent", "category"], name="consent_scope_unique")]
        indexes = [models.Index(fields=["category", "consent"], name="consent_scope_category")]

    def __str__(self) -> str:
        return self.category


class MentorAssignment(AccessFact):
    """A long-term mentor for one youth (survivor leader, peer or volunteer mentor). It is an access
    fact: the policy opens the youth to the mentor only while it runs, and only the record's shell, the
    mentoring contacts and what the youth consented to share for mentoring. Closing the case does not
    end it (mentorship continues when the youth wants it); ending it is its own step."""

    youth = models.ForeignKey("youth.Youth", on_delete=models.CASCADE, related_name="mentors")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["person", "youth"], name="mentor_person_youth")]

    def __str__(self) -> str:
        return f"mentor of {self.youth_id}"


class BreakGlass(LabelledById, AccessFact):  # noqa: DJ008 (its __str__ is LabelledById's)
    """Emergency access to a record one is not entitled to: a written reason, a time limit, supervisors
    alerted, and it shows in the youth's access history."""

    str_label = "break-glass"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=500)
    started_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "youth", "expires_at"], name="breakglass_user_youth")]


from threadline.access.agreements import PartnerAgreement  # noqa: E402,F401  (partner agreements, issue 15)
from threadline.access.consent_files import ConsentFile  # noqa: E402,F401  (scanned consent forms)

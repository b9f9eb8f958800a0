"""Intake: programs and their service-area rules (versioned, immutable), eligibility decisions,
refer-out tasks, the on-call rota, urgent alerts, referrals, mandatory reports and contacts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from threadline.crypto.fields import EncryptedDateField, EncryptedTextField
from threadline.crypto.rows import OwnKeyRow
from threadline.intake.choices import Connection, Outcome

# Issue 13's models live in their own module (size); imported here so Django registers them.
from threadline.intake.duty_models import ConsentReminder as ConsentReminder
from threadline.intake.duty_models import Contact as Contact
from threadline.intake.duty_models import CountyProtocol as CountyProtocol
from threadline.intake.duty_models import FieldResponse as FieldResponse
from threadline.intake.duty_models import ReportOverduePage as ReportOverduePage
from threadline.intake.model_fields import staff_ref
from threadline.intake.move_models import Relocation as Relocation
from threadline.intake.move_models import Transfer as Transfer


class ImmutableRow(RuntimeError):
    """A rule version is a record of what was decided with it: it is never edited nor deleted."""


class WrittenOnce(models.Model):
    """A row that is a record of what was decided with it: written once, never edited nor deleted.
    ``rows_called`` names the rows in the refusal."""

    rows_called = "rows"

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableRow(f"{self.rows_called} are immutable: create a new version")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableRow(f"{self.rows_called} are never deleted")


class Program(models.Model):
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    # Youths are matched to counties of this state unless a ZIP code says otherwise.
    state = models.CharField(_("state"), max_length=2, default="TX")
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intake_programs",
        help_text=_("The Care Coordinator running the program."),
    )
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def current_rules(self) -> RuleVersion | None:
        return self.rule_versions.order_by("-number").first()


class RuleVersion(WrittenOnce):
    """One immutable version of a program's service area. Editing the rules adds a version."""

    rows_called = "rule versions"
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="rule_versions")
    number = models.PositiveIntegerField()
    connections = models.JSONField(default=list)  # list of Connection values accepted
    # A youth who entered services before this age may be served up to a county's extended age.
    extension_entry_age = models.PositiveSmallIntegerField(default=18)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = staff_ref()

    class Meta:
        ordering = ["program", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="intake_rule_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.program.slug} v{self.number}"


class CountyRule(WrittenOnce):
    """One county of a rule version. Ages are inclusive: ``max_age`` 18 serves a youth aged 18 (until
    the day before their 19th birthday). See ``eligibility.AGE_READING``."""

    rows_called = "county rules"
    version = models.ForeignKey(RuleVersion, on_delete=models.PROTECT, related_name="counties")
    county = models.CharField(_("county"), max_length=80)  # without the word "County"
    max_age = models.PositiveSmallIntegerField(_("serves up to age"))
    extended_max_age = models.PositiveSmallIntegerField(
        _("up to age, if they entered services young"), null=True, blank=True
    )

    class Meta:
        ordering = ["county"]
        constraints = [
            models.UniqueConstraint(fields=["version", "county"], name="intake_county_rule_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.county} ≤ {self.max_age}"


class EligibilityDecision(models.Model):
    """A decision a coordinator recorded, with the rule version it used. No name, no address: only
    the county, the age and the kind of connection."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="decisions")
    rule_version = models.ForeignKey(RuleVersion, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    reason_code = models.CharField(max_length=40)
    reason_params = models.JSONField(default=dict)
    county = models.CharField(max_length=80, blank=True)
    state = models.CharField(max_length=2, blank=True)
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    connection = models.CharField(max_length=30, blank=True)
    entered_before_18 = models.BooleanField(null=True, blank=True)
    decided_at = models.DateTimeField(default=timezone.now)
    decided_by = staff_ref()

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return f"{self.outcome} ({self.rule_version})"

    @property
    def reason(self) -> str:
        from threadline.intake.eligibility import render_reason

        return render_reason(self.reason_code, self.reason_params)


class ReferOutTask(models.Model):
    """Not eligible is never a dead end: connect the youth with an agency serving their own area."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="refer_out_tasks")
    decision = models.OneToOneField(
        EligibilityDecision, on_delete=models.PROTECT, related_name="refer_out_task"
    )
    county = models.CharField(max_length=80, blank=True)
    state = models.CharField(max_length=2, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = staff_ref()
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = staff_ref()
    agency = models.CharField(_("referred to"), max_length=200, blank=True)

    class Meta:
        ordering = ["status", "-created_at"]

    def __str__(self) -> str:
        return f"refer out #{self.pk} ({self.status})"


# --- on-call -------------------------------------------------------------------------------------


class Region(models.Model):
    """An on-call region of a program (e.g. San Antonio, Waco, Killeen), with its own rota."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="regions")
    name = models.CharField(_("region"), max_length=100)
    # Routing (issue 13): the counties whose referrals this region's rota answers; the program's
    # default region takes a county that is unknown or in no region.
    counties = models.JSONField(default=list, blank=True)
    is_default = models.BooleanField(_("default region"), default=False)
    # Issue 14: the region's care coordinator, who joins the team of a youth who moves here.
    coordinator = staff_ref(_("coordinator"))

    class Meta:
        ordering = ["program", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="intake_region_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Shift(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="shifts")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    primary = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("on call")
    )
    backup = staff_ref(_("backup"))
    supervisor = staff_ref(_("supervisor"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["region", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="intake_shift_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["region", "starts_at", "ends_at"])]

    def __str__(self) -> str:
        return f"shift #{self.pk} {self.region_id}"


class OnCallPhone(models.Model):
    """The number an on-call person receives urgent texts on. Staff numbers only."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sms_number = models.CharField(_("mobile number for urgent texts"), max_length=20)

    def __str__(self) -> str:
        return f"phone of {self.user_id}"


class Alert(models.Model):
    """Something urgent that a person must acknowledge (e.g. a new urgent referral). Generic: it points
    at its object by type and id, and carries no detail of it."""

    class Kind(models.TextChoices):
        URGENT_REFERRAL = "urgent_referral", _("Urgent referral")
        TEST = "test", _("Test of the on-call chain")
        NEW_REFERRAL = "new_referral", _("New referral")
        IMMEDIATE_DANGER = "immediate_danger", _("Referral: immediate danger")
        CHECK_IN_MISSED = "check_in_missed", _("Advocate missed a safety check-in")
        REPORT_OVERDUE = "report_overdue", _("Mandatory report overdue")

    class Level(models.IntegerChoices):
        PRIMARY = 0, _("On call")
        BACKUP = 1, _("Backup")
        SUPERVISOR = 2, _("Supervisor")

    kind = models.CharField(max_length=30, choices=Kind.choices)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="alerts")
    shift = models.ForeignKey(Shift, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # When the thing happened (e.g. the referral arrived): the clock starts here.
    started_at = models.DateTimeField(default=timezone.now)
    level = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.PRIMARY)
    assigned_to = staff_ref()
    assigned_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = staff_ref()
    # The escalation clock of this alert (issue 13: the referral's urgency decides it); None: the
    # program-wide INTAKE_ESCALATION_MINUTES.
    escalate_after_minutes = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["acknowledged_at", "assigned_at"])]

    def __str__(self) -> str:
        return f"alert #{self.pk} ({self.kind})"

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None


class AlertEvent(models.Model):
    """The trail of an alert: assigned, notified (which channels, whether delivered), escalated,
    acknowledged. Never the message body (it is always the same fixed sentence)."""

    class Action(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned")
        NOTIFIED = "notified", _("Notified")
        ESCALATED = "escalated", _("Escalated")
        UNASSIGNED = "unassigned", _("Nobody to escalate to")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=20, choices=Action.choices)
    level = models.PositiveSmallIntegerField()
    person = staff_ref()
    detail = models.CharField(max_length=200, blank=True)  # e.g. "email ok, sms failed"

    class Meta:
        ordering = ["alert", "at", "id"]

    def __str__(self) -> str:
        return f"{self.action} L{self.level}"


# --- referrals (phase 2: linked to the youth record) ----------------------------------------------


def new_referral_reference() -> str:
    import secrets

    # Short, unambiguous, said on the phone; never derived from the youth.
    alphabet = "ACDEFGHJKLMNPQRTUVWXY34679"
    return "R-" + "".join(secrets.choice(alphabet) for _ in range(7))


class Urgency(models.TextChoices):
    """What the referrer said about the young person right now (issue 13)."""

    IMMEDIATE_DANGER = "immediate_danger", _("In immediate danger")
    RUNAWAY_NOW = "runaway_now", _("Has run away or gone missing now")
    IN_CUSTODY = "in_custody", _("In custody (police, detention, hospital)")
    OTHER = "other", _("None of these")


class Referral(OwnKeyRow):
    """A referral: "when in doubt, refer". Identifying words (what the youth is called, what is known,
    how to reach the referrer) are encrypted with the referral's own data key."""

    class Channel(models.TextChoices):
        WEB_FORM = "web_form", _("Public web form")
        HOTLINE = "hotline", _("Hotline call")
        STAFF = "staff", _("Entered by staff")
        WALK_IN = "walk_in", _("Walk-in")
        TEXT = "text", _("Text message")
        EMAIL = "email", _("E-mail")
        PARTNER_SYSTEM = "partner_system", _("Partner agency system")

    class Source(models.TextChoices):
        SELF = "self", _("The young person themself")
        FAMILY = "family", _("A family member")
        FRIEND = "friend", _("A friend or someone else who cares")
        AGENCY = "agency", _("An agency or professional")
        SCHOOL = "school", _("A school")
        MEDICAL = "medical", _("A medical provider")
        LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement")
        HOTLINE = "hotline", _("A hotline")
        OTHER = "other", _("Someone else")

    class Concern(models.TextChoices):
        CLEAR_CONCERN = "clear_concern", _("A clear concern")
        AT_HIGH_RISK = "at_high_risk", _("At high risk")
        SUSPECTED = "suspected", _("Suspected")
        CONFIRMED = "confirmed", _("Confirmed")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        UNDER_REVIEW = "under_review", _("Under review")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        REDIRECTED = "redirected", _("Referred out")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    reference = models.CharField(max_length=12, unique=True, default=new_referral_reference)
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="referrals")
    data_key = models.OneToOneField("crypto.DataKey", on_delete=models.PROTECT, related_name="referral")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.OTHER)
    concern = models.CharField(max_length=20, choices=Concern.choices, default=Concern.CLEAR_CONCERN)
    urgent = models.BooleanField(default=False)
    # What the referrer said about how urgent it is (issue 13); decides the escalation clock.
    urgency = models.CharField(max_length=20, choices=Urgency.choices, default=Urgency.OTHER)
    # The on-call region the referral was routed to (county -> region, or re-routed by a coordinator).
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    # Coarse, not identifying on its own: eligibility needs it in the clear.
    county = models.CharField(max_length=80, blank=True)
    connection = models.CharField(max_length=30, choices=Connection.choices, blank=True)
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    language = models.CharField(max_length=8, default="en")
    youth_name = EncryptedTextField()
    # What a coordinator needs to find the young person's existing record (all optional): other names
    # (one per line), a date of birth, a phone number of the young person.
    youth_aliases = EncryptedTextField()
    youth_date_of_birth = EncryptedDateField()
    youth_phone = EncryptedTextField()
    what_is_known = EncryptedTextField()
    referrer_contact = EncryptedTextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    status_reason = models.CharField(max_length=300, blank=True)
    decision = models.ForeignKey(
        EligibilityDecision, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    youth = models.ForeignKey(
        "youth.Youth", on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    # The status the referral had when it was linked to a record: unlinking restores it (issue 13).
    status_before_link = models.CharField(max_length=20, choices=Status.choices, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    # The program's pulse: referral to first contact with the young person.
    first_contact_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return self.reference  # never a name


class MandatoryReport(models.Model):
    """For a child victim, child welfare and law enforcement are told within 8 hours: who was told,
    when, and the report number. Overdue ones are flagged on the dashboard."""

    class Agency(models.TextChoices):
        CHILD_WELFARE = "child_welfare", _("Child welfare (state abuse hotline)")
        LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement")

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="mandatory_reports")
    agency = models.CharField(max_length=20, choices=Agency.choices)
    due_at = models.DateTimeField()
    reported_at = models.DateTimeField(null=True, blank=True)
    reported_to = models.CharField(_("told whom"), max_length=200, blank=True)
    report_number = models.CharField(_("report number"), max_length=60, blank=True)
    reported_by = staff_ref()

    class Meta:
        ordering = ["due_at", "agency"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "agency"], name="intake_mandatory_report_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} report for {self.referral_id}"

"""The partner network (issue 15): the advisory council and other program meetings, the action items
they give partner organizations, trainings and technical assistance delivered to partners, and the
action plans agreed with each agency. Nothing here is about one youth: no youth data lives here.

Partner agreements are kept in ``access.agreements`` (the consent service asks them); this room keeps
their pages and reminders."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from threadline.core.rows import LabelledById


class CouncilMemberKind(models.TextChoices):
    ORGANIZATION = "organization", _("Organization")
    SURVIVOR_LEADER = "survivor_leader", _("Survivor leader")
    COMMUNITY = "community", _("Community member")


class CouncilMember(models.Model):
    """A seat on the program's advisory council: an organization, or a person (a survivor leader is
    listed only by the name they choose, which may be a first name)."""

    program_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=CouncilMemberKind.choices)
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name as they wish to be listed"), max_length=120, blank=True)
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "name", "organization__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=False) | ~Q(name=""), name="council_member_named"
            )
        ]

    def __str__(self) -> str:
        return self.organization.name if self.organization is not None else self.name


class ProgramMeetingKind(models.TextChoices):
    ADVISORY_COUNCIL = "advisory_council", _("Advisory council")
    PARTNER_NETWORK = "partner_network", _("Partner network meeting")
    OTHER = "other", _("Other program meeting")


class ProgramMeeting(LabelledById):
    """A meeting about the program, never about one youth: agenda, minutes, decisions, who came.
    Minutes must never name a youth; the form says so."""

    program_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ProgramMeetingKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    scheduled_at = models.DateTimeField(_("when"))
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(pgettext_lazy("meeting record", "minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    members_present = models.ManyToManyField(CouncilMember, related_name="+", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-scheduled_at"]


class TrainingKind(models.TextChoices):
    TRAINING = "training", _("Training")
    TECHNICAL_ASSISTANCE = "technical_assistance", _("Technical assistance")


class Training(models.Model):
    """A training or technical-assistance session the program delivered (seed 004 activity)."""

    program_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(
        _("kind"), max_length=30, choices=TrainingKind.choices, default=TrainingKind.TRAINING
    )
    topic = models.CharField(_("topic"), max_length=200)
    audience = models.CharField(_("audience"), max_length=200, blank=True)
    delivered_on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2)
    materials = models.TextField(_("materials"), blank=True)  # titles or links of handouts and slides
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-delivered_on"]
        indexes = [models.Index(fields=["program_organization", "delivered_on"], name="training_org_day")]

    def __str__(self) -> str:
        return self.topic


class TrainingAttendance(LabelledById):
    """How many people of one organization attended a session."""

    str_label = "attendance"

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="attendance")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    attendees = models.PositiveIntegerField(_("people"), default=1)

    class Meta:
        ordering = ["organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["training", "organization"], name="training_attendance_once")
        ]


class ActionPlan(models.Model):
    """An agency's action plan for quality improvement (seed 000), often out of a training or a
    technical-assistance session. Its items are action items owned by the agency."""

    program_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    partner = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    training = models.ForeignKey(Training, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["partner__name", "-created_at"]

    def __str__(self) -> str:
        return self.title


class ActionItemState(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class ActionItem(LabelledById):
    """A task owned by an organization: agreed at a program meeting, or an item of an action plan."""

    program_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    owner_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    meeting = models.ForeignKey(
        ProgramMeeting, null=True, blank=True, on_delete=models.CASCADE, related_name="action_items"
    )
    plan = models.ForeignKey(
        ActionPlan, null=True, blank=True, on_delete=models.CASCADE, related_name="items"
    )
    title = models.CharField(_("what"), max_length=300)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    state = models.CharField(max_length=10, choices=ActionItemState.choices, default=ActionItemState.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["state", "due_on", "created_at"]
        indexes = [models.Index(fields=["owner_organization", "state", "due_on"], name="action_item_owner")]
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting__isnull=False) | Q(plan__isnull=False), name="action_item_has_source"
            )
        ]

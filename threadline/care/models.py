"""Care coordination data: screening instruments (program configuration) and, per youth, the
unified care plan with its needs, goals, services and tasks, screening results, case notes and
closures."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from threadline.access.categories import Category
from threadline.care.choices import (
    ClosureReason,
    ContactType,
    MeetingType,
    NeedDomain,
    PlanChange,
    PlanState,
    TaskState,
)
from threadline.care.stages import Movement, Stage
from threadline.core.rows import LabelledById
from threadline.crypto.fields import EncryptedJSONField, EncryptedTextField
from threadline.youth.models import YouthChild


class Instrument(models.Model):
    """One version of a screening instrument, stored as validated data.

    A slug+version is loaded once and never changed: screening results point at the exact version
    they were scored with, so re-screening shows change over time against the same yardstick. A
    correction is a new version. At most one version of an instrument is active (offered for new
    screenings); older versions stay for the results that used them.
    """

    slug = models.SlugField(_("instrument"), max_length=60)
    version = models.CharField(_("version"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    definition = models.JSONField()
    # SHA-256 of the canonical JSON of ``definition``: tells "loaded again, same file" from "changed".
    content_hash = models.CharField(max_length=64)
    is_demo = models.BooleanField(_("demo instrument"), default=False)
    # Who states that the agency is licensed to use this instrument, and on what terms. We never
    # ship another publisher's instrument; an agency loads the ones it holds a licence for.
    licence_attestation = models.TextField(_("licence attestation"))
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    loaded_at = models.DateTimeField(default=timezone.now)
    is_active = models.BooleanField(_("offered for new screenings"), default=True)

    class Meta:
        ordering = ["slug", "-loaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="care_instrument_slug_version"),
            models.UniqueConstraint(
                fields=["slug"], condition=Q(is_active=True), name="care_instrument_one_active_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slug} {self.version}"


# --- Youth-facing records. Each row belongs to one youth and is encrypted with that youth's key. ---
# Plain-text columns hold only what lists and reminders must filter on (state, dates, owners); what
# a youth said, goals, narratives and answers are encrypted.


class CarePlan(YouthChild):
    """The one unified plan for a youth. ``version`` goes up with every change to the plan or any
    of its parts; each change leaves a ``CarePlanRevision`` with a snapshot."""

    youth = models.OneToOneField("youth.Youth", on_delete=models.CASCADE, related_name="care_plan")
    state = models.CharField(_("state"), max_length=20, choices=PlanState.choices, default=PlanState.DRAFT)
    version = models.PositiveIntegerField(default=1)
    review_on = models.DateField(_("review date"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)


class CarePlanRevision(YouthChild):
    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "accounts.Organization", null=True, on_delete=models.PROTECT, related_name="+"
    )
    change = models.CharField(max_length=60)  # a code such as "task_added": never free text
    snapshot = EncryptedJSONField()

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="care_plan_revision_number")]

    def __str__(self) -> str:
        return f"revision {self.number} of plan {self.plan_id}"

    def get_change_display(self) -> str:
        """The change in words, in the reader's language (a code nobody named reads as words)."""
        if self.change in PlanChange.values:
            return str(PlanChange(self.change).label)
        return self.change.replace("_", " ")


class PlanNeed(YouthChild):
    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="needs")
    domain = models.CharField(_("domain"), max_length=30, choices=NeedDomain.choices)
    description = EncryptedTextField()
    met_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["domain", "created_at"]

    def __str__(self) -> str:
        return f"{self.domain} need of {self.youth_id}"


class PlanGoal(YouthChild):
    str_label = "goal"

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="goals")
    domain = models.CharField(_("domain"), max_length=30, choices=NeedDomain.choices)
    in_their_words = EncryptedTextField()  # the youth's own words, not a professional's rewording
    achieved_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]


class PlanService(YouthChild):
    """Which partner provides what."""

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="services")
    domain = models.CharField(_("domain"), max_length=30, choices=NeedDomain.choices)
    provider = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provider_name = models.CharField(max_length=200, blank=True)  # a provider that is not a partner
    description = EncryptedTextField()
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.domain} service for {self.youth_id}"


class TaskSource(models.TextChoices):
    PLAN = "plan", _("Care plan")
    MEETING = "meeting", _("Meeting")
    SCREENING = "screening", _("Screening")
    MISSING = "missing", _("Missing episode")


# Which category a task belongs to, by where it came from (as data). A task made by a screening ("Re-screen
# in 30 days", the band's follow-ups) tells that a screening happened and what its band was: it is
# screening data, seen only by those who may see screenings (issue 9, item 6). Any other: the care plan.
TASK_SOURCE_CATEGORY: dict[str, str] = {TaskSource.SCREENING: Category.SCREENINGS}
TASK_DEFAULT_CATEGORY: str = Category.CARE_PLAN


def task_category(source: str) -> str:
    return TASK_SOURCE_CATEGORY.get(source, TASK_DEFAULT_CATEGORY)


def task_sources_in(category: str) -> list[str]:
    """The task sources whose tasks belong to ``category`` (other than the default)."""
    return [source for source, cat in TASK_SOURCE_CATEGORY.items() if cat == category]


class Task(LabelledById, YouthChild):
    """A next step with an owner (a person, a partner organization, or both), a due date and a state."""

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="tasks")
    title = EncryptedTextField()
    domain = models.CharField(_("domain"), max_length=30, choices=NeedDomain.choices, blank=True)
    owner_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=TaskState.choices, default=TaskState.OPEN)
    source = models.CharField(max_length=20, choices=TaskSource.choices, default=TaskSource.PLAN)
    source_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)  # last overdue reminder: at most one a day
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "created_at"]
        indexes = [
            models.Index(fields=["owner_person", "state", "due_on"], name="care_task_owner_due"),
            models.Index(fields=["owner_organization", "state", "due_on"], name="care_task_org_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_person__isnull=False) | Q(owner_organization__isnull=False),
                name="care_task_has_owner",
            )
        ]

    def is_overdue(self, today: datetime.date) -> bool:
        return self.state not in CLOSED_TASK_STATES and self.due_on is not None and self.due_on < today


CLOSED_TASK_STATES = frozenset({TaskState.DONE})


class ScreeningResult(LabelledById, YouthChild):
    """One screening of one youth with one instrument version: who screened, when, the answers, the
    scores and band as scored at the time (a re-scored instrument is a new version, never a rewrite)."""

    str_label = "screening"

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="results")
    screener = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    screened_on = models.DateField(_("date"))
    answers = EncryptedJSONField()
    section_scores = EncryptedJSONField()
    total = models.IntegerField()
    band = models.CharField(max_length=60, blank=True)  # blank: incomplete, band not yet known
    band_at_least = models.CharField(max_length=60)
    complete = models.BooleanField()
    rescreen_due_on = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-screened_on", "-recorded_at"]


class NoteState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Saved")


class CaseNote(LabelledById, YouthChild):
    """A contact with or about the youth. Drafts are autosaved and seen only by their author; a
    sensitive note is seen only by its author's organization and the Care Coordinator's team."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=NoteState.choices, default=NoteState.DRAFT)
    contact_type = models.CharField(_("contact"), max_length=20, choices=ContactType.choices, blank=True)
    contact_at = models.DateTimeField(_("when"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(_("minutes"), null=True, blank=True)
    with_whom = EncryptedTextField()
    narrative = EncryptedTextField()
    sensitive = models.BooleanField(_("sensitive"), default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    finalized_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-contact_at", "-created_at"]


class CaseClosure(LabelledById, YouthChild):
    """Closing the case, with a reason and an aftercare plan; re-opening fills ``reopened_at`` and
    keeps everything."""

    str_label = "closure"

    reason = models.CharField(_("reason"), max_length=20, choices=ClosureReason.choices)
    aftercare = EncryptedTextField()
    closed_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-closed_at"]


class Meeting(LabelledById, YouthChild):
    """A meeting about one youth: who was invited and came, agenda, notes, decisions. Action items
    become plan tasks (``Task.source = meeting``). The advisory council, which is about the program
    and not one youth, is not recorded here."""

    meeting_type = models.CharField(_("type"), max_length=30, choices=MeetingType.choices)
    scheduled_at = models.DateTimeField(_("when"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), null=True, blank=True)
    # Where it meets is location (an office near the youth's placement says where the youth is): kept
    # encrypted, shown and written only with the location category. A video link is a way in, so it
    # is encrypted too (issue 16, item 10).
    place = EncryptedTextField()
    video_link = EncryptedTextField()
    invited = models.ManyToManyField("accounts.Organization", related_name="+", blank=True)
    attended = models.ManyToManyField("accounts.Organization", related_name="+", blank=True)
    agenda = EncryptedTextField()
    notes = EncryptedTextField()
    decisions = EncryptedTextField()
    held_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-scheduled_at"]


class SafetyPlan(YouthChild):
    """The youth's own safety plan. Safe places are locations: shown and changed only with the
    location category."""

    youth = models.OneToOneField("youth.Youth", on_delete=models.CASCADE, related_name="safety_plan")
    risks_and_triggers = EncryptedTextField()
    warning_signs = EncryptedTextField()
    safe_people = EncryptedTextField()
    safe_places = EncryptedTextField()
    code_words = EncryptedTextField()
    technology_safety = EncryptedTextField()
    if_missing = EncryptedTextField()
    review_on = models.DateField(_("review date"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )


class StageAssessment(LabelledById, YouthChild):
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    movement = models.CharField(max_length=10, choices=Movement.choices)
    assessed_on = models.DateField(_("date"))
    note = EncryptedTextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-assessed_on", "-recorded_at"]


class OutcomeCheckIn(LabelledById, YouthChild):
    """The seed-004 outcome measures rated 1–5 on one date. Ratings are plain numbers (no one is
    identified by a 4 for "safe housing") so de-identified reports can count them."""

    str_label = "check-in"

    measured_on = models.DateField(_("date"))
    ratings = models.JSONField(default=dict)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-measured_on", "-recorded_at"]

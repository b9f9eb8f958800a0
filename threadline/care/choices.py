"""Choices shared by the care plan, tasks, meetings, case notes and closure (issue 6)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class NeedDomain(models.TextChoices):
    SAFETY = "safety", _("Safety")
    HOUSING = "housing", _("Housing")
    BASIC_NEEDS = "basic_needs", _("Basic needs")
    PHYSICAL_HEALTH = "physical_health", _("Physical health")
    BEHAVIORAL_HEALTH = "behavioral_health", _("Behavioral health")
    SUBSTANCE_USE = "substance_use", _("Substance use")
    EDUCATION = "education", _("Education")
    EMPLOYMENT = "employment", _("Employment")
    LEGAL = "legal", _("Legal")
    IDENTITY_DOCUMENTS = "identity_documents", _("Identity documents")
    FAMILY = "family", _("Family")
    SOCIAL_SUPPORT = "social_support", _("Social support")
    OTHER = "other", _("Other")


class PlanState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    UNDER_REVIEW = "under_review", _("Under review")
    CLOSED = "closed", _("Closed")


# Which plan state may follow which. Closed plans re-open to active: re-engagement is normal.
PLAN_TRANSITIONS: dict[str, frozenset[str]] = {
    PlanState.DRAFT: frozenset({PlanState.ACTIVE, PlanState.CLOSED}),
    PlanState.ACTIVE: frozenset({PlanState.UNDER_REVIEW, PlanState.CLOSED}),
    PlanState.UNDER_REVIEW: frozenset({PlanState.ACTIVE, PlanState.CLOSED}),
    PlanState.CLOSED: frozenset({PlanState.ACTIVE}),
}


class TaskState(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    BLOCKED = "blocked", _("Blocked")


class MeetingType(models.TextChoices):
    RAPID_RESPONSE = "rapid_response", _("Rapid response / initial staffing")
    CARE_COORDINATION = "care_coordination", _("Care coordination")
    SERVICE_STATUS = "service_status", _("Service status")
    PRE_DISCHARGE = "pre_discharge", _("Pre-discharge transitional")
    RECOVERY_ROUNDTABLE = "recovery_roundtable", _("Recovery roundtable (after a missing episode)")
    ADVISORY_COUNCIL = "advisory_council", _("Advisory council")


# The advisory council is about the program, never about one youth.
MEETINGS_WITHOUT_YOUTH = frozenset({MeetingType.ADVISORY_COUNCIL})


class ContactType(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    TEXT = "text", _("Text message")
    VIDEO = "video", _("Video")
    ATTEMPTED = "attempted", _("Attempted contact")


class ClosureReason(models.TextChoices):
    GOALS_MET = "goals_met", _("Goals met")
    AGED_OUT = "aged_out", _("Aged out")
    MOVED_AWAY = "moved_away", _("Moved away (mentorship continues)")
    YOUTH_DECLINED = "youth_declined", _("Youth declined services")
    LOST_CONTACT = "lost_contact", _("Lost contact")
    TRANSFERRED = "transferred", _("Transferred")
    DETAINED = "detained", _("Detained")
    DECEASED = "deceased", _("Deceased")
    OTHER = "other", _("Other")


class PlanChange(models.TextChoices):
    """What a revision of the care plan changed: stored as a code, shown in words (issue 16, item 2).
    The labels are also the timeline's wording for the change (``services.base._revise``)."""

    PLAN_STARTED = "plan_started", _("Care plan started")
    STATE_CHANGED = "state_changed", _("Care plan state changed")
    REVIEW_SET = "review_set", _("Care plan review date set")
    NEED_ADDED = "need_added", _("Need added to the care plan")
    GOAL_ADDED = "goal_added", _("Goal added to the care plan")
    NEED_CHANGED = "need_changed", _("Need updated")
    GOAL_CHANGED = "goal_changed", _("Goal updated")
    SERVICE_ADDED = "service_added", _("Service added to the care plan")
    TASK_ADDED = "task_added", _("Task added")
    TASK_CHANGED = "task_changed", _("Task updated")

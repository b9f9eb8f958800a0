"""Partner types (seed 004) and staff roles. Names are the ones a caseworker would use."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationType(models.TextChoices):
    CAC = "cac", _("Children's advocacy center")
    CASA = "casa", _("CASA")
    CSEY_ADVOCACY = "csey_advocacy", _("CSEY advocacy agency")
    DFPS_LOCAL = "dfps_local", _("DFPS local office")
    DFPS_REGIONAL = "dfps_regional", _("DFPS regional office")
    DFPS_TRAFFICKING = "dfps_trafficking", _("DFPS human trafficking unit")
    WRAPAROUND = "wraparound", _("Intensive wraparound provider")
    JUVENILE_PROBATION = "juvenile_probation", _("Juvenile probation")
    LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement")
    PROSECUTOR = "prosecutor", _("County or district attorney")
    JUDICIARY = "judiciary", _("Judiciary")
    LEGAL_AID = "legal_aid", _("Legal aid")
    PUBLIC_DEFENDER = "public_defender", _("Public defender")
    MEDICAL = "medical", _("Medical provider")
    MENTAL_HEALTH = "mental_health", _("Mental health provider")
    SCHOOL = "school", _("School")
    SEXUAL_ASSAULT_PROGRAM = "sexual_assault_program", _("Sexual assault program")
    NON_PROFIT = "non_profit", _("Non-profit")
    SURVIVOR_LEADER = "survivor_leader", _("Survivor-leader organization")
    STATE_JUVENILE_JUSTICE = "state_juvenile_justice", _("State juvenile justice")
    GOVERNOR_OFFICE = "governor_office", _("Office of the Governor")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    CARE_COORDINATOR = "care_coordinator", _("Care coordinator")
    CSEY_ADVOCATE = "csey_advocate", _("CSEY advocate")
    FAMILY_COORDINATOR = "family_coordinator", _("Family coordinator")
    PARTNER_STAFF = "partner_staff", _("Partner staff")
    SUPERVISOR = "supervisor", _("Supervisor")
    DIRECTORY_ADMIN = "directory_admin", _("Directory admin")
    PROGRAM_ADMIN = "program_admin", _("Program admin")
    AUDITOR = "auditor", _("Auditor")
    ANALYST = "analyst", _("Analyst")
    # Least privilege (issue 15): no youth data at all; a volunteer who mentors a youth is given that
    # youth through a mentor assignment, never through this role.
    VOLUNTEER = "volunteer", _("Volunteer")
    INTERN = "intern", _("Intern")
    # Long-term mentors (issue 14): the least access of anyone who meets a youth. Only the youths
    # assigned to them, only what the youth consented to share for mentoring.
    SURVIVOR_LEADER_MENTOR = "survivor_leader_mentor", _("Survivor leader (mentor)")
    PEER_MENTOR = "peer_mentor", _("Peer mentor")
    VOLUNTEER_MENTOR = "volunteer_mentor", _("Volunteer mentor")

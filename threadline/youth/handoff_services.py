"""A transfer's hand-off (issue 14): the receiving program's own record of the youth, carrying exactly
the categories the youth consented to share with it and nothing else.

The caller (``intake.transfer_services.transfer_accept``) has checked who acts, that the transfer is
pending for their program and that its consent is active, and ledgers the disclosure; ``source`` comes
from ``youth.policy.youth_for_transfer``. The sending record stays as it is: the sending team keeps its
own history there and never sees what the receiving program writes on the new record.

What travels per category (``youth.fields`` says which category each field is in):
- identity: names, date of birth and age, gender, pronouns, languages, other names, ways to reach them
  (with the safe-contact flags), counties, household (alleged-exploiter flags included: safety first),
  how they prefer to be met;
- legal: legal status; education: school;
- care plan: placements and missing episodes; location: the placements' addresses (with care plan only:
  an address belongs to a placement);
- the timeline entries of the consented categories (never the record's own bookkeeping).
Notes, plans and screenings kept by the rooms above stay with the sending program.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from threadline.access.categories import Category
from threadline.accounts.models import Membership
from threadline.youth.models import (
    HouseholdMember,
    MeetingPreference,
    MissingEpisode,
    Placement,
    PlacementAddress,
    TimelineEntry,
    Youth,
)
from threadline.youth.services import youth_create

IDENTITY_FIELDS = (
    "preferred_name",
    "legal_name",
    "date_of_birth",
    "gender_identity",
    "pronouns",
    "languages",
)


def _youth_fields(source: Youth, carried: set[str]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if Category.IDENTITY in carried:
        fields.update({name: getattr(source, name) for name in IDENTITY_FIELDS})
        if not source.date_of_birth and source.estimated_age is not None:
            fields["estimated_age"] = source.estimated_age
    if Category.LEGAL in carried:
        fields["legal_status"] = source.legal_status
    if Category.EDUCATION in carried:
        fields["school"] = source.school
    return fields


# What each copied row carries over (the rest is new: its own id, the new record, its own key).
HOUSEHOLD_FIELDS: tuple[str, ...] = ("name", "relationship", "is_guardian", "is_non_offending_caregiver")
HOUSEHOLD_FIELDS += ("contact_restrictions", "alleged_exploiter")
MEETING_FIELDS = ("ways", "places", "avoid")
PLACEMENT_FIELDS = ("placement_type", "started_on", "ended_on", "reason_ended", "felt_safe")
MISSING_FIELDS = ("started_at", "ended_at", "notifications", "return_debrief", "debrief_done_on")
TIMELINE_FIELDS = ("at", "kind", "category", "summary", "message", "organization")


def _copy(row: Any, source: Youth, youth: Youth, fields: tuple[str, ...], **extra: Any) -> Any:
    """A copy of ``row`` under ``youth``'s record. The row is read through ``source`` (the youth
    already loaded, whose key opens its encrypted fields)."""
    row.youth = source
    copy = type(row)(youth=youth, **{name: getattr(row, name) for name in fields}, **extra)
    copy.save(force_insert=True)
    return copy


def _copy_household(source: Youth, youth: Youth) -> None:
    for member in HouseholdMember.objects.filter(youth=source):
        _copy(member, source, youth, HOUSEHOLD_FIELDS)
    meeting = MeetingPreference.objects.filter(youth=source).first()
    if meeting is not None:
        _copy(meeting, source, youth, MEETING_FIELDS)


def _copy_care_plan(source: Youth, youth: Youth, *, with_addresses: bool) -> None:
    for placement in Placement.objects.filter(youth=source).order_by("started_on"):
        copy = _copy(placement, source, youth, PLACEMENT_FIELDS)
        address = PlacementAddress.objects.filter(placement=placement).first() if with_addresses else None
        if address is not None:
            _copy(address, source, youth, ("address",), placement=copy)
    for episode in MissingEpisode.objects.filter(youth=source):
        _copy(episode, source, youth, MISSING_FIELDS)


def _copy_timeline(source: Youth, youth: Youth, carried: set[str]) -> None:
    wanted = sorted(carried - {Category.RECORD})
    for entry in TimelineEntry.objects.filter(youth=source, category__in=wanted).order_by("at"):
        _copy(entry, source, youth, TIMELINE_FIELDS)


def youth_handoff_copy(*, membership: Membership, source: Youth, categories: Iterable[str]) -> Youth:
    """The receiving program's record: a new youth opened by ``membership`` (its organization and the
    accepting person join the team, a ledger row is written), carrying the consented categories only."""
    carried = set(categories) - {Category.RECORD}
    identity = Category.IDENTITY in carried
    with transaction.atomic():
        youth = youth_create(
            membership=membership,
            aliases=[(a.kind, a.name) for a in source.aliases.all()] if identity else [],
            contact_ways=[
                {
                    "kind": w.kind,
                    "value": w.value,
                    "safe_to_contact": w.safe_to_contact,
                    "safe_to_leave_message": w.safe_to_leave_message,
                }
                for w in source.contact_ways.all()
            ]
            if identity
            else [],
            counties=[(c.county, c.kind) for c in source.counties.all()] if identity else [],
            **_youth_fields(source, carried),
        )
        if identity:
            _copy_household(source, youth)
        if Category.CARE_PLAN in carried:
            _copy_care_plan(source, youth, with_addresses=Category.LOCATION in carried)
        _copy_timeline(source, youth, carried)
    return youth

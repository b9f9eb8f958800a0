"""Every write to the youth record: typed, keyword-only, one transaction each, a ledger row inside."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from threadline.access.categories import Category
from threadline.access.models import CareTeamMember, TeamRole
from threadline.accounts.models import Membership
from threadline.audit import ledger
from threadline.core.actions import Action
from threadline.core.cleaning import clean_choice
from threadline.core.dates import age_on
from threadline.core.errors import EditConflict
from threadline.core.policy import may, require
from threadline.crypto.datakeys import data_key_create
from threadline.youth import timeline_messages as msg
from threadline.youth.county_services import main_county_refresh
from threadline.youth.fields import YOUTH_EDITABLE, categories_of, youth_field_category
from threadline.youth.models import (
    Alias,
    ConnectionKind,
    ContactWay,
    CountyConnection,
    HouseholdMember,
    LegalStatus,
    MissingEpisode,
    Placement,
    PlacementAddress,
    PlacementType,
    Youth,
    new_reference,
)
from threadline.youth.policy import (
    Opened,
    YouthNotFound,
    access_youth,
    open_youth,
    reference_in_use,
)
from threadline.youth.said import Choice
from threadline.youth.search_index import reindex
from threadline.youth.timeline import timeline_add, timeline_note

# Fields a person may change on the youth itself. Anything else in a request is ignored (no mass
# assignment of version, status, data key, reference...). Each belongs to one category (``fields``).
EDITABLE_FIELDS = YOUTH_EDITABLE
IDENTIFYING_FIELDS = {
    "preferred_name",
    "legal_name",
    "date_of_birth",
    "gender_identity",
    "pronouns",
    "school",
}


def _clean_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in EDITABLE_FIELDS:
        if name not in changes:
            continue
        value = changes[name]
        if name == "date_of_birth":
            if value in (None, ""):
                value = None
            elif isinstance(value, str):
                try:
                    value = datetime.date.fromisoformat(value)
                except ValueError:
                    errors[name] = gettext("Use a date like 2010-04-30.")
                    continue
            if value is not None and not (datetime.date(1990, 1, 1) <= value <= timezone.localdate()):
                errors[name] = gettext("That date of birth is not possible.")
                continue
        elif name == "estimated_age":
            if value in (None, ""):
                value = None
            else:
                try:
                    value = int(value)
                except (TypeError, ValueError):
                    errors[name] = gettext("Age must be a number.")
                    continue
                if not 0 <= value <= 30:
                    errors[name] = gettext("Age must be between 0 and 30.")
                    continue
        elif name == "languages":
            if isinstance(value, str):
                value = [v.strip() for v in value.split(",") if v.strip()]
            if not isinstance(value, list) or not all(isinstance(v, str) and len(v) <= 40 for v in value):
                errors[name] = gettext("Languages must be a list of names.")
                continue
        elif name == "legal_status":
            if value not in LegalStatus.values:
                errors[name] = gettext("Unknown legal status.")
                continue
        else:
            value = "" if value is None else str(value).strip()
            if len(value) > 200:
                errors[name] = gettext("Please keep this under 200 characters.")
                continue
        clean[name] = value
    if errors:
        raise ValidationError(errors)
    return clean


def _apply_age(youth: Youth) -> None:
    if youth.date_of_birth:
        today = timezone.localdate()
        youth.estimated_age = age_on(youth.date_of_birth, today)
        youth.age_recorded_on = today
    elif youth.estimated_age is not None:
        youth.age_recorded_on = timezone.localdate()


def _save_with_unique_reference(youth: Youth, attempts: int = 8) -> None:
    """Reference codes are short and random (about 244 million of them), so two youths can draw the
    same one: draw again rather than fail the whole intake."""
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                youth.save(force_insert=True)
            return
        except IntegrityError:
            if attempt == attempts - 1 or not reference_in_use(youth.reference):
                raise
            youth.reference = new_reference()


def youth_create(
    *,
    membership: Membership,
    aliases: Iterable[tuple[str, str]] = (),
    contact_ways: Iterable[Mapping[str, Any]] = (),
    counties: Iterable[tuple[str, str]] = (),
    **fields: Any,
) -> Youth:
    """Create a youth. Nothing is required: a first name, a street name or nothing at all will do."""
    require(membership, Action.CREATE_YOUTH)
    clean = _clean_changes(fields)
    with transaction.atomic():
        youth = Youth(data_key=data_key_create(), created_by_org=membership.organization, **clean)
        _apply_age(youth)
        _save_with_unique_reference(youth)
        for kind, name in aliases:
            if name and name.strip():
                Alias(youth=youth, kind=kind, name=name.strip()[:200]).save(force_insert=True)
        for way in contact_ways:
            if str(way.get("value", "")).strip():
                ContactWay(
                    youth=youth,
                    kind=way.get("kind", "phone"),
                    value=str(way["value"]).strip()[:200],
                    safe_to_contact=way.get("safe_to_contact"),
                    safe_to_leave_message=way.get("safe_to_leave_message"),
                ).save(force_insert=True)
        connected = False
        for county, kind in counties:
            if county and kind in ConnectionKind.values:
                CountyConnection(youth=youth, county=county.strip()[:80], kind=kind).save(force_insert=True)
                connected = True
        if connected:
            main_county_refresh(youth)
        if may(membership, Action.LEAD_ADVOCACY):
            role = TeamRole.LEAD_ADVOCATE
        elif may(membership, Action.COORDINATE_CARE):
            role = TeamRole.CARE_COORDINATOR
        else:
            role = TeamRole.OTHER
        CareTeamMember.objects.create(
            youth=youth, organization=membership.organization, person=membership.user, role=role
        )
        reindex(youth)
        timeline_note(
            membership, youth, Category.RECORD, "record_created", msg.RECORD_OPENED(), ("youth", youth.pk)
        )
        written = set(categories_of("youth.Youth", clean)) | {Category.RECORD}
        if aliases or contact_ways or counties:
            written.add(Category.IDENTITY)
        ledger.entry(
            membership,
            "create",
            "youth",
            youth.pk,
            "new youth record",
            category=",".join(sorted(written)),
            youth_id=youth.pk,
        )
    return youth


def youth_update(
    *, membership: Membership, youth_id: Any, version: int, changes: Mapping[str, Any]
) -> Opened:
    """Change the youth's own fields. ``version`` is the one the person started from; if someone saved
    in between, nothing is written and EditConflict says what they changed (only fields of categories
    this person may write, which are the only ones they may send). Opens the record once (locked, one
    ledger row) and hands it back, so the caller can show it without opening it again.

    Each field is written under its own category (``youth.fields``): identity consent lets a partner
    change a name, not the school or the legal status. A field outside the person's categories is
    refused (ValidationError naming it), and nothing is written."""
    clean = _clean_changes(changes)
    wanted = categories_of("youth.Youth", clean)
    with transaction.atomic():
        opened = open_youth(
            membership,
            youth_id,
            [Category.RECORD, *sorted(wanted)],
            write=True,
            purpose="edit record",
            require=Category.RECORD,
            lock=True,
        )
        refused = sorted(name for name in clean if youth_field_category(name) not in opened.categories)
        if refused:
            raise ValidationError(
                # Raising rolls back the ledger row too: nothing was disclosed or changed.
                {
                    name: gettext("This is not shared with your organization; it was not changed.")
                    for name in refused
                }
            )
        if not clean:
            return opened
        youth = opened.youth
        if youth.version != version:
            theirs = {name: getattr(youth, name) for name in clean}
            raise EditConflict(current_version=youth.version, theirs=theirs, yours=dict(clean))
        for name, value in clean.items():
            setattr(youth, name, value)
        _apply_age(youth)
        youth.version += 1
        youth.updated_at = timezone.now()
        youth.save()
        if IDENTIFYING_FIELDS & clean.keys():
            reindex(youth)
        for category in sorted(wanted):
            # One entry per category, so the timeline tells nobody that a field they may not see changed.
            timeline_note(
                membership, youth, category, "record_updated", msg.RECORD_UPDATED(), ("youth", youth.pk)
            )
    return opened


def alias_add(*, membership: Membership, youth_id: Any, name: str, kind: str = "alias") -> Alias:
    if not name.strip():
        raise ValidationError({"name": gettext("Type the name.")})
    return _identity_row_add(membership, youth_id, "add alias", Alias, kind=kind, name=name.strip()[:200])


def contact_way_add(
    *,
    membership: Membership,
    youth_id: Any,
    kind: str,
    value: str,
    safe_to_contact: bool | None = None,
    safe_to_leave_message: bool | None = None,
) -> ContactWay:
    if not value.strip():
        raise ValidationError({"value": gettext("Type the number or address.")})
    return _identity_row_add(
        membership,
        youth_id,
        "add contact way",
        ContactWay,
        kind=kind,
        value=value.strip()[:200],
        safe_to_contact=safe_to_contact,
        safe_to_leave_message=safe_to_leave_message,
    )


IdentityRow = TypeVar("IdentityRow", Alias, ContactWay)


def _identity_row_add(
    membership: Membership, youth_id: Any, purpose: str, model: type[IdentityRow], /, **fields: Any
) -> IdentityRow:
    """A name the youth goes by or a way to reach them: the row, and the youth re-indexed for the
    duplicate matcher, in one transaction with the opening of the youth's identity (its ledger row)."""
    with transaction.atomic():
        youth = access_youth(membership, youth_id, Category.IDENTITY, write=True, purpose=purpose)
        row = model(youth=youth, **fields)
        row.save(force_insert=True)
        reindex(youth)
    return row


def household_member_add(
    *,
    membership: Membership,
    youth_id: Any,
    name: str = "",
    relationship: str = "",
    is_guardian: bool = False,
    is_non_offending_caregiver: bool = False,
    contact_restrictions: str = "",
    alleged_exploiter: bool = False,
) -> HouseholdMember:
    if not name.strip() and not relationship.strip():
        # A row with nothing in it would later be offered as "the adult who signed" (issue 9, item 8).
        raise ValidationError({"name": gettext("Type a name or how this person is related to the youth.")})
    if alleged_exploiter and is_non_offending_caregiver:
        raise ValidationError(
            {
                "alleged_exploiter": gettext(
                    "A person flagged as an alleged exploiter cannot be a non-offending caregiver."
                )
            }
        )
    with transaction.atomic():
        youth = access_youth(
            membership, youth_id, Category.IDENTITY, write=True, purpose="add household member"
        )
        member = HouseholdMember(
            youth=youth,
            name=name.strip()[:200],
            relationship=relationship.strip()[:60],
            is_guardian=is_guardian,
            is_non_offending_caregiver=is_non_offending_caregiver,
            contact_restrictions=contact_restrictions.strip()[:500],
            alleged_exploiter=alleged_exploiter,
        )
        member.save(force_insert=True)
        if member.is_guardian and not member.alleged_exploiter:
            reindex(youth)  # the matcher compares a referral's guardian with the youth's guardians
    return member


def household_member_flag_exploiter(*, membership: Membership, youth_id: Any, member_id: Any) -> None:
    """Flag at once: any consent given through this person stops counting on the next request."""
    with transaction.atomic():
        youth = access_youth(
            membership, youth_id, Category.IDENTITY, write=True, purpose="flag household member"
        )
        member = HouseholdMember.objects.select_for_update().get(pk=member_id, youth=youth)
        member.alleged_exploiter = True
        member.is_non_offending_caregiver = False
        member.version += 1
        member.save(update_fields=["alleged_exploiter", "is_non_offending_caregiver", "version"])
        if member.is_guardian:
            reindex(youth)  # a flagged guardian stops counting for the matcher too
        timeline_note(
            membership,
            youth,
            Category.IDENTITY,
            "household_flagged",
            msg.HOUSEHOLD_FLAGGED(),
            ("household_member", member.pk),
        )


def placement_add(
    *,
    membership: Membership,
    youth_id: Any,
    placement_type: str,
    started_on: datetime.date,
    address: str = "",
    felt_safe: bool | None = None,
) -> Placement:
    # Refused with the field's message, never a 500 on the timeline's label below.
    placement_type = clean_choice(placement_type, PlacementType, field="placement_type")
    with transaction.atomic():
        # A placement is where the youth lives: the location category (issue 16, item 5).
        youth = access_youth(membership, youth_id, Category.LOCATION, write=True, purpose="record placement")
        Placement.objects.filter(youth=youth, ended_on__isnull=True).update(
            ended_on=started_on, reason_ended="new placement"
        )
        placement = Placement(
            youth=youth, placement_type=placement_type, started_on=started_on, felt_safe=felt_safe
        )
        placement.save(force_insert=True)
        if address.strip():
            PlacementAddress(youth=youth, placement=placement, address=address.strip()[:300]).save(
                force_insert=True
            )
        timeline_add(
            youth=youth,
            kind="placement",
            category=Category.LOCATION,
            summary=msg.PLACEMENT_NEW(placement_type=Choice(PlacementType(placement.placement_type))),
            membership=membership,
            object_type="placement",
            object_id=placement.pk,
            # A date without a time: the start of that day, so it sorts below whatever happened later
            # that day, and the timeline shows the date alone.
            at=timezone.make_aware(datetime.datetime.combine(started_on, datetime.time.min)),
            date_only=True,
        )
    return placement


def missing_episode_open(
    *, membership: Membership, youth_id: Any, started_at: datetime.datetime
) -> MissingEpisode:
    with transaction.atomic():
        youth = access_youth(membership, youth_id, Category.CARE_PLAN, write=True, purpose="report missing")
        episode = MissingEpisode(youth=youth, started_at=started_at)
        episode.save(force_insert=True)
        timeline_note(
            membership,
            youth,
            Category.CARE_PLAN,
            "missing_started",
            msg.MISSING_STARTED(),
            ("missing_episode", episode.pk),
            at=started_at,
        )
    return episode


def missing_episode_notify(
    *,
    membership: Membership,
    youth_id: Any,
    episode_id: Any,
    to: str,
    at: datetime.datetime,
    reference: str = "",
) -> MissingEpisode:
    with transaction.atomic():
        youth = access_youth(
            membership, youth_id, Category.CARE_PLAN, write=True, purpose="missing notification"
        )
        episode = MissingEpisode.objects.select_for_update().get(pk=episode_id, youth=youth)
        episode.notifications = [
            *episode.notifications,
            {"to": to[:80], "at": at.isoformat(), "reference": reference[:60]},
        ]
        episode.save(update_fields=["notifications"])
    return episode


def missing_episode_close(
    *, membership: Membership, youth_id: Any, episode_id: Any, ended_at: datetime.datetime, debrief: str = ""
) -> MissingEpisode:
    with transaction.atomic():
        youth = access_youth(
            membership, youth_id, Category.CARE_PLAN, write=True, purpose="return from missing"
        )
        return missing_episode_end(
            youth=youth, membership=membership, episode_id=episode_id, ended_at=ended_at, debrief=debrief
        )


def missing_episode_end(
    *, youth: Youth, membership: Membership, episode_id: Any, ended_at: datetime.datetime, debrief: str = ""
) -> MissingEpisode:
    """The return itself, on a youth the caller opened (care plan, write) in its own transaction."""
    episode = MissingEpisode.objects.select_for_update().filter(pk=episode_id, youth=youth).first()
    if episode is None:
        raise YouthNotFound
    if ended_at < episode.started_at:
        raise ValidationError({"ended_at": gettext("The return cannot be before the start.")})
    episode.ended_at = ended_at
    if debrief.strip():
        episode.return_debrief = debrief.strip()
        episode.debrief_done_on = timezone.localdate()
    episode.save()
    timeline_note(
        membership,
        youth,
        Category.CARE_PLAN,
        "missing_ended",
        msg.MISSING_ENDED(),
        ("missing_episode", episode.pk),
        at=ended_at,
    )
    return episode


def youth_reference_assign(*, membership: Membership, youth_id: Any, reference: str) -> None:
    """Give a record a chosen code. Demo data only (stable codes like Y-DEMCAA make the demo
    idempotent and easy to talk about); refused outside DEMO_MODE."""
    from django.conf import settings

    if not settings.DEMO_MODE:
        raise PermissionDenied
    with transaction.atomic():
        youth = access_youth(membership, youth_id, Category.RECORD, write=True, purpose="demo record code")
        youth.reference = reference
        youth.save(update_fields=["reference"])

"""Every write of family services: typed, keyword-only, one transaction each, with a ledger row inside
(``open_family_client`` writes it). The vocabulary is the care room's; the text and choice checks are
every room's (``core.cleaning``)."""

from __future__ import annotations

import datetime
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from threadline.access.categories import Category
from threadline.access.models import CareTeamMember, TeamRole
from threadline.accounts.models import Membership
from threadline.care.choices import ContactType, NeedDomain, TaskState
from threadline.core.actions import Action
from threadline.core.cleaning import clean_choice, clean_text
from threadline.core.errors import expect_version
from threadline.core.ids import uuid_or_none
from threadline.core.policy import may
from threadline.crypto.datakeys import data_key_create
from threadline.family import timeline_messages as msg
from threadline.family.models import (
    FamilyClient,
    FamilyMeeting,
    FamilyNeed,
    FamilyNote,
    FamilyReferral,
    FamilyReferralState,
    FamilyTask,
)
from threadline.family.policy import open_family_client
from threadline.youth.events import Entry, youth_event
from threadline.youth.policy import YouthNotFound, access_youth, active_team

Row = TypeVar("Row", FamilyNeed, FamilyTask, FamilyNote, FamilyMeeting, FamilyReferral)


def family_coordinators(organization_id: int) -> list[Membership]:
    """The people of this organization who may serve families (the choice of a family client's
    Family Coordinator): asked through ``may``, never by role name."""
    rows = Membership.objects.filter(
        organization_id=organization_id, is_active=True, user__is_active=True
    ).select_related("user", "organization")
    return [m for m in rows if may(m, Action.SERVE_FAMILIES)]


def family_client_open(
    *, membership: Membership, youth_id: Any, household_member_id: Any, coordinator_id: int
) -> FamilyClient:
    """A caregiver or sibling in the youth's household becomes a family client of the Family
    Coordinator. Whoever refers them must see the household (the youth's identity category); an
    alleged exploiter can never be one. The Family Coordinator joins the youth's care team, which
    gives them the record's shell only: every other category of the youth needs the youth's consent
    for family services."""
    if not may(membership, Action.SERVE_FAMILIES):
        raise YouthNotFound
    with transaction.atomic():
        youth = access_youth(
            membership, youth_id, Category.IDENTITY, write=True, purpose="refer to family services"
        )
        member = youth.household.filter(pk=uuid_or_none(household_member_id)).first()
        if member is None:
            raise ValidationError({"household_member": _("Choose a person from the household.")})
        member.youth = youth
        if member.alleged_exploiter:
            raise ValidationError(
                {
                    "household_member": _(
                        "A person flagged as an alleged exploiter cannot receive family services."
                    )
                }
            )
        if FamilyClient.objects.filter(household_member=member).exists():
            raise ValidationError({"household_member": _("This person already receives family services.")})
        coordinator = next(
            (m for m in family_coordinators(membership.organization.pk) if m.user.pk == coordinator_id), None
        )
        if coordinator is None:
            raise ValidationError({"coordinator": _("Choose a Family Coordinator of your organization.")})
        client = FamilyClient(
            data_key=data_key_create(),
            youth=youth,
            household_member=member,
            organization=membership.organization,
            coordinator=coordinator.user,
        )
        client.name = member.name
        client.relationship = member.relationship
        client.save(force_insert=True)
        team = active_team(timezone.now()).filter(youth=youth, person=coordinator.user)
        if not team.exists():
            CareTeamMember.objects.create(
                youth=youth,
                organization=membership.organization,
                person=coordinator.user,
                role=TeamRole.FAMILY_COORDINATOR,
            )
        youth_event(
            membership,
            youth,
            action="family_client_open",
            object_type="family_client",
            object_id=client.pk,
            category=Category.IDENTITY,
            purpose="household member referred to family services",
            entry=Entry("family_services", Category.CARE_PLAN, msg.FAMILY_SERVICES()),
        )
    return client


def family_need_add(
    *, membership: Membership, client_id: Any, domain: str, description: str = ""
) -> FamilyNeed:
    domain = clean_choice(domain, NeedDomain, field="domain")
    description = clean_text(description, field="description")
    return _add(membership, client_id, "add need", FamilyNeed, domain=domain, description=description)


def family_task_add(
    *,
    membership: Membership,
    client_id: Any,
    title: str,
    due_on: datetime.date | None = None,
) -> FamilyTask:
    """A step of the family's plan, owned by the person who adds it."""
    title = clean_text(title, field="title", required=True, limit=300)
    return _add(
        membership, client_id, "add task", FamilyTask, title=title, owner=membership.user, due_on=due_on
    )


def family_task_set_state(
    *, membership: Membership, client_id: Any, task_id: Any, state: str, version: int
) -> FamilyTask:
    """Versioned: a second tab never silently overwrites the first (``EditConflict``)."""
    state = clean_choice(state, TaskState, field="state")
    with transaction.atomic():
        client = open_family_client(membership, client_id, write=True, purpose="update task")
        task = _locked(FamilyTask, client, task_id)
        expect_version(task, version)
        task.state = state
        task.version += 1
        task.save(update_fields=["state", "version"])
    return task


def family_note_add(
    *,
    membership: Membership,
    client_id: Any,
    contact_type: str,
    narrative: str,
    contact_at: datetime.datetime | None = None,
) -> FamilyNote:
    contact_type = clean_choice(contact_type, ContactType, field="contact_type")
    narrative = clean_text(
        narrative, field="narrative", required=contact_type != ContactType.ATTEMPTED, limit=20000
    )
    return _add(
        membership,
        client_id,
        "add note",
        FamilyNote,
        author=membership.user,
        contact_type=contact_type,
        contact_at=contact_at or timezone.now(),
        narrative=narrative,
    )


def family_meeting_schedule(
    *, membership: Membership, client_id: Any, scheduled_at: datetime.datetime, purpose: str = ""
) -> FamilyMeeting:
    purpose = clean_text(purpose, field="purpose", limit=2000)
    return _add(
        membership,
        client_id,
        "schedule meeting",
        FamilyMeeting,
        scheduled_at=scheduled_at,
        purpose=purpose,
        created_by=membership.user,
    )


def family_referral_add(
    *, membership: Membership, client_id: Any, domain: str, provider_name: str
) -> FamilyReferral:
    domain = clean_choice(domain, NeedDomain, field="domain")
    provider_name = clean_text(provider_name, field="provider_name", required=True, limit=200)
    return _add(
        membership,
        client_id,
        "add referral",
        FamilyReferral,
        domain=domain,
        provider_name=provider_name,
        created_by=membership.user,
    )


def family_referral_set_state(
    *, membership: Membership, client_id: Any, referral_id: Any, state: str
) -> FamilyReferral:
    """Close the loop: connected, completed or declined."""
    state = clean_choice(state, FamilyReferralState, field="state")
    with transaction.atomic():
        client = open_family_client(membership, client_id, write=True, purpose="update referral")
        referral = _locked(FamilyReferral, client, referral_id)
        referral.state = state
        referral.save(update_fields=["state"])
    return referral


def _locked(model: type[Row], client: FamilyClient, row_id: Any) -> Row:
    """A row of this family client, locked for the write (another client's: ``DoesNotExist``, a 404).
    It carries the client already opened, so nothing reads the client's key again."""
    row = model._default_manager.select_for_update().get(pk=uuid_or_none(row_id), client=client)
    row.client = client
    return row


def _add(membership: Membership, client_id: Any, why: str, model: type[Row], /, **fields: Any) -> Row:
    """A new row of the family client's plan, in one transaction with the client's opening (which
    writes the ledger row)."""
    with transaction.atomic():
        client = open_family_client(membership, client_id, write=True, purpose=why)
        row = model(client=client, **fields)
        row.save(force_insert=True)
    return row

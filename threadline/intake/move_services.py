"""Relocation within a program (issue 14): the youth moves to another county or region of the same
program and the record follows them, in one transaction with its ledger row:

- the counties are updated (where they live and are now: the new county; where they were harmed
  stays, eligibility needs it);
- the new region's on-call advocate (the shift covering now) and the region's coordinator join the
  care team, so they see the record from the next request on;
- the advocate(s) who had the youth leave the team, unless they choose to stay (the thread does not
  break because an office is far away);
- the timeline tells the story, and a ``Relocation`` row remembers the youth's region.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from threadline.access.categories import Category
from threadline.access.models import CareTeamMember, TeamRole
from threadline.accounts.models import Membership, User
from threadline.audit import ledger
from threadline.core.actions import Action
from threadline.core.ids import int_or_zero
from threadline.core.policy import require
from threadline.intake import timeline_messages as msg
from threadline.intake.models import Region, Relocation
from threadline.intake.move_selectors import region_of_youth, regions_to_move_to
from threadline.intake.oncall import on_call_now
from threadline.youth import timeline_messages as youth_msg
from threadline.youth.county_services import main_county_refresh
from threadline.youth.models import ConnectionKind, CountyConnection, Youth
from threadline.youth.policy import access_youth, active_team
from threadline.youth.timeline import timeline_note


def _county_key(county: str) -> str:
    return " ".join(county.split()).lower().removesuffix(" county").strip()


def _checked_region(membership: Membership, region_id: Any, county: str) -> tuple[Region, str]:
    region = regions_to_move_to(membership=membership).filter(pk=int_or_zero(region_id)).first()
    if region is None:
        raise ValidationError({"region": _("Choose a region of your program.")})
    name = " ".join(county.split()).removesuffix(" County").strip()[:80]
    if not name:
        raise ValidationError({"county": _("Say which county they live in now.")})
    if region.counties and _county_key(name) not in {_county_key(c) for c in region.counties}:
        raise ValidationError(
            {"county": _("That county is not in this region. Choose the region that covers it.")}
        )
    match = next((c for c in region.counties if _county_key(c) == _county_key(name)), name)
    return region, match


def _newcomers(region: Region, membership: Membership, now: datetime.datetime) -> list[tuple[User, str]]:
    """The region's on-call advocate now and its coordinator, if they work for the program's
    organization (the rota could name someone who has left)."""
    shift = on_call_now(region=region, now=now)
    wanted: list[tuple[User | None, str]] = [
        (shift.primary if shift else None, TeamRole.LEAD_ADVOCATE),
        (region.coordinator, TeamRole.CARE_COORDINATOR),
    ]
    found: list[tuple[User, str]] = []
    for person, role in wanted:
        if person is None or not person.is_active:
            continue
        if not person.memberships.filter(organization=membership.organization, is_active=True).exists():
            continue
        if all(person.pk != p.pk for p, _ in found):
            found.append((person, role))
    return found


def _move_counties(youth: Youth, county: str) -> None:
    CountyConnection.objects.filter(
        youth=youth, kind__in=[ConnectionKind.RESIDES, ConnectionKind.PHYSICALLY_PRESENT]
    ).delete()
    CountyConnection(youth=youth, county=county, kind=ConnectionKind.RESIDES).save(force_insert=True)
    main_county_refresh(youth)


def _update_team(
    youth: Youth, membership: Membership, joining: list[tuple[User, str]], *, keep_advocate: bool
) -> tuple[list[str], list[str]]:
    now = timezone.now()
    today = timezone.localdate(now)
    team = active_team(now).filter(youth=youth, organization=membership.organization)
    joined: list[str] = []
    for person, role in joining:
        if not team.filter(person=person).exists():
            CareTeamMember.objects.create(
                youth=youth, organization=membership.organization, person=person, role=role, started_on=today
            )
            joined.append(person.get_full_name() or person.email)
    left: list[str] = []
    if not keep_advocate:
        staying = [p.pk for p, _ in joining]
        leaving = team.filter(role=TeamRole.LEAD_ADVOCATE, person__isnull=False).exclude(
            person_id__in=staying
        )
        for member in leaving.select_related("person"):
            member.ended_on = today - datetime.timedelta(days=1)
            member.save(update_fields=["ended_on"])
            assert member.person is not None
            left.append(member.person.get_full_name() or member.person.email)
    return joined, left


def youth_relocate(
    *,
    membership: Membership,
    youth_id: Any,
    region_id: Any,
    county: str,
    keep_advocate: bool = False,
) -> Relocation:
    """The youth moved to ``county`` in ``region`` of the same program. See the module's docstring."""
    require(membership, Action.RELOCATE_YOUTH)
    now = timezone.now()
    with transaction.atomic():
        youth = access_youth(
            membership, youth_id, Category.IDENTITY, write=True, purpose="move to another region", lock=True
        )
        region, county = _checked_region(membership, region_id, county)
        before = region_of_youth(membership=membership, youth=youth, fallback=region.program)
        if before is not None and before.program_id != region.program_id:
            raise ValidationError(
                {"region": _("That region belongs to another program: ask for a transfer instead.")}
            )
        _move_counties(youth, county)
        joined, left = _update_team(
            youth, membership, _newcomers(region, membership, now), keep_advocate=keep_advocate
        )
        move = Relocation.objects.create(
            youth=youth,
            program=region.program,
            from_region=before,
            to_region=region,
            advocate_stayed=keep_advocate,
            moved_at=now,
            moved_by=membership.user,
        )
        _story(youth, membership, move, county=county, joined=joined, left=left)
        ledger.entry(
            membership,
            "relocate",
            "relocation",
            move.pk,
            f"region {before.pk if before else '-'} -> {region.pk}",
            category=Category.IDENTITY,
            youth_id=youth.pk,
        )
    return move


def _story(
    youth: Youth, membership: Membership, move: Relocation, *, county: str, joined: list[str], left: list[str]
) -> None:
    where = {"region": move.to_region.name, "county": county}
    moved = (
        msg.MOVED_FROM(from_region=move.from_region.name, **where) if move.from_region else msg.MOVED(**where)
    )
    timeline_note(
        membership,
        youth,
        Category.IDENTITY,
        "relocated",
        moved,
        ("relocation", move.pk),
        at=move.moved_at,
    )
    for name in joined:
        timeline_note(
            membership, youth, Category.RECORD, "team_joined", youth_msg.TEAM_JOINED(organization=name)
        )
    for name in left:
        timeline_note(membership, youth, Category.RECORD, "team_left", youth_msg.TEAM_LEFT(organization=name))
    if move.advocate_stayed:
        timeline_note(membership, youth, Category.RECORD, "team_stayed", msg.ADVOCATE_STAYED())

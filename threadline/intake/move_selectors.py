"""Reads for relocation and transfer (issue 14): which regions a youth may move to, which region and
program a youth is in now, and the transfers a person's organization sends or receives."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from threadline.accounts.models import Membership
from threadline.intake.models import Program, Referral, Region, Relocation, Transfer
from threadline.intake.routing import region_for
from threadline.intake.selectors import programs_for
from threadline.youth.models import ConnectionKind, CountyConnection, Youth


def regions_to_move_to(*, membership: Membership) -> QuerySet[Region]:
    """The regions of the programs this person works on (a relocation stays within one program)."""
    return (
        Region.objects.filter(program__in=programs_for(membership=membership))
        .select_related("program", "coordinator")
        .order_by("program__name", "name")
    )


def _home_county(youth: Youth) -> str:
    """The county the youth lives in (or is in now), from a record already opened for identity."""
    rows = {c.kind: c.county for c in CountyConnection.objects.filter(youth=youth)}
    return rows.get(ConnectionKind.RESIDES) or rows.get(ConnectionKind.PHYSICALLY_PRESENT) or ""


def program_of_youth(
    *, membership: Membership, youth: Youth, fallback: Program | None = None
) -> Program | None:
    """The program of this person's organization that serves the youth: the one they last moved
    within, else the one their referral came to, else ``fallback``, else the organization's first."""
    mine = programs_for(membership=membership)
    moved = Relocation.objects.filter(youth=youth, program__in=mine).select_related("program").first()
    if moved is not None:
        return moved.program
    referred = Referral.objects.filter(youth=youth, program__in=mine).select_related("program").first()
    if referred is not None:
        return referred.program
    if fallback is not None:
        return fallback
    return mine.filter(organization=membership.organization).first() or mine.first()


def region_of_youth(
    *, membership: Membership, youth: Youth, fallback: Program | None = None
) -> Region | None:
    """The youth's region now: where they last moved to, else where their county is routed."""
    program = program_of_youth(membership=membership, youth=youth, fallback=fallback)
    if program is None:
        return None
    moved = Relocation.objects.filter(youth=youth, program=program).select_related("to_region").first()
    if moved is not None:
        return moved.to_region
    return region_for(program=program, county=_home_county(youth))


def programs_to_transfer_to(*, membership: Membership) -> QuerySet[Program]:
    """Programs run by another organization on this installation."""
    return (
        Program.objects.filter(organization__isnull=False, organization__is_active=True)
        .exclude(organization=membership.organization)
        .select_related("organization")
        .order_by("name")
    )


def transfers_incoming(*, membership: Membership) -> QuerySet[Transfer]:
    """Transfers to this person's organization's programs. No youth data: the receiving program
    learns who the youth is only when it accepts (and then only what was consented)."""
    return (
        Transfer.objects.filter(to_program__organization=membership.organization)
        .select_related("from_program__organization", "to_program", "requested_by")
        .order_by("state", "-requested_at")
    )


def transfers_outgoing(*, membership: Membership) -> QuerySet[Transfer]:
    return (
        Transfer.objects.filter(from_program__organization=membership.organization)
        .select_related("from_program", "to_program__organization", "decided_by")
        .order_by("state", "-requested_at")
    )


def transfers_of_youth(*, youth: Youth) -> list[Any]:
    """The transfers of a record already opened by the caller (sent from it or received as it)."""
    return list(Transfer.objects.filter(youth=youth).select_related("to_program", "from_program")) + list(
        Transfer.objects.filter(received_youth=youth).select_related("to_program", "from_program")
    )

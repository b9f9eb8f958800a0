"""Routing (issue 13): which region's rota answers a referral, and how fast it must.

County -> region comes from the program's routing data (each region lists the counties its office
covers; the program admin keeps it). A county that is unknown or in no region goes to the program's
default region. What the referrer said about urgency decides the alert's kind and escalation clock;
"immediate danger" pages the on-call at once with the shortest clock (and the referrer is told to
call 911: ``CALL_911``).
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from threadline.accounts.models import Membership
from threadline.core.actions import Action
from threadline.core.policy import may, require
from threadline.intake import oncall
from threadline.intake.ledger_rows import record_referral, record_row
from threadline.intake.models import Alert, Program, Referral, Region, Urgency
from threadline.intake.selectors import program_is_managed_by, referral_locked

# Minutes before an unacknowledged alert goes to the next person.
URGENCY_CLOCK: dict[str, int] = {
    Urgency.IMMEDIATE_DANGER: 5,
    Urgency.RUNAWAY_NOW: 15,
    Urgency.IN_CUSTODY: 30,
    Urgency.OTHER: 60,
}
URGENT_UNSPECIFIED_CLOCK = 15  # "urgent" ticked without saying why
URGENT = {Urgency.IMMEDIATE_DANGER, Urgency.RUNAWAY_NOW, Urgency.IN_CUSTODY}

CALL_911 = gettext_lazy(
    "If the young person is in immediate danger, call 911 now. We are paging the on-call advocate."
)


def _key(county: str) -> str:
    name = " ".join(county.split()).lower()
    return name.removesuffix(" county").strip()


def region_for(*, program: Program, county: str) -> Region | None:
    """The region whose counties include ``county``; else the program's default region; else (a
    program without routing data yet) its first region by name."""
    regions = list(program.regions.order_by("name"))
    wanted = _key(county)
    if wanted:
        for region in regions:
            if wanted in {_key(name) for name in region.counties}:
                return region
    for region in regions:
        if region.is_default:
            return region
    return regions[0] if regions else None


def alert_kind_and_clock(referral: Referral) -> tuple[str, int]:
    if referral.urgency == Urgency.IMMEDIATE_DANGER:
        return Alert.Kind.IMMEDIATE_DANGER, URGENCY_CLOCK[Urgency.IMMEDIATE_DANGER]
    if referral.urgency in URGENT:
        return Alert.Kind.URGENT_REFERRAL, URGENCY_CLOCK[referral.urgency]
    if referral.urgent:
        return Alert.Kind.URGENT_REFERRAL, URGENT_UNSPECIFIED_CLOCK
    return Alert.Kind.NEW_REFERRAL, URGENCY_CLOCK[Urgency.OTHER]


def referral_route(
    *, referral: Referral, now: datetime, membership: Membership | None = None
) -> Alert | None:
    """Inside the submitting transaction: choose the region and alert its rota."""
    region = region_for(program=referral.program, county=referral.county)
    referral.region = region
    referral.urgent = referral.urgent or referral.urgency in URGENT
    referral.save(update_fields=["region", "urgent"])
    if region is None:
        return None
    return _alert_rota(referral, region, now, membership)


def _alert_rota(referral: Referral, region: Region, now: datetime, membership: Membership | None) -> Alert:
    """The region's rota alerted about the referral: kind and clock from its urgency, started when it
    was received."""
    kind, minutes = alert_kind_and_clock(referral)
    return oncall.alert_raise(
        region=region,
        kind=kind,
        now=now,
        object_type="referral",
        object_id=referral.pk,
        started_at=referral.received_at,
        membership=membership,
        escalate_after_minutes=minutes,
    )


def referral_reroute(
    *, membership: Membership, referral_id: object, region_id: int, now: datetime | None = None
) -> Referral:
    """A coordinator sends the referral to another region: the open alert there is closed (trail:
    re-routed) and the new region's rota is alerted with the same clock."""
    require(membership, Action.REROUTE_REFERRAL)
    now = now or timezone.now()
    with transaction.atomic():
        referral = referral_locked(membership=membership, referral_id=referral_id)
        region = Region.objects.filter(pk=region_id, program=referral.program).first()
        if region is None:
            raise ValidationError({"region": _("Choose a region of this program.")})
        if referral.region_id == region.pk:
            return referral
        for alert in Alert.objects.select_for_update().filter(
            object_type="referral", object_id=str(referral.pk), acknowledged_at__isnull=True
        ):
            oncall.alert_mark_acknowledged(alert, membership=membership, now=now, detail="re-routed")
        referral.region = region
        referral.updated_at = now
        referral.save(update_fields=["region", "updated_at"])
        _alert_rota(referral, region, now, membership)
        record_referral(membership, referral, "update", f"re-routed to region {region.pk}")
    return referral


def region_routing_set(
    *, membership: Membership, region: Region, counties: list[str], is_default: bool
) -> Region:
    """The program admin keeps which counties each region's office answers for."""
    if not may(membership, Action.MANAGE_PROGRAM) or not program_is_managed_by(
        program=region.program, membership=membership
    ):
        raise PermissionDenied
    cleaned = sorted({" ".join(name.split()).removesuffix(" County") for name in counties if name.strip()})
    with transaction.atomic():
        if is_default:
            Region.objects.filter(program=region.program).exclude(pk=region.pk).update(is_default=False)
        region.counties = cleaned
        region.is_default = is_default
        region.save(update_fields=["counties", "is_default"])
        record_row(membership, region, "update", "referral routing", category="program")
    return region


def demo_routing_install(*, program: Program, regions: dict[str, list[str]], default: str) -> None:
    """Demo setup (and tests): regions with the counties their offices cover. Leaves a region's
    counties alone once set (a program admin may have changed them)."""
    with transaction.atomic():
        for name, counties in regions.items():
            region, _created = Region.objects.get_or_create(program=program, name=name)
            if not region.counties:
                region.counties = list(counties)
                region.is_default = name == default
                region.save(update_fields=["counties", "is_default"])

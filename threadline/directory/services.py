"""Every write to the directory: a provider's application, the vetting steps, the yearly audit.

One transaction each, a ledger row inside it, the search index rebuilt for what changed. Directory
admins (Action.MANAGE_DIRECTORY) do the vetting; providers act only through the public form and the
one-time audit link, and their corrections wait for an admin.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from threadline.audit import ledger
from threadline.core.actions import Action
from threadline.core.policy import require
from threadline.directory import models as m
from threadline.directory.geo import TEXAS_COUNTIES, zip_point
from threadline.directory.models import VettingStatus, Visibility
from threadline.directory.search_index import reindex_organization
from threadline.directory.taxonomy import (
    LANGUAGES,
    LINK_TYPE,
    POPULATION_TAXONOMY,
    SERVICE_TYPE_TAXONOMY,
    ensure_taxonomies,
    term_id,
)

if TYPE_CHECKING:
    from threadline.accounts.models import Membership

AUDIT_LINK_DAYS = 30
AUDIT_INTERVAL_DAYS = 365
CORRECTABLE = ("name", "description", "email", "website", "phone", "hours", "capacity_note")


def new_id() -> str:
    return str(uuid.uuid4())


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _record(membership: Membership | None, action: str, org: m.Organization, purpose: str) -> None:
    ledger.record(
        actor=membership.user if membership else None,
        organization=membership.organization if membership else None,
        action=action,
        object_type="directory_listing",
        object_id=org.id,
        category="directory",
        purpose=purpose,
    )


def _locked(organization_id: str) -> m.Organization:
    org = m.Organization.objects.select_for_update().filter(id=organization_id).first()
    if org is None:
        raise m.Organization.DoesNotExist
    return org


def _save(org: m.Organization, fields: list[str]) -> None:
    org.version += 1
    org.save(update_fields=[*fields, "version"])
    m.Service.objects.filter(organization_id=org.id).update(last_modified=timezone.now())
    reindex_organization(org.id)


# --- the public application --------------------------------------------------------------------


@dataclass
class ApplicationData:
    organization_name: str
    description: str
    service_name: str = ""
    email: str = ""
    website: str = ""
    phone: str = ""
    address_1: str = ""
    city: str = ""
    postal_code: str = ""
    confidential_address: bool = False
    counties: list[str] = field(default_factory=list)  # FIPS codes
    service_types: list[str] = field(default_factory=list)
    populations: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    minimum_age: int | None = None
    maximum_age: int | None = None
    contact_name: str = ""
    victim_centered: str = ""
    sustainable_management: str = ""
    collaboration: str = ""
    ability_to_serve: str = ""
    accepts_referrals: bool = True
    accepts_warm_transfers: bool = False


def _application_location(data: ApplicationData, org: m.Organization) -> m.Location:
    """The applicant's place; a confidential one never gets a point on the map."""
    point = zip_point(data.postal_code)
    location = m.Location.objects.create(
        id=new_id(),
        organization_id=org.id,
        location_type="physical",
        name=org.name,
        confidential=data.confidential_address,
        latitude=None if data.confidential_address or point is None else point.lat,
        longitude=None if data.confidential_address or point is None else point.lon,
    )
    m.Address.objects.create(
        id=new_id(),
        location_id=location.id,
        address_1=data.address_1.strip() or "-",
        city=data.city.strip() or "-",
        state_province="TX",
        postal_code=data.postal_code.strip(),
        country="US",
        address_type="physical",
    )
    return location


def application_submit(*, data: ApplicationData) -> m.Organization:
    """A provider applies. Everything arrives private and unvetted; nothing is public until an admin
    approves it."""
    ensure_taxonomies()
    now = timezone.now()
    with transaction.atomic():
        org = m.Organization.objects.create(
            id=new_id(),
            name=data.organization_name.strip(),
            description=data.description.strip(),
            email=data.email.strip(),
            website=data.website.strip(),
            vetting_status=VettingStatus.APPLIED,
            visibility=Visibility.PRIVATE,
            applied_at=now,
            accepts_referrals=data.accepts_referrals,
        )
        service = m.Service.objects.create(
            id=new_id(),
            organization_id=org.id,
            name=(data.service_name or data.organization_name).strip(),
            description=data.description.strip(),
            email=data.email.strip(),
            url=data.website.strip(),
            status="active",
            minimum_age=data.minimum_age,
            maximum_age=data.maximum_age,
            application_process=(
                "Accepts referrals and warm transfers." if data.accepts_warm_transfers else ""
            ),
            last_modified=now,
        )
        if data.address_1 or data.postal_code:
            location = _application_location(data, org)
            m.ServiceAtLocation.objects.create(id=new_id(), service_id=service.id, location_id=location.id)
        if data.phone.strip():
            m.Phone.objects.create(
                id=new_id(), service_id=service.id, number=data.phone.strip(), type="voice"
            )
        for fips in data.counties:
            if fips in TEXAS_COUNTIES:
                m.ServiceArea.objects.create(
                    id=new_id(), service_id=service.id, name=f"{TEXAS_COUNTIES[fips]} County, TX", uri=fips
                )
        for code in data.languages:
            if code in LANGUAGES:
                m.Language.objects.create(
                    id=new_id(), service_id=service.id, code=code, name=str(LANGUAGES[code])
                )
        _attach_terms(service.id, POPULATION_TAXONOMY, data.populations)
        _attach_terms(service.id, SERVICE_TYPE_TAXONOMY, data.service_types)
        m.Application.objects.create(
            organization=org,
            contact_name=data.contact_name.strip(),
            contact_email=data.email.strip(),
            victim_centered=data.victim_centered.strip(),
            sustainable_management=data.sustainable_management.strip(),
            collaboration=data.collaboration.strip(),
            ability_to_serve=data.ability_to_serve.strip(),
            accepts_warm_transfers=data.accepts_warm_transfers,
        )
        _record(None, "apply", org, "provider applied to the directory")
        reindex_organization(org.id)
    return org


def _attach_terms(service_id: str, taxonomy: str, codes: list[str]) -> None:
    for code in codes:
        m.Attribute.objects.get_or_create(
            id=str(uuid.uuid5(uuid.UUID(term_id(taxonomy, code)), service_id)),
            defaults={
                "link_id": service_id,
                "link_entity": "service",
                "link_type": LINK_TYPE[taxonomy],
                "taxonomy_term_id": term_id(taxonomy, code),
            },
        )


# --- vetting -----------------------------------------------------------------------------------


def review_start(*, membership: Membership, organization_id: str) -> m.Organization:
    require(membership, Action.MANAGE_DIRECTORY)
    with transaction.atomic():
        org = _locked(organization_id)
        if org.vetting_status != VettingStatus.APPLIED:
            raise ValidationError(_("Only a new application can be taken into review."))
        org.vetting_status = VettingStatus.UNDER_REVIEW
        org.review_started_at = timezone.now()
        org.reviewer = membership.user
        _save(org, ["vetting_status", "review_started_at", "reviewer"])
        _record(membership, "review", org, "start vetting review")
    return org


def onsite_check_record(
    *, membership: Membership, organization_id: str, checked_on: date, notes: str
) -> m.Organization:
    require(membership, Action.MANAGE_DIRECTORY)
    if checked_on > timezone.localdate():
        raise ValidationError(_("The on-site check date cannot be in the future."))
    with transaction.atomic():
        org = _locked(organization_id)
        org.onsite_checked_on = checked_on
        org.onsite_notes = notes.strip()
        _save(org, ["onsite_checked_on", "onsite_notes"])
        _record(membership, "onsite_check", org, "record on-site check")
    return org


def _check_visibility(visibility: str) -> None:
    if visibility not in Visibility.values:
        raise ValidationError(_("Choose who may see the listing."))


def listing_approve(
    *, membership: Membership, organization_id: str, visibility: str, evidence: str
) -> m.Organization:
    """Vetted: listed at the chosen visibility, next audit a year out."""
    require(membership, Action.MANAGE_DIRECTORY)
    _check_visibility(visibility)
    if not evidence.strip():
        raise ValidationError(_("Say what was checked before approving."))
    with transaction.atomic():
        org = _locked(organization_id)
        if org.vetting_status not in (VettingStatus.UNDER_REVIEW, VettingStatus.SUSPENDED):
            raise ValidationError(_("Take the application into review first."))
        now = timezone.now()
        org.vetting_status = VettingStatus.VETTED
        org.visibility = visibility
        org.evidence = evidence.strip()
        org.approved_at = now
        org.reviewer = membership.user
        org.next_audit_date = timezone.localdate() + timedelta(days=AUDIT_INTERVAL_DAYS)
        org.hidden_at = None
        _save(
            org,
            [
                "vetting_status",
                "visibility",
                "evidence",
                "approved_at",
                "reviewer",
                "next_audit_date",
                "hidden_at",
            ],
        )
        m.Service.objects.filter(organization_id=org.id).update(
            assured_date=timezone.localdate().isoformat(), assurer_email=membership.user.email
        )
        _record(membership, "approve", org, f"approve listing ({visibility})")
    return org


def listing_set_visibility(
    *, membership: Membership, organization_id: str, visibility: str
) -> m.Organization:
    require(membership, Action.MANAGE_DIRECTORY)
    _check_visibility(visibility)
    with transaction.atomic():
        org = _locked(organization_id)
        org.visibility = visibility
        _save(org, ["visibility"])
        _record(membership, "visibility", org, f"set visibility {visibility}")
    return org


def listing_suspend(
    *, membership: Membership, organization_id: str, reason: str, delist: bool = False
) -> m.Organization:
    """Suspended (may come back) or delisted (for good). Either way it leaves search; nothing is deleted."""
    require(membership, Action.MANAGE_DIRECTORY)
    with transaction.atomic():
        org = _locked(organization_id)
        org.vetting_status = VettingStatus.DELISTED if delist else VettingStatus.SUSPENDED
        org.evidence = f"{org.evidence}\n{timezone.localdate().isoformat()}: {reason.strip()}".strip()
        _save(org, ["vetting_status", "evidence"])
        _record(membership, "delist" if delist else "suspend", org, "remove listing from search")
    return org


# --- the yearly audit ----------------------------------------------------------------------------


def audit_send(*, membership: Membership, organization_id: str, confirm_url: Any) -> m.AuditRequest:
    """E-mail the provider a one-time link (30 days) to confirm or correct the listing.
    ``confirm_url(raw_token)`` builds the absolute link; the raw token is never stored."""
    require(membership, Action.MANAGE_DIRECTORY)
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        org = _locked(organization_id)
        if not org.email:
            raise ValidationError(_("The listing has no e-mail address to send the audit link to."))
        audit = m.AuditRequest.objects.create(
            organization=org,
            token_hash=hash_token(raw),
            sent_to=org.email,
            expires_at=timezone.now() + timedelta(days=AUDIT_LINK_DAYS),
            sent_by=membership.user,
        )
        _record(membership, "audit_send", org, "send yearly audit link")
        link = confirm_url(raw)
        transaction.on_commit(
            lambda: send_mail(
                "Please confirm your directory listing",
                "Once a year we ask every provider in our referral directory to confirm that its listing is "
                f"still right. Please open this link within {AUDIT_LINK_DAYS} days:\n\n{link}\n\n"
                "The link works once. If you did not expect this message, you can ignore it.",
                settings.DEFAULT_FROM_EMAIL,
                [audit.sent_to],
            )
        )
    return audit


def audit_for_token(raw: str) -> m.AuditRequest | None:
    audit = (
        m.AuditRequest.objects.select_related("organization").filter(token_hash=hash_token(raw or "")).first()
    )
    if audit is None or audit.used_at is not None or audit.expires_at <= timezone.now():
        return None
    return audit


def audit_confirm(*, raw_token: str, changes: dict[str, str]) -> m.Organization:
    """The provider confirms (and may propose corrections). The audit is renewed at once and the
    listing shows again; corrections wait for a directory admin."""
    with transaction.atomic():
        audit = (
            m.AuditRequest.objects.select_for_update().filter(token_hash=hash_token(raw_token or "")).first()
        )
        if audit is None or audit.used_at is not None or audit.expires_at <= timezone.now():
            raise PermissionDenied
        org = _locked(audit.organization_id)
        now = timezone.now()
        audit.used_at = now
        audit.proposed_changes = {
            k: v.strip() for k, v in changes.items() if k in CORRECTABLE and v and v.strip()
        }
        audit.save(update_fields=["used_at", "proposed_changes"])
        org.last_confirmed_at = now
        org.next_audit_date = timezone.localdate() + timedelta(days=AUDIT_INTERVAL_DAYS)
        org.hidden_at = None
        _save(org, ["last_confirmed_at", "next_audit_date", "hidden_at"])
        m.Service.objects.filter(organization_id=org.id).update(
            assured_date=timezone.localdate().isoformat(), assurer_email=audit.sent_to
        )
        _record(None, "audit_confirm", org, "provider confirmed listing")
    return org


def audit_changes_apply(*, membership: Membership, audit_id: int) -> m.Organization:
    require(membership, Action.MANAGE_DIRECTORY)
    with transaction.atomic():
        audit = m.AuditRequest.objects.select_for_update().filter(pk=audit_id).first()
        if audit is None or audit.changes_applied_at is not None:
            raise m.AuditRequest.DoesNotExist
        org = _locked(audit.organization_id)
        changes = audit.proposed_changes
        fields = [f for f in ("name", "description", "email", "website") if changes.get(f)]
        for name in fields:
            setattr(org, name, changes[name])
        _save(org, fields)
        if changes.get("phone"):
            service_ids = list(m.Service.objects.filter(organization_id=org.id).values_list("id", flat=True))
            phone = m.Phone.objects.filter(service_id__in=service_ids).order_by("id").first()
            if phone is not None:
                phone.number = changes["phone"]
                phone.save(update_fields=["number"])
        audit.changes_applied_at = timezone.now()
        audit.save(update_fields=["changes_applied_at"])
        _record(membership, "audit_apply", org, "apply provider's corrections")
    return org


def overdue_listings_hide(*, today: date | None = None) -> int:
    """Vetted listings whose yearly audit is past due and unconfirmed leave search. Never deleted:
    confirming through the audit link, or a new approval, brings them back."""
    today = today or timezone.localdate()
    hidden = 0
    ids = list(
        m.Organization.objects.filter(
            vetting_status=VettingStatus.VETTED, hidden_at__isnull=True, next_audit_date__lt=today
        ).values_list("id", flat=True)
    )
    for organization_id in ids:
        with transaction.atomic():
            org = _locked(organization_id)
            if org.hidden_at is not None or org.next_audit_date is None or org.next_audit_date >= today:
                continue
            org.hidden_at = timezone.now()
            _save(org, ["hidden_at"])
            _record(None, "audit_overdue", org, "hide listing: yearly audit overdue")
            hidden += 1
    return hidden


# --- capacity (issue 11: a provider updates its free beds from its referral inbox) ------------------


def service_capacity_set(*, organization_id: str, service_id: str, available: int) -> m.ServiceCapacity:
    """Set the available beds (or places) of one of this organization's services, and reindex it.
    The caller checks who may (a provider's own staff) and writes the ledger row."""
    service = m.Service.objects.filter(id=service_id, organization_id=organization_id).first()
    if service is None:
        raise PermissionDenied
    now = timezone.now()
    capacity = m.ServiceCapacity.objects.filter(service_id=service.id).order_by("id").first()
    if capacity is None:
        from threadline.directory.generate import fixed

        unit, _created = m.Unit.objects.get_or_create(
            id=fixed("unit", "bed"),
            defaults={"name": "bed", "scheme": "threadline", "identifier": "bed"},
        )
        capacity = m.ServiceCapacity.objects.create(
            id=new_id(), service_id=service.id, unit_id=unit.id, available=available
        )
    capacity.available = available
    capacity.updated = now.isoformat(timespec="seconds")
    capacity.save(update_fields=["available", "updated"])
    m.ServiceCapacity.objects.filter(service_id=service.id).exclude(id=capacity.id).update(available=0)
    m.Service.objects.filter(id=service.id).update(last_modified=now)
    reindex_organization(organization_id)
    return capacity

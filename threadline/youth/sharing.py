"""Writes about access: the care team, consents (releases of information), break-the-glass."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from threadline.access.agreements import agreement_refusal
from threadline.access.categories import Category
from threadline.access.models import (
    BreakGlass,
    CareTeamMember,
    Consent,
    ConsentGiver,
    ConsentScope,
    ConsentState,
    ConsentUse,
)
from threadline.accounts.models import Membership, Organization, User
from threadline.accounts.selectors import chosen_organization
from threadline.audit import ledger
from threadline.core.actions import Action, OrganizationKind, kind_of, roles_allowed
from threadline.core.locks import locked
from threadline.core.policy import require
from threadline.youth import timeline_messages as msg
from threadline.youth.models import HouseholdMember, Youth
from threadline.youth.policy import YouthNotFound, access_youth, break_glass_reachable, parse_youth_id
from threadline.youth.said import Choice, Said
from threadline.youth.timeline import timeline_add

M = TypeVar("M", bound=Model)

CONSENT_CATEGORIES = tuple(c for c in Category.values if c != Category.RECORD)


def _require_team_manager(membership: Membership) -> None:
    """Only the Care Coordinator's coordinators and supervisors convene the team and record releases."""
    require(membership, Action.MANAGE_SHARING)


def _managed_row(
    membership: Membership, youth_id: Any, model: type[M], row_id: Any, *, purpose: str
) -> tuple[Youth, M]:
    """Inside the caller's transaction: for a team manager, the youth opened to change the record and one
    of the youth's rows of ``model`` locked; a missing or forbidden row answers like a missing youth."""
    _require_team_manager(membership)
    youth = access_youth(membership, youth_id, Category.RECORD, write=True, purpose=purpose)
    row = model._default_manager.select_for_update().filter(pk=row_id, youth=youth).first()
    if row is None:
        raise YouthNotFound
    return youth, row


def care_team_add(
    *,
    membership: Membership,
    youth_id: Any,
    organization_id: int,
    role: str,
    person_id: int | None = None,
    started_on: datetime.date | None = None,
) -> CareTeamMember:
    _require_team_manager(membership)
    with transaction.atomic():
        youth = access_youth(membership, youth_id, Category.RECORD, write=True, purpose="add to care team")
        organization = chosen_organization(organization_id)
        person = None
        if person_id is not None:
            person = User.objects.filter(
                pk=person_id,
                memberships__organization=organization,
                memberships__is_active=True,
                is_active=True,
            ).first()
            if person is None:
                raise ValidationError({"person": _("That person does not work for this organization.")})
        member = CareTeamMember.objects.create(
            youth=youth,
            organization=organization,
            person=person,
            role=role,
            started_on=started_on or timezone.localdate(),
        )
        _timeline(youth, membership, "team_joined", msg.TEAM_JOINED(organization=organization.name))
    return member


def care_team_end(*, membership: Membership, youth_id: Any, member_id: Any) -> None:
    with transaction.atomic():
        youth, member = _managed_row(
            membership, youth_id, CareTeamMember, member_id, purpose="end care team role"
        )
        member.ended_on = timezone.localdate() - datetime.timedelta(days=1)
        member.save(update_fields=["ended_on"])
        _timeline(youth, membership, "team_left", msg.TEAM_LEFT(organization=member.organization.name))


def _check_consent(
    chosen: list[str],
    purpose: str,
    given_by: str,
    starts_at: datetime.datetime,
    expires_at: datetime.datetime,
    state: str,
) -> None:
    errors: dict[str, str] = {}
    if not chosen:
        errors["categories"] = _("Choose at least one kind of information.")
    elif not set(chosen) <= set(CONSENT_CATEGORIES):
        errors["categories"] = _("Unknown kind of information.")
    if not purpose.strip():
        errors["purpose"] = _("Say why the information is shared.")
    if given_by not in ConsentGiver.values:
        errors["given_by"] = _("Say who gave consent.")
    if expires_at <= starts_at:
        errors["expires_at"] = _("The end date must be after the start date.")
    elif expires_at - starts_at > datetime.timedelta(days=3 * 366):
        errors["expires_at"] = _("A release can last three years at most.")
    if state not in ConsentState.values or state == ConsentState.REVOKED:
        errors["state"] = _("Unknown state.")
    if errors:
        raise ValidationError(errors)


def consent_record(
    *,
    membership: Membership,
    youth_id: Any,
    organization_id: int | None,
    categories: Iterable[str],
    purpose: str,
    given_by: str,
    expires_at: datetime.datetime | None = None,
    starts_at: datetime.datetime | None = None,
    guardian_id: Any = None,
    minor_may_consent_alone: bool = False,
    signature: str = "",
    signed_form_name: str = "",
    state: str = ConsentState.GRANTED,
    use: str = ConsentUse.SHARING,
    new_signer: Mapping[str, Any] | None = None,
) -> Consent:
    """Record a release of information. Never a condition of service; refusing is recorded too.
    ``use``: a release to a partner, or a consent for family services or mentoring (issue 14).
    ``new_signer`` (name, relationship, is_guardian, is_non_offending_caregiver): the adult who signed
    is not in the household yet; they are added in the same transaction and sign (issue 16, item 10)."""
    _require_team_manager(membership)
    organization_id = _consent_organization_id(membership, use, organization_id)
    now = timezone.now()
    starts_at = starts_at or now
    expires_at = expires_at or starts_at + datetime.timedelta(days=settings.CONSENT_DEFAULT_DAYS)
    chosen = sorted(set(categories))
    _check_consent(chosen, purpose, given_by, starts_at, expires_at, state)
    with transaction.atomic():
        youth = access_youth(membership, youth_id, Category.RECORD, write=True, purpose="record consent")
        organization = chosen_organization(organization_id)
        _refuse_beyond_agreement(membership, organization, chosen, starts_at, expires_at, state)
        guardian = _signer(membership, youth, guardian_id, new_signer)
        is_minor = youth.estimated_age is None or youth.estimated_age < 18
        if given_by == ConsentGiver.PARENT_OR_GUARDIAN and (guardian is None or not guardian.is_guardian):
            raise ValidationError({"guardian": _("Choose the parent or guardian who signed.")})
        adult_signed = guardian is not None and (guardian.is_guardian or guardian.is_non_offending_caregiver)
        if given_by == ConsentGiver.YOUTH and is_minor and not minor_may_consent_alone and not adult_signed:
            raise ValidationError(
                {
                    "guardian": _(
                        "For a minor, a non-offending parent or guardian signs too, unless the minor may consent alone."
                    )
                }
            )
        consent = Consent(
            youth=youth,
            organization=organization,
            use=use,
            purpose=purpose.strip()[:300],
            given_by=given_by,
            guardian=guardian,
            minor_may_consent_alone=minor_may_consent_alone,
            state=state,
            starts_at=starts_at,
            expires_at=expires_at,
            signature=signature[:200_000],
            signed_form_name=signed_form_name[:120],
            recorded_by=membership.user,
        )
        consent.save(force_insert=True)
        ConsentScope.objects.bulk_create([ConsentScope(consent=consent, category=c) for c in chosen])
        ledger.entry(
            membership,
            "consent_record",
            "consent",
            consent.pk,
            f"release to {organization.pk} ({use}): {state}",
            category=",".join(chosen),
            youth_id=youth.pk,
        )
        recorded = msg.CONSENT_RECORDED(organization=organization.name, state=Choice(ConsentState(state)))
        _timeline(youth, membership, "consent", recorded)
    return consent


def _refuse_beyond_agreement(
    membership: Membership,
    organization: Organization,
    chosen: list[str],
    starts_at: datetime.datetime,
    expires_at: datetime.datetime,
    state: str,
) -> None:
    """A release never goes beyond the program's agreement with the partner (issue 15). A refusal
    shares nothing, so it is recorded whatever the agreement says. Another program's Care Coordinator is
    not a partner: a consent to it is a transfer between programs (issue 14), bounded by consent alone."""
    if state == ConsentState.REFUSED or kind_of(organization) is not OrganizationKind.PARTNER:
        return
    errors = agreement_refusal(
        program_organization_id=membership.organization_id,
        partner_id=organization.pk,
        partner_name=organization.name,
        categories=chosen,
        starts_at=starts_at,
        expires_at=expires_at,
    )
    if errors:
        raise ValidationError(errors)


def _consent_organization_id(membership: Membership, use: str, organization_id: int | None) -> int:
    """A release names a partner; a consent for family services or mentoring, unless it names one,
    is to the recording organization (whose Family Coordinator, or the youth's mentor, it opens to)."""
    if use not in ConsentUse.values:
        raise ValidationError({"use": _("Choose whom the consent is for.")})
    if organization_id is not None:
        return organization_id
    if use == ConsentUse.SHARING:
        raise ValidationError({"organization": _("Choose an organization.")})
    return int(membership.organization.pk)


def _signer(
    membership: Membership, youth: Youth, guardian_id: Any, new_signer: Mapping[str, Any] | None
) -> HouseholdMember | None:
    """The adult who signed: a household member chosen, or one added here (inside the caller's
    transaction, after its access check), or nobody."""
    if new_signer and (
        str(new_signer.get("name", "")).strip() or str(new_signer.get("relationship", "")).strip()
    ):
        if guardian_id:
            raise ValidationError({"guardian": _("Choose a household member or add a new one, not both.")})
        from threadline.youth.services import household_member_add

        return household_member_add(
            membership=membership,
            youth_id=youth.pk,
            name=str(new_signer.get("name", "")),
            relationship=str(new_signer.get("relationship", "")),
            is_guardian=bool(new_signer.get("is_guardian")),
            is_non_offending_caregiver=bool(new_signer.get("is_non_offending_caregiver")),
        )
    if not guardian_id:
        return None
    guardian = youth.household.filter(pk=guardian_id).first()  # only the opened youth's household
    if guardian is None:
        raise ValidationError({"guardian": _("Choose a person from the household.")})
    if guardian.alleged_exploiter:
        raise ValidationError(
            {"guardian": _("A person flagged as an alleged exploiter cannot give consent.")}
        )
    return guardian


def consent_revoke(*, membership: Membership, youth_id: Any, consent_id: Any, reason: str = "") -> Consent:
    """Takes effect on the very next request of anyone relying on it."""
    with transaction.atomic():
        youth, consent = _managed_row(membership, youth_id, Consent, consent_id, purpose="revoke consent")
        if consent.state != ConsentState.REVOKED:
            consent.state = ConsentState.REVOKED
            consent.revoked_at = timezone.now()
            consent.revoked_reason = reason.strip()[:200]
            consent.save(update_fields=["state", "revoked_at", "revoked_reason"])
        ledger.entry(membership, "consent_revoke", "consent", consent.pk, "revoked", youth_id=youth.pk)
        _timeline(youth, membership, "consent", msg.CONSENT_REVOKED(organization=consent.organization.name))
    return consent


def break_glass_open(
    *, membership: Membership, youth_id: Any, reason: str, minutes: int | None = None
) -> BreakGlass:
    """Emergency access. Supervisors are alerted (no youth details in the alert)."""
    require(membership, Action.BREAK_GLASS)
    if len(reason.strip()) < 10:
        raise ValidationError(
            {"reason": _("Write the reason in a sentence: it is reviewed by a supervisor.")}
        )
    minutes = minutes or settings.BREAK_GLASS_MINUTES
    if not 1 <= minutes <= 240:
        raise ValidationError({"minutes": _("Between 1 minute and 4 hours.")})
    with transaction.atomic():
        now = timezone.now()
        # Never on a youth another Care Coordinator organization serves: that one answers like a
        # missing youth (see ``break_glass_reachable``).
        youth = break_glass_reachable(membership, now).filter(pk=parse_youth_id(youth_id)).first()
        if youth is None:
            raise YouthNotFound
        grant = BreakGlass.objects.create(
            youth=youth,
            user=membership.user,
            organization=membership.organization,
            reason=reason.strip()[:500],
            started_at=now,
            expires_at=now + datetime.timedelta(minutes=minutes),
        )
        ledger.entry(
            membership,
            "break_glass",
            "youth",
            youth.pk,
            f"emergency access for {minutes} min",
            category=Category.RECORD,
            youth_id=youth.pk,
        )
        grant_id = grant.pk
        transaction.on_commit(lambda: _alert_supervisors(grant_id))
    return grant


def _alert_supervisors(grant_id: Any) -> None:
    grant = BreakGlass.objects.select_related("organization").get(pk=grant_id)
    supervisors = User.objects.filter(
        memberships__organization=grant.organization,
        memberships__is_active=True,
        is_active=True,
        memberships__role__in=roles_allowed(Action.REVIEW_BREAK_GLASS),
    ).distinct()
    link = reverse("youth:break_glass_review", kwargs={"grant_id": grant.pk})
    for person in supervisors:
        with translation.override(person.preferred_language):
            send_mail(
                _("Emergency access used in Threadline"),
                _("Someone in your organization used emergency access to a record. Review it here: %(link)s")
                % {"link": link},
                None,
                [person.email],
            )


def break_glass_review(*, membership: Membership, grant_id: Any, note: str = "") -> BreakGlass:
    require(membership, Action.REVIEW_BREAK_GLASS)
    with transaction.atomic():
        grant = locked(BreakGlass, YouthNotFound, pk=grant_id, organization=membership.organization)
        if grant.user_id == membership.user.pk:
            raise PermissionDenied  # nobody reviews their own emergency access
        grant.reviewed_by = membership.user
        grant.reviewed_at = timezone.now()
        grant.review_note = note.strip()[:300]
        grant.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
        ledger.entry(
            membership, "break_glass_review", "break_glass", grant.pk, "reviewed", youth_id=grant.youth_id
        )
    return grant


def _timeline(youth: Any, membership: Membership, kind: str, summary: Said) -> None:
    timeline_add(youth=youth, kind=kind, category=Category.RECORD, summary=summary, membership=membership)


def break_glass_by_reference(*, membership: Membership, reference: str, reason: str) -> Any:
    """Emergency access by record code (the person cannot find the youth otherwise). Only roles that
    may break the glass learn whether a code exists, and every attempt that finds one is recorded.
    Never a youth another Care Coordinator organization serves (``break_glass_reachable``)."""
    require(membership, Action.BREAK_GLASS)
    youth_pk = (
        break_glass_reachable(membership, timezone.now())
        .filter(reference=reference.strip().upper())
        .values_list("pk", flat=True)
        .first()
    )
    if youth_pk is None:
        raise ValidationError({"reference": _("No record has that code. Check it and try again.")})
    return break_glass_open(membership=membership, youth_id=youth_pk, reason=reason)


# --- scanned consent forms -------------------------------------------------------------------------

CONSENT_FILE_MAX_BYTES = 8 * 1024 * 1024
CONSENT_FILE_MAX_PIXELS = 40_000_000
CONSENT_FILE_MAX_PAGES = 30


def consent_file_attach(
    *, membership: Membership, youth_id: Any, consent_id: Any, name: str, data: bytes
) -> Any:
    """Attach the scanned, signed form to a release: checked, cleaned of metadata, sealed with the
    youth's key, ledgered. Whoever may not record releases for this youth gets the usual 404."""
    from threadline.access import consent_files
    from threadline.youth.selectors import consent_files_require

    consent_files_require(membership=membership, youth_id=youth_id)  # 404 before looking at the file
    limit = int(getattr(settings, "CONSENT_FILE_MAX_BYTES", CONSENT_FILE_MAX_BYTES))
    if not data:
        raise ValidationError({"file": _("Choose the scanned form to upload.")})
    if len(data) > limit:
        raise ValidationError(
            {"file": _("The file is too large. The limit is %(mb)s MB.") % {"mb": limit // (1024 * 1024)}}
        )
    kind = consent_files.sniff(data[:16])
    if kind is None:
        raise ValidationError({"file": _("Upload a photo (JPEG or PNG) or a PDF of the signed form.")})
    try:
        if kind == consent_files.ConsentFile.Kind.PDF:
            cleaned = consent_files.clean_pdf(data, max_pages=CONSENT_FILE_MAX_PAGES)
        else:
            cleaned = consent_files.clean_image(data, kind=kind, max_pixels=CONSENT_FILE_MAX_PIXELS)
    except consent_files.Unreadable:
        raise ValidationError(
            {"file": _("The file could not be read. Scan or photograph the form again.")}
        ) from None
    consent_pk = parse_youth_id(consent_id)
    with transaction.atomic():
        youth = access_youth(membership, youth_id, Category.RECORD, write=True, purpose="attach consent form")
        consent = Consent.objects.filter(pk=consent_pk, youth=youth).first()
        if consent is None:
            raise YouthNotFound
        from threadline.crypto.envelope import seal

        record = consent_files.ConsentFile(
            consent=consent,
            youth=youth,
            content_type=kind,
            size=len(cleaned),
            original_name=name.strip()[:200],
            uploaded_by=membership.user,
        )
        record.sealed = seal(cleaned, key=youth.encryption_key(), aad=record.aad())
        record.save(force_insert=True)
        ledger.entry(
            membership,
            "consent_file_attach",
            "consent_file",
            record.pk,
            f"scanned form for consent {consent.pk}",
            category=Category.RECORD,
            youth_id=youth.pk,
        )
    return record

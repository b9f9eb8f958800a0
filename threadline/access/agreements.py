"""Partner agreements (issue 15): what the program has agreed with each partner organization, and the
most it may ever share with it.

An agreement (a memorandum of understanding, a data-sharing agreement or a letter of support) is signed
between the organization that runs the program (a Care Coordinator) and a partner. It names the
categories of youth data that may be shared with the partner at most. A release of information (a
consent) to that partner can never go beyond it: not a category it does not cover, and not past the
day it ends. The youth's consent is still needed for every release; the agreement only bounds it.

It lives here, beside consents, because the consent service (``youth.sharing``) asks it on every
release, and ``youth`` sits above ``access``. The pages that keep agreements live in ``network``.

Referrals never need an agreement (seed 001: "We accept referrals from any agency, even if there is no
formal memorandum of understanding"): nothing in intake asks this module.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from threadline.access.categories import Category
from threadline.core.rows import LabelledById


class AgreementKind(models.TextChoices):
    MOU = "mou", _("Memorandum of understanding")
    DATA_SHARING = "data_sharing", _("Data-sharing agreement")
    LETTER_OF_SUPPORT = "letter_of_support", _("Letter of support")


# A letter of support says the partner supports the program; it never covers sharing youth data.
KINDS_WITHOUT_SHARING = frozenset({AgreementKind.LETTER_OF_SUPPORT})


class PartnerAgreement(LabelledById):
    str_label = "agreement"

    program_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="agreements_held"
    )
    partner = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="agreements")
    kind = models.CharField(_("kind"), max_length=30, choices=AgreementKind.choices)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    expires_on = models.DateField(_("ends on"), null=True, blank=True)  # empty: until ended
    # The categories of youth data that may be shared with the partner at most (``Category`` codes).
    categories = models.JSONField(_("what may be shared at most"), default=list, blank=True)
    contacts = models.TextField(_("contacts"), blank=True)  # the partner's people for this agreement
    note = models.TextField(_("note"), blank=True)
    # The end date an expiry reminder was sent for: a renewal (a new end date) is reminded again.
    reminded_for = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["partner__name", "-signed_on"]
        indexes = [models.Index(fields=["program_organization", "expires_on"], name="agreement_org_expiry")]

    def in_effect_on(self, day: datetime.date) -> bool:
        started = self.signed_on is None or self.signed_on <= day
        return started and (self.expires_on is None or day <= self.expires_on)

    def category_labels(self) -> list[str]:
        return [str(Category(c).label) for c in self.categories if c in Category.values]


def agreements_between(*, program_organization_id: int, partner_id: int) -> list[PartnerAgreement]:
    return list(
        PartnerAgreement.objects.filter(
            program_organization_id=program_organization_id, partner_id=partner_id
        )
    )


def agreement_required() -> bool:
    """Must every partner have an agreement before anything is shared with it? Off by default: a
    partner with no agreement on file is bounded by the youth's consent alone; one with an agreement on
    file (even an ended one) is bounded by its agreements from then on."""
    return bool(getattr(settings, "PARTNER_AGREEMENT_REQUIRED", False))


def agreement_refusal(
    *,
    program_organization_id: int,
    partner_id: int,
    partner_name: str,
    categories: list[str],
    starts_at: datetime.datetime,
    expires_at: datetime.datetime,
) -> dict[str, str]:
    """Why a release to this partner goes beyond its agreement: field -> a message the person can act
    on; empty when it fits. Several agreements in effect together allow what any of them allows."""
    if partner_id == program_organization_id:
        return {}
    found = agreements_between(program_organization_id=program_organization_id, partner_id=partner_id)
    if not found:
        if agreement_required():
            return {
                "organization": gettext(
                    "%(partner)s has no agreement with the program. Record one under Partners before"
                    " sharing anything with it."
                )
                % {"partner": partner_name}
            }
        return {}
    first_day = timezone.localdate(starts_at)
    current = [a for a in found if a.in_effect_on(first_day)]
    if not current:
        return {
            "organization": gettext(
                "The agreement with %(partner)s is not in effect. Renew it under Partners before sharing"
                " anything with it."
            )
            % {"partner": partner_name}
        }
    allowed = {c for a in current if a.kind not in KINDS_WITHOUT_SHARING for c in a.categories}
    beyond = [c for c in categories if c not in allowed]
    if beyond:
        return {
            "categories": gettext(
                "The agreement with %(partner)s does not allow sharing: %(beyond)s. It allows at most:"
                " %(allowed)s."
            )
            % {
                "partner": partner_name,
                "beyond": ", ".join(str(Category(c).label) for c in beyond),
                "allowed": ", ".join(str(Category(c).label) for c in sorted(allowed)) or gettext("nothing"),
            }
        }
    ends = [a.expires_on for a in current if a.expires_on is not None]
    if ends and len(ends) == len(current) and timezone.localdate(expires_at) > max(ends):
        return {
            "expires_at": gettext(
                "The agreement with %(partner)s ends on %(day)s: the release cannot last longer."
                " Choose that day or an earlier one."
            )
            % {"partner": partner_name, "day": max(ends).isoformat()}
        }
    return {}


def agreements_in_effect(*, program_organization_id: int) -> list[PartnerAgreement]:
    """The program's agreements in effect today, for the consent form's hint."""
    today = timezone.localdate()
    found = PartnerAgreement.objects.select_related("partner").filter(
        program_organization_id=program_organization_id
    )
    return [a for a in found if a.in_effect_on(today)]

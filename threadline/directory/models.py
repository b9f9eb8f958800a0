"""The referral directory, stored as Open Referral HSDS 3.1 objects, plus the project profile.

Ids are the HSDS UUID strings. References between HSDS objects are kept as the plain id strings HSDS
uses (``service.organization_id`` ...), not database foreign keys: HSDS data arrives partial and in
any order (the official examples point at organizations they do not include), and an import or
export must carry such references through unchanged. The project's own writes keep them consistent.

Project profile fields (see docs/hsds-profile/): vetting and visibility on the organization (the
provider is what gets vetted), ``confidential`` on a location. The search tables at the bottom are a
denormalized copy for fast, indexed staff and public search; they are rebuilt from the HSDS rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public: anyone")
    NETWORK = "network", _("Network: staff of partner agencies")
    PRIVATE = "private", _("Private: the Care Coordinator only")


class VettingStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    UNDER_REVIEW = "under_review", _("Under review")
    VETTED = "vetted", _("Vetted")
    SUSPENDED = "suspended", _("Suspended")
    DELISTED = "delisted", _("Delisted")


def _text() -> models.TextField[str, str]:
    return models.TextField(blank=True, default="")


def _ref() -> models.CharField[str, str]:
    return models.CharField(max_length=64, blank=True, default="", db_index=True)


class HsdsObject(models.Model):
    id = models.CharField(primary_key=True, max_length=64)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(getattr(self, "name", "") or self.id)


class Organization(HsdsObject):
    name = _text()
    alternate_name = _text()
    description = _text()
    email = _text()
    website = _text()
    tax_status = _text()
    tax_id = _text()
    year_incorporated = models.IntegerField(null=True, blank=True)
    legal_status = _text()
    logo = _text()
    uri = _text()
    parent_organization_id = _ref()
    # --- profile: vetting (seed 002) and visibility ---
    vetting_status = models.CharField(
        _("vetting status"), max_length=20, choices=VettingStatus.choices, default=VettingStatus.APPLIED
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    review_started_at = models.DateTimeField(null=True, blank=True)
    onsite_checked_on = models.DateField(null=True, blank=True)
    onsite_notes = _text()
    approved_at = models.DateTimeField(null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evidence = _text()  # reviewer's notes: what was checked and how; internal only
    next_audit_date = models.DateField(null=True, blank=True, db_index=True)
    last_confirmed_at = models.DateTimeField(null=True, blank=True)
    # Set when the yearly audit went unconfirmed past its date: hidden from search, never deleted.
    hidden_at = models.DateTimeField(null=True, blank=True)
    accepts_referrals = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["vetting_status", "next_audit_date"], name="dir_org_audit")]


class Service(HsdsObject):
    organization_id = _ref()
    program_id = _ref()
    name = _text()
    alternate_name = _text()
    description = _text()
    url = _text()
    email = _text()
    status = models.CharField(max_length=20, default="active")
    interpretation_services = _text()
    application_process = _text()
    fees_description = _text()
    wait_time = _text()
    fees = _text()
    accreditations = _text()
    eligibility_description = _text()
    minimum_age = models.IntegerField(null=True, blank=True)
    maximum_age = models.IntegerField(null=True, blank=True)
    assured_date = _text()
    assurer_email = _text()
    licenses = _text()
    alert = _text()
    last_modified = models.DateTimeField(default=timezone.now, db_index=True)


class Location(HsdsObject):
    location_type = models.CharField(max_length=10, default="physical")
    url = _text()
    organization_id = _ref()
    name = _text()
    alternate_name = _text()
    description = _text()
    transportation = _text()
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    external_identifier = _text()
    external_identifier_type = _text()
    # profile: a shelter or safe house. Never published; exported as a virtual location.
    confidential = models.BooleanField(default=False)


class Address(HsdsObject):
    location_id = _ref()
    attention = _text()
    address_1 = _text()
    address_2 = _text()
    city = _text()
    region = _text()
    state_province = _text()
    postal_code = _text()
    country = _text()
    address_type = models.CharField(max_length=10, default="physical")


class ServiceAtLocation(HsdsObject):
    service_id = _ref()
    location_id = _ref()
    description = _text()


class ServiceArea(HsdsObject):
    service_id = _ref()
    service_at_location_id = _ref()
    name = _text()
    description = _text()
    extent = _text()
    extent_type = _text()
    uri = _text()  # profile: the county FIPS code, e.g. "48029"


class Language(HsdsObject):
    service_id = _ref()
    location_id = _ref()
    phone_id = _ref()
    name = _text()
    code = _text()  # ISO 639
    note = _text()


class Phone(HsdsObject):
    location_id = _ref()
    service_id = _ref()
    organization_id = _ref()
    contact_id = _ref()
    service_at_location_id = _ref()
    number = _text()
    extension = models.IntegerField(null=True, blank=True)
    type = _text()
    description = _text()


class Contact(HsdsObject):
    organization_id = _ref()
    service_id = _ref()
    service_at_location_id = _ref()
    location_id = _ref()
    name = _text()
    title = _text()
    department = _text()
    email = _text()


class Schedule(HsdsObject):
    service_id = _ref()
    location_id = _ref()
    service_at_location_id = _ref()
    valid_from = _text()
    valid_to = _text()
    dtstart = _text()
    timezone = models.FloatField(null=True, blank=True)
    until = _text()
    count = models.IntegerField(null=True, blank=True)
    wkst = _text()
    freq = _text()
    interval = models.IntegerField(null=True, blank=True)
    byday = _text()
    byweekno = _text()
    bymonthday = _text()
    byyearday = _text()
    description = _text()
    opens_at = _text()
    closes_at = _text()
    schedule_link = _text()
    attending_type = _text()
    notes = _text()


class Taxonomy(HsdsObject):
    name = _text()
    description = _text()
    uri = _text()
    version = _text()


class TaxonomyTerm(HsdsObject):
    code = models.CharField(max_length=100, blank=True, default="", db_index=True)
    name = _text()
    description = _text()
    parent_id = _ref()
    taxonomy = _text()
    language = _text()
    taxonomy_id = _ref()
    term_uri = _text()


class Attribute(HsdsObject):
    link_id = _ref()
    taxonomy_term_id = _ref()
    link_type = _text()
    link_entity = _text()
    value = _text()
    label = _text()


class Url(HsdsObject):
    label = _text()
    url = _text()
    organization_id = _ref()
    service_id = _ref()


class Unit(HsdsObject):
    name = _text()
    scheme = _text()
    identifier = _text()
    uri = _text()


class ServiceCapacity(HsdsObject):
    service_id = _ref()
    unit_id = _ref()
    available = models.FloatField(default=0)
    maximum = models.FloatField(null=True, blank=True)
    description = _text()
    updated = _text()


class HsdsRecord(models.Model):
    """HSDS objects the directory does not use itself (programs, funding, cost options, required
    documents, accessibility, organization identifiers, metadata): kept as they came so that an
    import exports again unchanged."""

    object_type = models.CharField(max_length=40)
    hsds_id = models.CharField(max_length=64)
    data = models.JSONField(default=dict)
    service_id = _ref()
    organization_id = _ref()
    location_id = _ref()
    resource_id = _ref()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["object_type", "hsds_id"], name="dir_record_unique")]

    def __str__(self) -> str:
        return f"{self.object_type}:{self.hsds_id}"


# --- vetting workflow --------------------------------------------------------------------------


class Application(models.Model):
    """A provider's answers to the vetting questions (seed 002), kept as evidence."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="applications")
    submitted_at = models.DateTimeField(default=timezone.now)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    victim_centered = _text()
    sustainable_management = _text()
    collaboration = _text()
    ability_to_serve = _text()
    accepts_warm_transfers = models.BooleanField(default=False)

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"application {self.pk} for {self.organization_id}"


class AuditRequest(models.Model):
    """The yearly check: a one-time link sent to the provider to confirm or correct its listing."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="audits")
    token_hash = models.CharField(max_length=64, unique=True)
    sent_to = models.EmailField()
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # Corrections the provider proposed: applied by a directory admin, never straight from the link.
    proposed_changes = models.JSONField(default=dict, blank=True)
    changes_applied_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"audit {self.pk} for {self.organization_id}"


# --- search index (denormalized, rebuilt from the HSDS rows) ---------------------------------------


class ListingIndex(models.Model):
    """One row per service: what search filters and ranks on."""

    service_id = models.CharField(primary_key=True, max_length=64)
    organization_id = models.CharField(max_length=64, db_index=True)
    name = models.CharField(max_length=300)
    organization_name = models.CharField(max_length=300)
    search_text = models.TextField(blank=True, default="")  # lower-cased names, for "search"
    # Every facet of the listing as " kind:value " words: once the most selective facet has picked
    # the candidate rows through its index, the others are checked here, in the same row.
    tags = models.TextField(blank=True, default="")
    visibility = models.CharField(max_length=10)
    # vetted, not hidden by an overdue audit, service active: may appear in search at all
    listed = models.BooleanField(default=False)
    min_age = models.SmallIntegerField(default=0)
    max_age = models.SmallIntegerField(default=200)
    serves_minors = models.BooleanField(default=False)
    capacity_available = models.IntegerField(default=0)
    lat = models.FloatField(null=True, blank=True)  # coarse for confidential locations (county point)
    lon = models.FloatField(null=True, blank=True)
    # The point is the county's fixed point of a confidential place: distances are shown as bands.
    coarse = models.BooleanField(default=False)
    # A quarter-degree grid cell (see geo.cell_of): distance search reads the few cells around the
    # ZIP code through this index instead of a whole band of latitude.
    cell = models.IntegerField(null=True, blank=True, db_index=True)
    last_verified = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["listed", "visibility", "name"], name="dir_li_listed"),
            models.Index(fields=["lat", "lon"], name="dir_li_point"),
            models.Index(fields=["min_age", "max_age"], name="dir_li_ages"),
            models.Index(fields=["serves_minors"], name="dir_li_minors"),
            models.Index(fields=["capacity_available"], name="dir_li_capacity"),
        ]

    def __str__(self) -> str:
        return self.name


class FacetKind(models.TextChoices):
    COUNTY = "county", _("County")
    LANGUAGE = "language", _("Language")
    POPULATION = "population", _("Population or specialization")
    SERVICE_TYPE = "type", _("Service type")
    ACCESS = "access", _("Access (barriers removed)")
    GENDER = "gender", _("Gender served")


class ListingFacet(models.Model):
    """Multi-valued filters: one row per (service, kind, value); (kind, value) is the index."""

    listing = models.ForeignKey(ListingIndex, on_delete=models.CASCADE, related_name="facets")
    kind = models.CharField(max_length=12, choices=FacetKind.choices)
    value = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["kind", "value", "listing"], name="dir_facet_lookup")]
        # also the index for "does this listing have that value?" probes
        constraints = [models.UniqueConstraint(fields=["listing", "kind", "value"], name="dir_facet_unique")]

    def __str__(self) -> str:
        return f"{self.kind}={self.value}"


class ListingHours(models.Model):
    """Weekly opening hours in local minutes (0-1440), for "open now"."""

    listing = models.ForeignKey(ListingIndex, on_delete=models.CASCADE, related_name="hours")
    weekday = models.SmallIntegerField()  # 0 = Monday
    opens = models.SmallIntegerField()
    closes = models.SmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["weekday", "opens", "closes", "listing"], name="dir_hours_lookup")]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens}-{self.closes}"

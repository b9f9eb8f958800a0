"""What the directory knows about each HSDS 3.1 object type: its model, its fields in HSDS order, its
CSV file name, which fields are numbers, and how objects nest in the JSON forms.

These are facts about the standard (field names and shapes), written down so that import and export
work without the schema files; the schema files themselves are read only by the validator and tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models

from threadline.directory import models as m


@dataclass(frozen=True)
class TypeSpec:
    name: str
    csv: str
    fields: tuple[str, ...]  # scalar fields, HSDS order, without "id"
    model: type[models.Model] | None = None  # None: stored as an HsdsRecord
    required: tuple[str, ...] = ()
    integers: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()
    enums: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _spec(
    name: str,
    csv: str,
    fields: str,
    model: type[models.Model] | None = None,
    required: str = "",
    integers: str = "",
    numbers: str = "",
    enums: dict[str, tuple[str, ...]] | None = None,
) -> TypeSpec:
    return TypeSpec(
        name=name,
        csv=csv,
        fields=tuple(fields.split()),
        model=model,
        required=tuple(required.split()),
        integers=frozenset(integers.split()),
        numbers=frozenset(numbers.split()),
        enums=enums or {},
    )


LOCATION_TYPES = ("physical", "postal", "virtual")

TYPES: dict[str, TypeSpec] = {
    s.name: s
    for s in [
        _spec(
            "organization",
            "organizations.csv",
            "name alternate_name description email website tax_status tax_id year_incorporated "
            "legal_status logo uri parent_organization_id",
            m.Organization,
            required="name description",
            integers="year_incorporated",
        ),
        _spec(
            "service",
            "services.csv",
            "organization_id program_id name alternate_name description url email status "
            "interpretation_services application_process fees_description wait_time fees accreditations "
            "eligibility_description minimum_age maximum_age assured_date assurer_email licenses alert "
            "last_modified",
            m.Service,
            required="name status",
            integers="minimum_age maximum_age",
            enums={"status": ("active", "inactive", "defunct", "temporarily closed")},
        ),
        _spec(
            "location",
            "locations.csv",
            "location_type url organization_id name alternate_name description transportation latitude "
            "longitude external_identifier external_identifier_type",
            m.Location,
            required="location_type",
            numbers="latitude longitude",
            enums={"location_type": LOCATION_TYPES},
        ),
        _spec(
            "address",
            "addresses.csv",
            "location_id attention address_1 address_2 city region state_province postal_code country "
            "address_type",
            m.Address,
            required="address_1 city state_province postal_code country address_type",
            enums={"address_type": LOCATION_TYPES},
        ),
        _spec(
            "service_at_location",
            "service_at_location.csv",
            "service_id location_id description",
            m.ServiceAtLocation,
        ),
        _spec(
            "service_area",
            "service_areas.csv",
            "service_id service_at_location_id name description extent extent_type uri",
            m.ServiceArea,
        ),
        _spec("language", "languages.csv", "service_id location_id phone_id name code note", m.Language),
        _spec(
            "phone",
            "phones.csv",
            "location_id service_id organization_id contact_id service_at_location_id number extension "
            "type description",
            m.Phone,
            required="number",
            integers="extension",
        ),
        _spec(
            "contact",
            "contacts.csv",
            "organization_id service_id service_at_location_id location_id name title department email",
            m.Contact,
        ),
        _spec(
            "schedule",
            "schedules.csv",
            "service_id location_id service_at_location_id valid_from valid_to dtstart timezone until count "
            "wkst freq interval byday byweekno bymonthday byyearday description opens_at closes_at "
            "schedule_link attending_type notes",
            m.Schedule,
            integers="count interval",
            numbers="timezone",
            enums={
                "wkst": ("MO", "TU", "WE", "TH", "FR", "SA", "SU"),
                "freq": ("WEEKLY", "MONTHLY"),
            },
        ),
        _spec("taxonomy", "taxonomies.csv", "name description uri version", m.Taxonomy, "name description"),
        _spec(
            "taxonomy_term",
            "taxonomy_terms.csv",
            "code name description parent_id taxonomy language taxonomy_id term_uri",
            m.TaxonomyTerm,
            required="name description",
        ),
        _spec(
            "attribute",
            "attributes.csv",
            "link_id taxonomy_term_id link_type link_entity value label",
            m.Attribute,
        ),
        _spec("url", "url.csv", "label url organization_id service_id", m.Url, required="url"),
        _spec("unit", "units.csv", "name scheme identifier uri", m.Unit, required="name"),
        _spec(
            "service_capacity",
            "service_capacity.csv",
            "service_id unit_id available maximum description updated",
            m.ServiceCapacity,
            required="available updated",
            numbers="available maximum",
        ),
        # Kept as records (see HsdsRecord).
        _spec(
            "program",
            "programs.csv",
            "organization_id name alternate_name description",
            None,
            "name description",
        ),
        _spec("funding", "funding.csv", "organization_id service_id source"),
        _spec(
            "cost_option",
            "cost_options.csv",
            "service_id valid_from valid_to option currency amount amount_description",
            numbers="amount",
        ),
        _spec("required_document", "required_documents.csv", "service_id document uri"),
        _spec("accessibility", "accessibility.csv", "location_id description details url"),
        _spec(
            "organization_identifier",
            "organization_identifiers.csv",
            "organization_id identifier_scheme identifier_type identifier",
            required="identifier_type identifier",
        ),
        _spec(
            "metadata",
            "metadata.csv",
            "resource_id resource_type last_action_date last_action_type field_name previous_value "
            "replacement_value updated_by",
            required="last_action_date last_action_type field_name previous_value replacement_value updated_by",
        ),
        _spec("meta_table_description", "meta_table_descriptions.csv", "name language character_set"),
    ]
}

BY_CSV = {s.csv: s for s in TYPES.values()}
# Profile fields as extra CSV columns, so that a CSV package carries them too (above all the
# confidential flag: a shelter must stay confidential wherever its data goes).
PROFILE_COLUMNS: dict[str, tuple[str, ...]] = {
    "organization": ("visibility", "vetting_status", "vetting_next_audit_date"),
    "location": ("confidential",),
}
# Import order: vocabularies first, then providers down to their details (for readable errors only;
# references are plain ids, so order does not affect correctness).
ORDER = list(TYPES)


@dataclass(frozen=True)
class Child:
    key: str  # property in the nested JSON
    type: str
    link: str = ""  # child field set to the parent's id
    parent_field: str = ""  # or: parent field set to the child's id (a one-to-one)
    many: bool = True


ATTRIBUTES = Child("attributes", "attribute", "link_id")
METADATA = Child("metadata", "metadata", "resource_id")


def _nested(
    parent: str, children: str, extras: tuple[Child, ...] = (ATTRIBUTES, METADATA)
) -> tuple[Child, ...]:
    """``parent``'s children in JSON order, from words: "key:type" is a list of the objects that carry
    the parent's id in ``<parent>_id``; "key=type" is the one object the parent points at through its
    ``<type>_id``. ``extras`` follow (by default the attributes and metadata any object may have)."""
    out = []
    for word in children.split():
        key, one, type_name = word.partition("=")
        if one:
            out.append(Child(key, type_name, parent_field=f"{type_name}_id", many=False))
        else:
            key, _colon, type_name = word.partition(":")
            out.append(Child(key, type_name, f"{parent}_id"))
    return (*out, *extras)


NESTED: dict[str, tuple[Child, ...]] = {
    "service": _nested(
        "service",
        "additional_urls:url phones:phone schedules:schedule service_areas:service_area "
        "service_at_locations:service_at_location languages:language organization=organization "
        "funding:funding cost_options:cost_option program=program required_documents:required_document "
        "contacts:contact capacities:service_capacity",
    ),
    "organization": _nested(
        "organization",
        "additional_websites:url funding:funding contacts:contact phones:phone locations:location "
        "programs:program organization_identifiers:organization_identifier services:service",
    ),
    "location": _nested(
        "location",
        "languages:language addresses:address contacts:contact accessibility:accessibility phones:phone "
        "schedules:schedule",
    ),
    "service_at_location": _nested(
        "service_at_location",
        "service_areas:service_area contacts:contact phones:phone schedules:schedule location=location "
        "service=service",
    ),
    "phone": _nested("phone", "languages:language"),
    "contact": _nested("contact", "phones:phone"),
    "attribute": _nested("attribute", "taxonomy_term=taxonomy_term", extras=()),
    "taxonomy_term": _nested("taxonomy_term", "taxonomy_detail=taxonomy", extras=(METADATA,)),
    "service_capacity": _nested("service_capacity", "unit=unit"),
}


def type_for_filename(stem: str) -> TypeSpec | None:
    """ "service_full" -> service, "taxonomy_term_list" -> taxonomy_term, "services" -> service."""
    stem = stem.lower()
    best: TypeSpec | None = None
    for spec in TYPES.values():
        if stem.startswith(spec.name) and (best is None or len(spec.name) > len(best.name)):
            best = spec
    if best is None:
        for spec in TYPES.values():
            if stem == spec.csv.removesuffix(".csv"):
                return spec
    return best

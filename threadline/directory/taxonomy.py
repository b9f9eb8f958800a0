"""The project's two small taxonomies, attached to services through HSDS attributes, and the languages
offered in the search forms.

Ids are fixed (UUID 5 from the code), so every Threadline installation shares them and an export
from one imports into another without duplicates.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from threadline.directory.models import Taxonomy, TaxonomyTerm

NAMESPACE = uuid.UUID("3b9a3f1e-5d0c-4f53-9a52-8f2d1c0b7a61")
POPULATION_TAXONOMY = "populations"
SERVICE_TYPE_TAXONOMY = "service-types"
ACCESS_TAXONOMY = "access"  # seed 003's barriers, as what a service does NOT put in the way
GENDER_TAXONOMY = "genders-served"
LINK_TYPE = {
    POPULATION_TAXONOMY: "population",
    SERVICE_TYPE_TAXONOMY: "service_type",
    ACCESS_TAXONOMY: "access",
    GENDER_TAXONOMY: "gender_served",
}


def fixed_id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


POPULATIONS: dict[str, Promise] = {
    "lgbtq": _("LGBTQ+ people"),
    "aian": _("American Indian and Alaska Native people"),
    "refugees": _("Refugees and asylum seekers"),
    "ethnic-minorities": _("Ethnic minorities"),
    "homeless": _("People experiencing homelessness"),
    "hiv": _("People with HIV/AIDS"),
    "minority-groups": _("Religious, social or political minorities"),
    "serves-minors": _("Serves minors"),
    "trafficking-survivors": _("Survivors of trafficking"),
    "male-transgender": _("Male and transgender survivors"),
}

SERVICE_TYPES: dict[str, Promise] = {
    "shelter": _("Emergency shelter"),
    "housing": _("Housing"),
    "mental-health": _("Mental health counseling"),
    "case-management": _("Case management"),
    "legal": _("Legal services"),
    "medical": _("Medical care"),
    "substance-use": _("Substance use treatment"),
    "education": _("Education and employment"),
    "basic-needs": _("Basic needs"),
    "advocacy": _("Advocacy and accompaniment"),
    "hotline": _("Crisis hotline"),
    "mentoring": _("Survivor mentoring"),
}

# Barriers survivors meet at the door (seed 003), as attributes a listing can carry.
ACCESS: dict[str, Promise] = {
    "no-id-required": _("No ID required"),
    "no-tb-test": _("No TB test required"),
    "no-curfew": _("No curfew"),
    "single-rooms": _("Single rooms"),
    "walk-in": _("Walk-in"),
    "transport-provided": _("Transport provided"),
    "no-guardian-needed": _("Accepts youth with no guardian present"),
}

# A listing with none of these serves every gender.
GENDERS: dict[str, Promise] = {
    "female": _("Girls and women"),
    "male": _("Boys and men"),
    "transgender-nonbinary": _("Transgender and nonbinary youth"),
}

LANGUAGES: dict[str, Promise] = {
    "en": _("English"),
    "es": _("Spanish"),
    "vi": _("Vietnamese"),
    "zh": _("Chinese"),
    "ar": _("Arabic"),
    "fr": _("French"),
    "ko": _("Korean"),
    "tl": _("Tagalog"),
    "hi": _("Hindi"),
    "ase": _("American Sign Language"),
}

TAXONOMIES = {
    POPULATION_TAXONOMY: ("Threadline populations and specializations", POPULATIONS),
    SERVICE_TYPE_TAXONOMY: ("Threadline service types", SERVICE_TYPES),
    ACCESS_TAXONOMY: ("Threadline access (barriers removed)", ACCESS),
    GENDER_TAXONOMY: ("Threadline genders served", GENDERS),
}


def taxonomy_id(key: str) -> str:
    return fixed_id("taxonomy", key)


def term_id(taxonomy: str, code: str) -> str:
    return fixed_id("term", taxonomy, code)


def ensure_taxonomies() -> None:
    """Create the project taxonomies and their terms if missing (idempotent)."""
    with translation.override("en"), transaction.atomic():
        for key, (name, terms) in TAXONOMIES.items():
            Taxonomy.objects.get_or_create(
                id=taxonomy_id(key),
                defaults={"name": name, "description": f"{name} (Threadline HSDS profile)", "version": "1"},
            )
            for code, label in terms.items():
                TaxonomyTerm.objects.get_or_create(
                    id=term_id(key, code),
                    defaults={
                        "code": code,
                        "name": str(label),
                        "description": str(label),
                        "taxonomy": name,
                        "taxonomy_id": taxonomy_id(key),
                        "language": "en",
                    },
                )


def choices(terms: dict[str, Promise]) -> list[tuple[str, Promise]]:
    return list(terms.items())

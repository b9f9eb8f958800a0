"""Provider text in the visitor's language, when the listing has it.

HSDS 3.1 carries no second copy of a service's text, but its taxonomy terms have a ``language``
field and attributes carry a ``value``: the project profile stores a translation as an attribute of
the service whose term is "<field> in <language>" (taxonomy ``translations``, term ``code`` = the
field, term ``language`` = the ISO 639-1 code) and whose ``value`` is the translated text. It is
plain HSDS, so it goes through every export and import unchanged, and the audience gate shows it
exactly when it shows the service.

Text a provider gave in one language only is shown as it is, marked with its language (``lang``
attribute, "(in English)") so that a screen reader pronounces it right and nobody mistakes it for
our translation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from threadline.directory import models as m
from threadline.directory.taxonomy import fixed_id

TRANSLATION_TAXONOMY = "translations"
TRANSLATABLE = (
    "name",
    "description",
    "eligibility_description",
    "application_process",
    "fees_description",
    "alert",
)
ORIGINAL_LANGUAGE = "en"  # listings are written in English unless translated


def taxonomy_id() -> str:
    return fixed_id("taxonomy", TRANSLATION_TAXONOMY)


def term_id(language: str, field: str) -> str:
    return fixed_id("term", TRANSLATION_TAXONOMY, language, field)


def ensure_terms(language: str) -> None:
    m.Taxonomy.objects.get_or_create(
        id=taxonomy_id(),
        defaults={
            "name": "Threadline translations",
            "description": "Provider text in another language (Threadline HSDS profile)",
            "version": "1",
        },
    )
    for field in TRANSLATABLE:
        m.TaxonomyTerm.objects.get_or_create(
            id=term_id(language, field),
            defaults={
                "code": field,
                "name": f"{field} ({language})",
                "description": f"The service's {field} in language {language}",
                "taxonomy": "Threadline translations",
                "taxonomy_id": taxonomy_id(),
                "language": language,
            },
        )


def translation_attributes(service_id: str, language: str, texts: dict[str, str]) -> list[m.Attribute]:
    """Unsaved attribute rows carrying these translated texts (call ensure_terms first)."""
    return [
        m.Attribute(
            id=fixed_id("translation", service_id, language, field),
            link_id=service_id,
            link_type="translation",
            link_entity="service",
            taxonomy_term_id=term_id(language, field),
            value=text,
            label=language,
        )
        for field, text in texts.items()
        if field in TRANSLATABLE and text
    ]


@dataclass(frozen=True)
class Text:
    text: str
    lang: str  # the language it is written in
    translated: bool  # differs from the page's language: mark it


def localized(service: dict[str, Any], language: str) -> dict[str, Text]:
    """The service's texts in ``language`` where the listing has them, else as given (marked)."""
    wanted = (language or ORIGINAL_LANGUAGE).split("-")[0].lower()
    found: dict[str, str] = {}
    for attr in service.get("attributes", []) or []:
        term = attr.get("taxonomy_term") or {}
        if term.get("taxonomy_id") != taxonomy_id() or str(term.get("language", "")).lower() != wanted:
            continue
        if term.get("code") in TRANSLATABLE and attr.get("value"):
            found[str(term["code"])] = str(attr["value"])
    out: dict[str, Text] = {}
    for field in TRANSLATABLE:
        if field in found:
            out[field] = Text(found[field], wanted, False)
        elif service.get(field):
            out[field] = Text(str(service[field]), ORIGINAL_LANGUAGE, wanted != ORIGINAL_LANGUAGE)
    return out


def is_translation(attribute: dict[str, Any]) -> bool:
    return bool((attribute.get("taxonomy_term") or {}).get("taxonomy_id") == taxonomy_id())

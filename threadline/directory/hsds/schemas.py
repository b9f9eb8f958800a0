"""Validate HSDS objects against the official schemas in ``settings.HSDS_SPEC_DIR``.

The schemas are the Open Referral project's text (CC BY-SA 4.0) and are not copied into Threadline:
they are read from the folder named by HSDS_SPEC_DIR (by default ``../shared/hsds`` beside the repo;
get them from https://github.com/openreferral/specification, folder ``schema/``). Their ``$ref``s
name other files ("url.json"), so each file is registered in a ``referencing.Registry`` under its name.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

WHERE_TO_GET = (
    "the official HSDS 3.1 schemas and examples are not in {path}: set HSDS_SPEC_DIR to a copy of "
    "https://github.com/openreferral/specification (folders schema/ and examples/)"
)


def spec_dir() -> Path:
    return Path(settings.HSDS_SPEC_DIR)


def available() -> bool:
    return (spec_dir() / "schema" / "service.json").is_file()


def missing_message() -> str:
    return WHERE_TO_GET.format(path=spec_dir())


@lru_cache(maxsize=4)
def _load(folder: str) -> tuple[Registry[Any], dict[str, Any]]:
    schemas: dict[str, Any] = {}
    resources = []
    for path in sorted(Path(folder).glob("*.json")):
        contents = json.loads(path.read_text())
        schemas[path.name] = contents
        if path.name != "openapi.json":
            resources.append((path.name, Resource.from_contents(contents, default_specification=DRAFT202012)))
    return Registry().with_resources(resources), schemas


def _validator(schema: Any) -> Draft202012Validator:
    registry, _schemas = _load(str(spec_dir() / "schema"))
    return Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


@lru_cache(maxsize=64)
def validator_for(type_name: str) -> Draft202012Validator:
    _registry, schemas = _load(str(spec_dir() / "schema"))
    return _validator(schemas[f"{type_name}.json"])


def _nested_properties(type_name: str) -> set[str]:
    _registry, schemas = _load(str(spec_dir() / "schema"))
    props = schemas[f"{type_name}.json"].get("properties", {})
    return {k for k, v in props.items() if "$ref" in v or v.get("type") in ("array", "object")}


def errors(type_name: str, obj: Any, flat: bool = False) -> list[str]:
    """Every way the object departs from the schema, as "field: message" lines. ``flat``: the object
    stands alone in a table (nested objects such as a capacity's unit live in their own rows)."""
    found = []
    nested = _nested_properties(type_name) if flat else set()
    for error in sorted(validator_for(type_name).iter_errors(obj), key=lambda e: list(e.path)):
        if flat and error.validator == "required" and not error.path:
            missing = [name for name in error.validator_value if name not in obj]
            if all(name in nested for name in missing):
                continue
        where = ".".join(str(p) for p in error.path) or "(object)"
        found.append(f"{where}: {error.message}")
    return found


def page_schema() -> Any:
    _registry, schemas = _load(str(spec_dir() / "schema"))
    return schemas["openapi.json"]["components"]["schemas"]["Page"]


def page_errors(body: Any, item_type: str) -> list[str]:
    """A paginated /hsds/ response: the Page wrapper, then each item against its HSDS schema."""
    found = [f"page: {e.message}" for e in _validator(page_schema()).iter_errors(body)]
    for key in ("total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty"):
        if key not in body:
            found.append(f"page: {key} is missing")
    for index, item in enumerate(body.get("contents", [])):
        found.extend(f"contents[{index}].{line}" for line in errors(item_type, item))
    return found


def meta_schema() -> Any:
    _registry, schemas = _load(str(spec_dir() / "schema"))
    return schemas["openapi.json"]["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]


def meta_errors(body: Any) -> list[str]:
    return [e.message for e in _validator(meta_schema()).iter_errors(body)]

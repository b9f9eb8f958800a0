"""Fictional providers for the demo and the benchmark. Coined place names, 555-01xx phone numbers,
example.org addresses: nothing here names a real organization or person.

Ids are UUID 5 of (label, index), and rows are inserted with ignore_conflicts, so running it twice
changes nothing.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from threadline.directory import models as m
from threadline.directory.geo import TEXAS_COUNTIES, zips_in_county
from threadline.directory.models import VettingStatus, Visibility
from threadline.directory.search_index import reindex_all
from threadline.directory.taxonomy import (
    ACCESS,
    ACCESS_TAXONOMY,
    GENDER_TAXONOMY,
    GENDERS,
    LANGUAGES,
    LINK_TYPE,
    POPULATION_TAXONOMY,
    POPULATIONS,
    SERVICE_TYPE_TAXONOMY,
    SERVICE_TYPES,
    ensure_taxonomies,
    term_id,
)
from threadline.directory.translations import ensure_terms, translation_attributes

NAMESPACE = uuid.UUID("0f1c4d7e-2a55-4c1b-9e3e-6a0d5b8c9f12")
COINED = [
    "Tallowbrook",
    "Quillmere",
    "Brindlecreek",
    "Sorrelridge",
    "Fennwick",
    "Ashgrove Hollow",
    "Larkspur Bend",
    "Copperleaf",
    "Thistledown",
    "Wrenfield",
    "Mossbank",
    "Emberlin",
    "Kestrel Flats",
    "Cindervale",
    "Hollowmere",
    "Bramblecrest",
    "Saltgrass Point",
    "Duskwater",
    "Pinnacle Mesa",
    "Starling Draw",
]
KINDS = [
    ("Youth Shelter", "shelter"),
    ("Counseling Collective", "mental-health"),
    ("Legal Aid Project", "legal"),
    ("Family Services", "case-management"),
    ("Community Health Clinic", "medical"),
    ("Recovery House", "substance-use"),
    ("Survivor Advocacy Network", "advocacy"),
    ("Mentoring Circle", "mentoring"),
    ("Housing Partners", "housing"),
    ("Crisis Line", "hotline"),
    ("Learning and Work Center", "education"),
    ("Resource Pantry", "basic-needs"),
]
DEMO_COUNTIES = [
    "48029",
    "48453",
    "48201",
    "48113",
    "48439",
    "48141",
    "48215",
    "48061",
    "48479",
    "48355",
    "48303",
    "48309",
    "48265",
    "48259",
    "48339",
    "48091",
    "48187",
    "48027",
    "48041",
    "48423",
]
DAYS = ["MO", "TU", "WE", "TH", "FR"]


def fixed(label: str, *parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join([label, *map(str, parts)])))


@dataclass
class Batch:
    rows: dict[type[models.Model], list[Any]] = field(default_factory=dict)

    def add(self, obj: models.Model) -> None:
        self.rows.setdefault(type(obj), []).append(obj)

    def save(self) -> None:
        for model, objs in self.rows.items():
            model._default_manager.bulk_create(objs, batch_size=1000, ignore_conflicts=True)


def generate(*, count: int, label: str = "demo", seed: int = 7, counties: list[str] | None = None) -> int:
    """Create ``count`` fictional providers, one service each (idempotent for the same label)."""
    ensure_taxonomies()
    ensure_terms("es")
    rng = random.Random(seed)  # noqa: S311
    # Access and gender attributes draw from their own stream, so adding them left every other
    # generated value (and the tests that count on it) as it was.
    extra = random.Random(seed * 7919 + 1)  # noqa: S311
    counties = counties or DEMO_COUNTIES
    zips = {fips: zips_in_county(fips) for fips in counties}
    today = timezone.localdate()
    now = timezone.now()
    batch = Batch()
    for i in range(count):
        fips = counties[i % len(counties)]
        county = TEXAS_COUNTIES[fips]
        coined = COINED[(i // len(counties)) % len(COINED)]
        kind, type_code = KINDS[(i * 7 + i // 3) % len(KINDS)]
        name = f"{coined} {kind} of {county}"
        if i >= len(COINED) * len(counties):
            name = f"{name} {i // (len(COINED) * len(counties)) + 1}"
        slug = f"{coined}-{type_code}-{i}".lower().replace(" ", "-")
        org_id, service_id = fixed(label, "org", i), fixed(label, "service", i)
        roll = rng.random()
        if roll < 0.62:
            status = VettingStatus.VETTED
        elif roll < 0.74:
            status = VettingStatus.APPLIED
        elif roll < 0.84:
            status = VettingStatus.UNDER_REVIEW
        elif roll < 0.93:
            status = VettingStatus.SUSPENDED
        else:
            status = VettingStatus.DELISTED
        vis_roll = rng.random()
        visibility = (
            Visibility.PUBLIC
            if vis_roll < 0.6
            else Visibility.NETWORK
            if vis_roll < 0.9
            else Visibility.PRIVATE
        )
        approved = now - timedelta(days=rng.randint(20, 700)) if status != VettingStatus.APPLIED else None
        next_audit = None
        if status == VettingStatus.VETTED and approved is not None:
            next_audit = today + timedelta(days=rng.randint(-40, 365))
        batch.add(
            m.Organization(
                id=org_id,
                name=name,
                description=f"A fictional {kind.lower()} serving {county} County (demo data).",
                email=f"intake@{slug}.example.org",
                website=f"https://{slug}.example.org",
                vetting_status=status,
                visibility=visibility,
                applied_at=(approved or now) - timedelta(days=30),
                approved_at=approved if status in (VettingStatus.VETTED, VettingStatus.SUSPENDED) else None,
                next_audit_date=next_audit,
                evidence="Demo: application answers read, references called." if approved else "",
            )
        )
        shelter = type_code in ("shelter", "housing")
        minors_roll = rng.random()
        min_age = 0 if minors_roll < 0.35 else 12 if minors_roll < 0.6 else 18
        max_age = 17 if min_age == 0 and rng.random() < 0.4 else 24 if rng.random() < 0.5 else 99
        batch.add(
            m.Service(
                id=service_id,
                organization_id=org_id,
                name=name,
                description=f"{kind} for survivors of trafficking and youth at risk in {county} County.",
                email=f"intake@{slug}.example.org",
                url=f"https://{slug}.example.org",
                status="active",
                minimum_age=min_age,
                maximum_age=max_age,
                application_process="Call or e-mail; referrals and warm transfers welcome.",
                last_modified=now,
            )
        )
        area_counties = {fips, counties[(i + 3) % len(counties)]} if rng.random() < 0.4 else {fips}
        for n, area in enumerate(sorted(area_counties)):
            batch.add(
                m.ServiceArea(
                    id=fixed(label, "area", i, n),
                    service_id=service_id,
                    name=f"{TEXAS_COUNTIES[area]} County, TX",
                    uri=area,
                )
            )
        place = rng.choice(zips[fips]) if zips[fips] else None
        confidential = shelter and rng.random() < 0.7
        location_id = fixed(label, "location", i)
        batch.add(
            m.Location(
                id=location_id,
                organization_id=org_id,
                location_type="physical",
                name=name,
                latitude=None if place is None else round(place.lat + rng.uniform(-0.03, 0.03), 5),
                longitude=None if place is None else round(place.lon + rng.uniform(-0.03, 0.03), 5),
                confidential=confidential,
            )
        )
        batch.add(
            m.Address(
                id=fixed(label, "address", i),
                location_id=location_id,
                address_1=f"{100 + i % 900} {coined} Street",
                city=f"{county} (demo)",
                state_province="TX",
                postal_code=place.zip_code if place else "",
                country="US",
                address_type="physical",
            )
        )
        batch.add(
            m.ServiceAtLocation(id=fixed(label, "sal", i), service_id=service_id, location_id=location_id)
        )
        batch.add(
            m.Phone(
                id=fixed(label, "phone", i),
                service_id=service_id,
                number=f"(210) 555-01{i % 100:02d}",
                type="voice",
            )
        )
        languages = ["en", *rng.sample([c for c in LANGUAGES if c != "en"], k=rng.choice([0, 1, 1, 2]))]
        if rng.random() < 0.55 and "es" not in languages:
            languages.append("es")
        for code in languages:
            batch.add(
                m.Language(
                    id=fixed(label, "lang", i, code),
                    service_id=service_id,
                    code=code,
                    name=str(LANGUAGES[code]),
                )
            )
        if "es" in languages:
            # Providers that speak Spanish give their text in Spanish too (issue 15): shown to
            # visitors who read the directory in Spanish.
            for row in translation_attributes(
                service_id,
                "es",
                {
                    "description": "Servicios para sobrevivientes de trata y jóvenes en riesgo en el "
                    f"condado de {county} (datos de demostración).",
                    "application_process": "Llame o escriba un correo; aceptamos remisiones y "
                    "transferencias directas.",
                },
            ):
                batch.add(row)
        populations = set(rng.sample(list(POPULATIONS), k=rng.choice([0, 1, 2, 3])))
        populations.add("trafficking-survivors")
        if min_age < 18:
            populations.add("serves-minors")
        for code in sorted(populations):
            _attribute(batch, label, i, service_id, POPULATION_TAXONOMY, code)
        for code in sorted(
            {type_code} | ({rng.choice(list(SERVICE_TYPES))} if rng.random() < 0.3 else set())
        ):
            _attribute(batch, label, i, service_id, SERVICE_TYPE_TAXONOMY, code)
        for code in sorted(extra.sample(list(ACCESS), k=extra.choice([0, 1, 2, 3, 4]))):
            _attribute(batch, label, i, service_id, ACCESS_TAXONOMY, code)
        if extra.random() < 0.3:
            _attribute(batch, label, i, service_id, GENDER_TAXONOMY, extra.choice(list(GENDERS)))
        if type_code == "hotline" or (shelter and rng.random() < 0.5):
            batch.add(
                m.Schedule(
                    id=fixed(label, "schedule", i),
                    service_id=service_id,
                    freq="WEEKLY",
                    byday="MO,TU,WE,TH,FR,SA,SU",
                    opens_at="00:00",
                    closes_at="23:59",
                    description="Open 24/7",
                )
            )
        else:
            batch.add(
                m.Schedule(
                    id=fixed(label, "schedule", i),
                    service_id=service_id,
                    freq="WEEKLY",
                    byday=",".join(DAYS),
                    opens_at=rng.choice(["08:00", "09:00"]),
                    closes_at=rng.choice(["17:00", "18:00"]),
                )
            )
        if shelter:
            batch.add(m.Unit(id=fixed("unit", "bed"), name="bed", scheme="threadline", identifier="bed"))
            batch.add(
                m.ServiceCapacity(
                    id=fixed(label, "capacity", i),
                    service_id=service_id,
                    unit_id=fixed("unit", "bed"),
                    available=rng.choice([0, 0, 1, 2, 3, 5]),
                    maximum=rng.choice([6, 8, 12]),
                    updated=now.isoformat(timespec="seconds"),
                )
            )
    with transaction.atomic():
        batch.save()
        reindex_all()
    return count


def _attribute(batch: Batch, label: str, i: int, service_id: str, taxonomy: str, code: str) -> None:
    batch.add(
        m.Attribute(
            id=fixed(label, "attr", i, taxonomy, code),
            link_id=service_id,
            link_entity="service",
            link_type=LINK_TYPE[taxonomy],
            taxonomy_term_id=term_id(taxonomy, code),
        )
    )

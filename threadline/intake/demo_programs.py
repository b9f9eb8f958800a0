"""The two demo programs, as data. Installed by a data migration (so ``eligibility_check`` works on a
freshly migrated database) and re-checked by ``demo.load``. Idempotent: an existing program is left
alone (its rules change only through new versions made by a program admin).

County names are real geography; everything else about these programs is fictional demo setup.
"""

from __future__ import annotations

from typing import Any

ALL_CONNECTIONS = ["resides", "physically_present", "travelling_to", "victimized_in"]

# Seed 001: "Youth up to age 18 in Bexar County. Youth and young adults up to age 24 in Kendall, Kerr,
# Hidalgo and Montgomery counties"; physically in, travelling to, or victimized in the area. The
# domain summary adds that a county may serve up to 21 a youth who entered services before 18: Bexar
# does so here.
FIVE_COUNTY: dict[str, Any] = {
    "slug": "demo-five-county",
    "name": "Demo five-county care coordination",
    "state": "TX",
    "connections": ALL_CONNECTIONS,
    "extension_entry_age": 18,
    "counties": [
        ("Bexar", 18, 21),
        ("Kendall", 24, None),
        ("Kerr", 24, None),
        ("Hidalgo", 24, None),
        ("Montgomery", 24, None),
    ],
    "regions": ["Five-county area"],
    "routing": {"Five-county area": ["Bexar", "Kendall", "Kerr", "Hidalgo", "Montgomery"]},
    "default_region": "Five-county area",
}

# Seed 000: survivors "under the age of 25" in a 26-county area of central Texas, with offices in
# San Antonio, Waco and Killeen. Under 25 is "up to 24" in Threadline's reading of ages.
CENTRAL_TEXAS_COUNTIES = [
    # around San Antonio
    "Bexar",
    "Atascosa",
    "Bandera",
    "Comal",
    "Frio",
    "Guadalupe",
    "Kendall",
    "Kerr",
    "Medina",
    "Wilson",
    "Karnes",
    "Gonzales",
    "Caldwell",
    "Hays",
    # between, and around Killeen
    "Travis",
    "Williamson",
    "Bell",
    "Coryell",
    "Lampasas",
    "Milam",
    # around Waco
    "McLennan",
    "Falls",
    "Hill",
    "Bosque",
    "Limestone",
    "Hamilton",
]

CENTRAL_TEXAS: dict[str, Any] = {
    "slug": "demo-central-texas",
    "name": "Demo central Texas rapid response",
    "state": "TX",
    "connections": ALL_CONNECTIONS,
    "extension_entry_age": 18,
    "counties": [(name, 24, None) for name in CENTRAL_TEXAS_COUNTIES],
    "regions": ["San Antonio", "Waco", "Killeen"],
    # Routing (issue 13): the counties each office answers for; unknown counties go to San Antonio.
    "routing": {
        "San Antonio": CENTRAL_TEXAS_COUNTIES[:14],
        "Killeen": CENTRAL_TEXAS_COUNTIES[14:20],
        "Waco": CENTRAL_TEXAS_COUNTIES[20:],
    },
    "default_region": "San Antonio",
}

PROGRAMS = [FIVE_COUNTY, CENTRAL_TEXAS]


def install(program_model: Any, version_model: Any, county_model: Any) -> int:
    """Create the missing demo programs with their first rule version. Takes the model classes so the
    data migration can pass its historical models. Returns how many programs were created."""
    created = 0
    for spec in PROGRAMS:
        program, was_created = program_model.objects.get_or_create(
            slug=spec["slug"], defaults={"name": spec["name"], "state": spec["state"], "is_demo": True}
        )
        created += int(was_created)
        if version_model.objects.filter(program=program).exists():
            continue
        version = version_model.objects.create(
            program=program,
            number=1,
            connections=list(spec["connections"]),
            extension_entry_age=spec["extension_entry_age"],
            note="demo configuration",
        )
        for county, max_age, extended in spec["counties"]:
            county_model.objects.create(
                version=version, county=county, max_age=max_age, extended_max_age=extended
            )
    return created

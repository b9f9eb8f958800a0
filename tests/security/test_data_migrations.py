"""Data migrations, tested with django-test-migrations: start from the state before the migration, apply
it, check the data it must leave (the migration runs on a database that already exists in production)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.django_db(transaction=True)
def test_demo_programs_migration_installs_the_programs_and_their_rules(migrator: Any) -> None:
    old = migrator.apply_initial_migration(("intake", "0001_initial"))
    assert old.apps.get_model("intake", "Program").objects.count() == 0

    new = migrator.apply_tested_migration(("intake", "0002_demo_programs"))
    program_model = new.apps.get_model("intake", "Program")
    program = program_model.objects.get(slug="demo-five-county")
    rules = new.apps.get_model("intake", "RuleVersion").objects.filter(program=program)
    assert rules.count() >= 1
    counties = new.apps.get_model("intake", "CountyRule").objects.filter(version__program=program)
    assert counties.count() == 5

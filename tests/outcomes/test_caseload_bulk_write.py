"""The benchmark generator writes the generated caseload through ``bench/fastwrite.py`` (COPY on
PostgreSQL, executemany on SQLite) instead of ``bulk_create``: the rows must be the same, foreign keys
and encrypted fields included (issue 18)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.db import models, transaction
from django.utils import timezone

from tests.conftest import Persona
from tests.outcomes.conftest import caseload_setting
from tests.youth.main_county_rule import main_counties_off_the_rule
from threadline.access.models import CareTeamMember
from threadline.accounts.models import Organization
from threadline.audit import ledger
from threadline.care import models as care
from threadline.crypto.fields import EncryptedField
from threadline.crypto.models import DataKey
from threadline.intake import models as intake
from threadline.outcomes import demo_generate as generate
from threadline.outcomes.demo_caseload_services import generated_caseload_write
from threadline.youth import models as youth

BENCH = Path(__file__).resolve().parents[2] / "bench"
WRITTEN: list[type[models.Model]] = [
    youth.Youth, intake.EligibilityDecision, intake.Referral, intake.MandatoryReport, intake.Alert,
    youth.ContactWay, youth.CountyConnection, CareTeamMember, care.CaseClosure, youth.MissingEpisode,
    youth.Placement, youth.PlacementAddress, care.StageAssessment, care.OutcomeCheckIn, care.CarePlan,
    care.PlanService, care.Task, care.Meeting, care.CaseNote, care.ScreeningResult,
]  # fmt: skip


def _fastwrite() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fastwrite", BENCH / "fastwrite.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["fastwrite"] = module
    spec.loader.exec_module(module)
    return module


class Snapshot:
    """Every written row as its content: no primary keys (random), foreign keys to written rows as
    the content of the row they point at, encrypted fields opened, times taken at writing as "now"."""

    def __init__(self, since: dt.datetime) -> None:
        self.since = since
        self.by_pk: dict[tuple[type[models.Model], Any], tuple[Any, ...]] = {}

    def row(self, obj: models.Model) -> tuple[Any, ...]:
        key = (type(obj), obj.pk)
        if key in self.by_pk:
            return self.by_pk[key]
        values: list[Any] = []
        for field in obj._meta.concrete_fields:
            if field.primary_key:
                continue
            if isinstance(field, models.ForeignKey):
                target = getattr(obj, field.name)
                if isinstance(target, DataKey):
                    values.append(("key", target.pk is not None))
                elif type(target) in WRITTEN:
                    values.append(self.row(target))
                else:
                    values.append(getattr(obj, field.attname))
                continue
            value = getattr(obj, field.attname)
            if isinstance(obj, intake.Referral) and field.name == "reference" and obj.youth_id is None:
                value = "R-G<random>"  # a referral that never became a youth: a random code
            if isinstance(obj, intake.Alert) and field.name == "object_id":
                value = self.row(intake.Referral.objects.get(pk=value))
            if isinstance(value, dt.datetime) and value >= self.since:
                value = "<now>"
            if isinstance(field, EncryptedField):
                value = ("sealed", value)
            values.append(value)
        self.by_pk[key] = tuple(values)
        return self.by_pk[key]

    def take(self) -> dict[str, list[str]]:
        return {
            model._meta.label: sorted(repr(self.row(obj)) for obj in model._default_manager.all())
            for model in WRITTEN
        }


@pytest.mark.django_db
def test_the_copied_caseload_is_the_bulk_created_one(
    care_coordinator_org: Organization, coordinator: Persona, advocate: Persona
) -> None:
    setting = caseload_setting(care_coordinator_org, coordinator, advocate)
    end, tz = timezone.localdate(), timezone.get_current_timezone()
    since = timezone.now()
    snapshots = []
    for write in (None, _fastwrite().write_models):
        plan = generate.plan(seed=7, youths=30, end=end, tz=tz)
        with transaction.atomic():
            kwargs: dict[str, Any] = {"write": write} if write else {}
            written = generated_caseload_write(
                setting=setting, youths=plan.youths, others=plan.other_referrals, batch=12, **kwargs
            )
            assert written == 30
            assert ledger.verify().ok
            assert main_counties_off_the_rule() == {}  # the main county the rule derives, by both writers
            snapshots.append(Snapshot(since).take())
            transaction.set_rollback(True)
    bulk_created, copied = snapshots
    assert all(bulk_created[label] for label in ("youth.Youth", "care.CaseNote", "intake.Referral"))
    assert copied == bulk_created

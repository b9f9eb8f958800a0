"""A generated caseload for demos and benchmarks (``outcomes.demo_generate``), written in bulk: synthetic
records only, never a real youth."""

from __future__ import annotations

import datetime as dt
import uuid
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from threadline.audit import ledger
from threadline.outcomes.demo_generate import COUNTY_WEIGHTS, GenReferral, GenYouth
from threadline.youth.counties import main_county
from threadline.youth.gender import gender_group
from threadline.youth.policy import youth_for_maintenance


@dataclass(frozen=True)
class CaseloadSetting:
    """Where a generated caseload lives: the Care Coordinator organization, its staff, its programs
    (each with a current rule version and an on-call region) and the screening instrument."""

    organization_id: int
    advocate_id: int
    coordinator_id: int
    program_ids: tuple[int, ...]
    instrument_id: int | None
    # More advocates to share the caseload among (round robin); empty: ``advocate_id`` holds it all.
    advocate_ids: tuple[int, ...] = ()

    def advocate_for(self, index: int) -> int:
        return self.advocate_ids[index % len(self.advocate_ids)] if self.advocate_ids else self.advocate_id


BatchHook = Callable[[list[Any], list[GenYouth]], None]
# How a batch's rows reach the database: ``bulk_create`` unless a caller writes them its own way (the
# benchmark generator copies them in: ``bench/fastwrite.py``), the same rows either way.
BulkWrite = Callable[[type[Any], list[Any]], None]


def bulk_create(model: type[Any], objs: list[Any]) -> None:
    from threadline.youth.models import Youth

    if model is Youth:
        youth_for_maintenance().bulk_create(objs)
    else:
        model.objects.bulk_create(objs)


def generated_caseload_write(
    *,
    setting: CaseloadSetting,
    youths: Iterable[GenYouth],
    others: Iterable[GenReferral] = (),
    batch: int = 400,
    searchable: bool = False,
    extras: BatchHook | None = None,
    write: BulkWrite = bulk_create,
) -> int:
    """Write a generated caseload (``outcomes.demo_generate``) in bulk, one transaction per batch, each
    with a ledger row saying it is fictional generated data. ``searchable``: also build the
    blind-index search rows (the demo; a benchmark skips them or builds them in bulk through
    ``extras``). ``extras(youths, generated)`` runs inside each batch's transaction after its rows are
    written (``bench/generate.py`` adds timeline, ledger and search rows there). ``write(model, objs)``
    writes each table's rows (``bulk_create`` by default). Returns the youths written."""
    from threadline.intake.models import Program

    programs = list(Program.objects.filter(pk__in=setting.program_ids).order_by("pk"))
    contexts = []
    for program in programs:
        rules = program.current_rules()
        region = program.regions.order_by("name").first()
        if rules is None:
            continue
        counties = dict(rules.counties.values_list("county", "max_age"))
        contexts.append((program, rules, region, counties))
    if not contexts:
        return 0
    written = 0
    chunk: list[GenYouth] = []
    for youth in youths:
        chunk.append(youth)
        if len(chunk) >= batch:
            written += _write_batch(setting, contexts, chunk, searchable, extras, write)
            chunk = []
    if chunk:
        written += _write_batch(setting, contexts, chunk, searchable, extras, write)
    other_list = list(others)
    for start in range(0, len(other_list), batch):
        _write_other_referrals(contexts, other_list[start : start + batch], write)
    return written


def _context_for(county: str, contexts: list[Any]) -> Any:
    for context in contexts:
        if county in context[3]:
            return context
    return contexts[-1]


def _data_key() -> Any:
    from threadline.crypto.envelope import new_data_key, wrap_data_key
    from threadline.crypto.models import DataKey

    key = DataKey()
    key.master_key_id, key.wrapped = wrap_data_key(new_data_key(), data_key_id=str(key.id))
    return key


def _decision(context: Any, county: str, age: int, at: dt.datetime) -> Any:
    from threadline.intake.choices import Outcome
    from threadline.intake.models import EligibilityDecision

    program, rules, _region, counties = context
    params: dict[str, object]
    if county not in counties:
        outcome, code, params = Outcome.NOT_ELIGIBLE, "outside_area", {"county": county}
    elif age > counties[county]:
        outcome, code = Outcome.NOT_ELIGIBLE, "too_old"
        params = {"county": county, "max_age": counties[county], "age": age}
    else:
        outcome, code = Outcome.ELIGIBLE, "eligible"
        params = {"county": county, "max_age": counties[county], "age": age}
    return EligibilityDecision(
        program=program,
        rule_version=rules,
        outcome=outcome,
        reason_code=code,
        reason_params=params,
        county=county,
        state="TX",
        age=age,
        connection="physically_present",
        decided_at=at,
    )


def _referral(
    context: Any,
    rows: dict[type[Any], list[Any]],
    referral: GenReferral | GenYouth,
    age: int,
    decided_after: dt.timedelta,
    **fields: Any,
) -> Any:
    """A generated referral to the program of ``context``, with its eligibility decision under the
    program's rules and its own data key, added to ``rows``; ``fields``: what else the referral says."""
    from threadline.crypto.models import DataKey
    from threadline.intake.models import EligibilityDecision, Referral

    decision = _decision(context, referral.county, age, referral.received_at + decided_after)
    rows[EligibilityDecision].append(decision)
    key = _data_key()
    rows[DataKey].append(key)
    made = Referral(
        program=context[0],
        data_key=key,
        channel=referral.channel,
        source=referral.source,
        concern=referral.concern,
        county=referral.county,
        connection="physically_present",
        age=age,
        decision=decision,
        received_at=referral.received_at,
        updated_at=referral.received_at,
        **{"what_is_known": "", **fields},  # as ``referral_submit`` writes it: text, never None
    )
    rows[Referral].append(made)
    return made


def _recorded_generated(object_type: str, count: int) -> None:
    """The ledger row that says rows written here are fictional generated data."""
    ledger.record(
        actor=None,
        organization=None,
        action="create",
        object_type=object_type,
        object_id=count,
        purpose="fictional generated data",
    )


def _write_other_referrals(contexts: list[Any], others: list[GenReferral], write: BulkWrite) -> None:
    from threadline.crypto.models import DataKey
    from threadline.intake.models import EligibilityDecision, Referral

    rows: dict[type[Any], list[Any]] = {DataKey: [], EligibilityDecision: [], Referral: []}
    with transaction.atomic():
        for other in others:
            _referral(
                _context_for(other.county, contexts),
                rows,
                other,
                other.age,
                dt.timedelta(hours=2),
                status=other.status,
                reference="R-G" + uuid.uuid4().hex[:9].upper(),
            )
        for model, objs in rows.items():
            write(model, objs)
        _recorded_generated("generated_referrals", len(others))


def _write_batch(
    setting: CaseloadSetting,
    contexts: list[Any],
    chunk: list[GenYouth],
    searchable: bool,
    extras: BatchHook | None = None,
    write: BulkWrite = bulk_create,
) -> int:
    from threadline.access.models import CareTeamMember, TeamRole
    from threadline.care.models import (
        CarePlan,
        CaseClosure,
        CaseNote,
        Meeting,
        NoteState,
        PlanService,
        ScreeningResult,
        StageAssessment,
        Task,
    )
    from threadline.care.models import OutcomeCheckIn as CheckIn
    from threadline.care.stages import movement
    from threadline.crypto.models import DataKey
    from threadline.intake.models import Alert, EligibilityDecision, MandatoryReport, Referral
    from threadline.youth.models import (
        ContactWay,
        CountyConnection,
        MissingEpisode,
        Placement,
        PlacementAddress,
        Youth,
    )

    today = timezone.localdate()
    org, coordinator = setting.organization_id, setting.coordinator_id
    # Each table's rows, in the order they are written (a row after those it points at).
    rows: dict[type[Any], list[Any]] = {model: [] for model in (
        DataKey, Youth, EligibilityDecision, Referral, MandatoryReport, Alert, ContactWay, CountyConnection,
        CareTeamMember, CaseClosure, MissingEpisode, Placement, PlacementAddress, StageAssessment, CheckIn,
        CarePlan, PlanService, Task, Meeting, CaseNote, ScreeningResult)}  # fmt: skip

    def add(row: Any) -> None:
        rows[type(row)].append(row)

    with transaction.atomic():
        for g in chunk:
            advocate = setting.advocate_for(g.index)
            key = _data_key()
            add(key)
            age_now = (
                today.year
                - g.date_of_birth.year
                - ((today.month, today.day) < (g.date_of_birth.month, g.date_of_birth.day))
            )
            youth = Youth(
                reference=g.reference,
                data_key=key,
                preferred_name=g.preferred_name,
                legal_name=g.legal_name,
                date_of_birth=g.date_of_birth,
                estimated_age=age_now,
                age_recorded_on=today,
                gender_identity=g.gender_words,
                gender_group=gender_group(g.gender_words),
                pronouns="",
                languages=["English"],
                status="closed" if g.closed_on else "open",
                created_at=g.received_at,
                updated_at=g.received_at,
                created_by_org_id=org,
            )
            add(youth)
            if g.phone:
                add(ContactWay(youth=youth, kind="phone", value=g.phone, safe_to_contact=True))
            connections = [CountyConnection(youth=youth, county=g.county, kind="physically_present")]
            for kind in ("victimized_in", "found_in"):  # seed 002: where it happens (issue 15)
                connections.append(CountyConnection(youth=youth, county=_where(g, kind), kind=kind))
            for connection in connections:
                add(connection)
            # Written before its connections: the main county is derived from them here, by the rule.
            youth.main_county = main_county((c.kind, c.county, c.pk) for c in connections)
            context = _context_for(g.county, contexts)
            referral = _referral(
                context,
                rows,
                g,
                g.age_at_referral,
                dt.timedelta(hours=1),
                urgent=g.urgent,
                youth_name=g.legal_name,
                youth_date_of_birth=g.date_of_birth,
                youth_phone=g.phone,
                status="accepted",
                youth=youth,
                first_contact_at=g.received_at + g.first_contact_after if g.first_contact_after else None,
                reference="R-G" + g.reference[3:] + "0",
            )
            if g.age_at_referral < 18:
                due = g.received_at + dt.timedelta(hours=8)
                for agency in MandatoryReport.Agency.values:
                    lateness = dt.timedelta(hours=(g.index * 7 + len(agency)) % 11)
                    add(
                        MandatoryReport(
                            referral=referral,
                            agency=agency,
                            due_at=due,
                            reported_at=g.received_at + lateness,
                            reported_to="duty desk",
                        )
                    )
            region = context[2]
            if g.urgent and region is not None:
                acked = g.received_at + g.acknowledged_after if g.acknowledged_after else None
                add(
                    Alert(
                        kind=Alert.Kind.URGENT_REFERRAL,
                        object_type="referral",
                        object_id=str(referral.pk),
                        region=region,
                        started_at=g.received_at,
                        assigned_to_id=advocate,
                        assigned_at=g.received_at,
                        acknowledged_at=acked,
                        acknowledged_by_id=advocate if acked else None,
                    )
                )
            add(
                CareTeamMember(
                    youth=youth,
                    organization_id=org,
                    person_id=advocate,
                    role=TeamRole.LEAD_ADVOCATE,
                    started_on=g.start,
                    ended_on=g.closed_on,
                )
            )
            if g.closed_on:
                add(
                    CaseClosure(
                        youth=youth,
                        reason=g.closure_reason,
                        aftercare="",
                        closed_at=_at(g.closed_on),
                        closed_by_id=coordinator,
                    )
                )
            for episode in g.episodes:
                add(MissingEpisode(youth=youth, started_at=episode.started_at, ended_at=episode.ended_at))
            for kind, begins, finished, safe, address in g.placements:
                placement = Placement(
                    youth=youth, placement_type=kind, started_on=begins, ended_on=finished, felt_safe=safe
                )
                add(placement)
                add(PlacementAddress(youth=youth, placement=placement, address=address))
            previous = None
            for day, stage in g.stages:
                add(
                    StageAssessment(
                        youth=youth,
                        stage=stage,
                        movement=movement(previous, stage),
                        assessed_on=day,
                        by_id=advocate,
                        organization_id=org,
                    )
                )
                previous = stage
            for measured_on, ratings in g.check_ins:
                add(
                    CheckIn(
                        youth=youth,
                        measured_on=measured_on,
                        ratings=ratings,
                        by_id=advocate,
                        organization_id=org,
                    )
                )
            plan = CarePlan(youth=youth, state="closed" if g.closed_on else "active", created_at=_at(g.start))
            add(plan)
            for domain, started_on in g.services:
                add(
                    PlanService(
                        youth=youth, plan=plan, domain=domain, provider_name="Partner", started_on=started_on
                    )
                )
            for due_on, done in g.tasks:
                add(
                    Task(
                        youth=youth,
                        plan=plan,
                        title="Follow up",
                        owner_person_id=advocate,
                        due_on=due_on,
                        state="done" if done else "open",
                        created_by_id=coordinator,
                    )
                )
            for kind, when, held in g.meetings:
                add(
                    Meeting(
                        youth=youth,
                        meeting_type=kind,
                        scheduled_at=when,
                        held_at=held,
                        created_by_id=coordinator,
                    )
                )
            for kind, when, minutes in g.contacts:
                add(
                    CaseNote(
                        youth=youth,
                        author_id=advocate,
                        organization_id=org,
                        state=NoteState.FINAL,
                        contact_type=kind,
                        contact_at=when,
                        duration_minutes=minutes,
                        narrative="",
                        created_at=when,
                        updated_at=when,
                        finalized_at=when,
                    )
                )
            if setting.instrument_id is not None:
                for screened_on, complete in g.screenings:
                    add(
                        ScreeningResult(
                            youth=youth,
                            instrument_id=setting.instrument_id,
                            screener_id=advocate,
                            organization_id=org,
                            screened_on=screened_on,
                            answers={},
                            section_scores={},
                            total=0,
                            band="" if not complete else "some",
                            band_at_least="",
                            complete=complete,
                        )
                    )
        for model, objs in rows.items():
            write(model, objs)
        if searchable:
            from threadline.youth.search_index import reindex

            for youth in rows[Youth]:
                reindex(youth)
        if extras is not None:
            extras(rows[Youth], chunk)
        _recorded_generated("generated_caseload", len(chunk))
    return len(chunk)


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def _where(g: GenYouth, kind: str) -> str:
    """A county where the demo youth was harmed or found: usually their own, one in three elsewhere
    (a stable hash of the reference, so the random streams of the generator stay as they were)."""
    roll = zlib.crc32(f"{g.reference}:{kind}".encode())
    if roll % 3:
        return g.county
    return COUNTY_WEIGHTS[(roll // 3) % len(COUNTY_WEIGHTS)][0]

"""Grant, revoke, expire and undermine consents at random, and check after every step that each partner
sees exactly the categories a plain model of the rules allows, and never one after revoke or expiry.

The model: a partner organization may see a category of the youth iff it is on the youth's care team
AND some consent to that organization is granted, started, not expired, not revoked, covers that
category (any category, for the bare "record") and was not given through a household member flagged as
an alleged exploiter. The policy and the model read the same fake clock: ``django.utils.timezone.now``
is replaced for the whole test, and rules move it forward (sometimes exactly onto an expiry instant).

Every check goes through the public API (``access_youth``, ``open_youth``, ``visible_youth``,
``youth_search``); a granted read must write exactly one ledger row and a refused one none.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from tests.conftest import Persona, make_persona
from tests.factories.access import guardian_add
from tests.factories.accounts import OrganizationFactory
from tests.factories.youth import make_youth
from threadline.access.categories import Category
from threadline.access.models import ConsentState, TeamRole
from threadline.audit.models import AccessEvent
from threadline.core.roles import OrganizationType, Role
from threadline.youth.policy import ALL_CATEGORIES, YouthNotFound, access_youth, open_youth, visible_youth
from threadline.youth.selectors import youth_search
from threadline.youth.services import household_member_flag_exploiter
from threadline.youth.sharing import (
    CONSENT_CATEGORIES,
    care_team_add,
    care_team_end,
    consent_record,
    consent_revoke,
)

pytestmark = pytest.mark.django_db

YOUTH_NAME = "Odalys Fenwick-Tarrant"  # fictional
START = datetime.datetime(2026, 6, 1, 15, 0, 0, tzinfo=datetime.UTC)


class FakeClock:
    """What ``timezone.now()`` answers, everywhere, while the test runs."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime.datetime:
        return self.now


@dataclass
class ModelConsent:
    """The test's own idea of one consent."""

    id: uuid.UUID
    org_id: int
    categories: frozenset[str]
    granted: bool
    starts_at: datetime.datetime
    expires_at: datetime.datetime
    guardian_id: uuid.UUID | None
    revoked: bool = False

    def active(self, now: datetime.datetime, flagged: set[uuid.UUID]) -> bool:
        return (
            self.granted
            and not self.revoked
            and self.starts_at <= now < self.expires_at
            and (self.guardian_id is None or self.guardian_id not in flagged)
        )

    def covers(self, category: str) -> bool:
        return category == Category.RECORD or category in self.categories


@dataclass
class World:
    coordinator: Persona
    partners: list[Persona]
    clock: FakeClock


def ledger_rows() -> int:
    return AccessEvent.objects.count()


def build_machine(world: World) -> type[RuleBasedStateMachine]:
    coordinator = world.coordinator.membership
    partners = world.partners
    clock = world.clock

    class ConsentMachine(RuleBasedStateMachine):
        consents = Bundle("consents")

        def __init__(self) -> None:
            super().__init__()
            # Each example runs in a savepoint rolled back at teardown: a fresh youth, nothing carried over.
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
            clock.now = START
            self.youth = make_youth(coordinator, preferred_name=YOUTH_NAME.split()[0], legal_name=YOUTH_NAME)
            self.guardians: list[uuid.UUID] = []
            self.flagged: set[uuid.UUID] = set()
            self.on_team: dict[int, uuid.UUID] = {}  # org id -> care-team row id, while active
            self.model: dict[uuid.UUID, ModelConsent] = {}
            self.last_seen: dict[int, frozenset[str]] = {}  # org id -> categories at the last check
            self.touched: set[int] = set()  # orgs a step changed something for, checked in full after it
            self._add_guardian()
            self._add_guardian()
            for partner in range(len(partners)):  # everyone starts on the team; rules take them off and on
                self.join_care_team(partner)

        def teardown(self) -> None:
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

        def _add_guardian(self) -> None:
            member = guardian_add(
                coordinator, self.youth, name=f"Guardian {len(self.guardians) + 1}", relationship="parent"
            )
            self.guardians.append(member.pk)

        # ---- the model -------------------------------------------------------------------------

        def allowed(self, org_id: int, category: str) -> bool:
            if org_id not in self.on_team:
                return False
            return any(
                c.org_id == org_id and c.covers(category) and c.active(clock.now, self.flagged)
                for c in self.model.values()
            )

        def why_not(self, org_id: int, category: str) -> str:
            """For a failure message: what happened to the consents that once covered this."""
            reasons = []
            for c in self.model.values():
                if c.org_id != org_id or not c.covers(category):
                    continue
                if c.revoked:
                    reasons.append(f"{c.id} revoked")
                elif clock.now >= c.expires_at:
                    reasons.append(f"{c.id} expired at {c.expires_at.isoformat()}")
                elif c.guardian_id in self.flagged:
                    reasons.append(f"{c.id} given through a flagged guardian")
                elif not c.granted:
                    reasons.append(f"{c.id} never granted")
                elif clock.now < c.starts_at:
                    reasons.append(f"{c.id} not started")
            if org_id not in self.on_team:
                reasons.append("organization not on the care team")
            return "; ".join(reasons) or "no consent ever covered it"

        def move_clock(self, to: datetime.datetime) -> None:
            """Every org with a consent starting or ending in the jump gets a full check after it."""
            for c in self.model.values():
                if clock.now < c.starts_at <= to or clock.now < c.expires_at <= to:
                    self.touched.add(c.org_id)
            clock.now = to

        # ---- rules -----------------------------------------------------------------------------

        def join_care_team(self, partner: int) -> None:
            org = partners[partner].organization
            member = care_team_add(
                membership=coordinator,
                youth_id=self.youth.pk,
                organization_id=org.pk,
                role=TeamRole.DFPS_CASEWORKER if partner == 0 else TeamRole.OTHER,
            )
            self.on_team[org.pk] = member.pk
            self.touched.add(org.pk)

        @precondition(lambda self: len(self.on_team) < len(partners))
        @rule(data=st.data())
        def rejoin_care_team(self, data: st.DataObject) -> None:
            off = [i for i, p in enumerate(partners) if p.organization.pk not in self.on_team]
            self.join_care_team(data.draw(st.sampled_from(off)))

        @precondition(lambda self: bool(self.on_team))
        @rule(data=st.data())
        def leave_care_team(self, data: st.DataObject) -> None:
            org_id = data.draw(st.sampled_from(sorted(self.on_team)))
            care_team_end(membership=coordinator, youth_id=self.youth.pk, member_id=self.on_team.pop(org_id))
            self.touched.add(org_id)

        @rule(
            target=consents,
            partner=st.integers(0, len(partners) - 1),
            categories=st.frozensets(st.sampled_from(CONSENT_CATEGORIES), min_size=1, max_size=4),
            hours=st.integers(1, 24 * 60),
            starts_in_hours=st.sampled_from([0, 0, 0, 2]),
            through_guardian=st.booleans(),
            state=st.sampled_from([ConsentState.GRANTED] * 4 + [ConsentState.PENDING, ConsentState.REFUSED]),
        )
        def grant(
            self,
            partner: int,
            categories: frozenset[str],
            hours: int,
            starts_in_hours: int,
            through_guardian: bool,
            state: str,
        ) -> uuid.UUID:
            org = partners[partner].organization
            unflagged = [g for g in self.guardians if g not in self.flagged]
            guardian = unflagged[-1] if through_guardian and unflagged else None
            starts_at = clock.now + datetime.timedelta(hours=starts_in_hours)
            expires_at = starts_at + datetime.timedelta(hours=hours)
            consent = consent_record(
                membership=coordinator,
                youth_id=self.youth.pk,
                organization_id=org.pk,
                categories=sorted(categories),
                purpose="coordinate services",
                given_by="parent_guardian" if guardian else "youth",
                guardian_id=guardian,
                minor_may_consent_alone=guardian is None,
                starts_at=starts_at,
                expires_at=expires_at,
                signature="drawn on screen",
                state=state,
            )
            self.model[consent.pk] = ModelConsent(
                id=consent.pk,
                org_id=org.pk,
                categories=categories,
                granted=state == ConsentState.GRANTED,
                starts_at=starts_at,
                expires_at=expires_at,
                guardian_id=guardian,
            )
            self.touched.add(org.pk)
            return consent.pk

        @rule(consent_id=consumes(consents))
        def revoke(self, consent_id: uuid.UUID) -> None:
            consent_revoke(
                membership=coordinator, youth_id=self.youth.pk, consent_id=consent_id, reason="asked"
            )
            self.model[consent_id].revoked = True
            self.touched.add(self.model[consent_id].org_id)

        @rule(consent_id=consents, exactly=st.booleans())
        def expire(self, consent_id: uuid.UUID, exactly: bool) -> None:
            """Move the clock onto the consent's expiry instant, or one microsecond before it."""
            target = self.model[consent_id].expires_at
            if not exactly:
                target -= datetime.timedelta(microseconds=1)
            if target > clock.now:
                self.move_clock(target)
            self.touched.add(self.model[consent_id].org_id)

        @rule(minutes=st.integers(1, 60 * 24 * 20))
        def time_passes(self, minutes: int) -> None:
            self.move_clock(clock.now + datetime.timedelta(minutes=minutes))

        @rule(consent_id=consents)
        def flag_guardian(self, consent_id: uuid.UUID) -> None:
            guardian = self.model[consent_id].guardian_id
            if guardian is None or guardian in self.flagged:
                return
            household_member_flag_exploiter(
                membership=coordinator, youth_id=self.youth.pk, member_id=guardian
            )
            self.flagged.add(guardian)
            self.touched.update(c.org_id for c in self.model.values() if c.guardian_id == guardian)

        @precondition(lambda self: len(self.guardians) < 4)
        @rule()
        def add_guardian(self) -> None:
            self._add_guardian()

        # ---- reads, as rules: hypothesis interleaves them with the changes above --------------------

        @rule(partner=st.integers(0, len(partners) - 1), category=st.sampled_from(ALL_CATEGORIES))
        def partner_reads(self, partner: int, category: str) -> None:
            self.check_category(partner, category)

        @rule(partner=st.integers(0, len(partners) - 1))
        def partner_searches(self, partner: int) -> None:
            persona = partners[partner]
            expected = self.allowed(persona.organization.pk, Category.IDENTITY)
            before = ledger_rows()
            found = [r.youth.pk for r in youth_search(membership=persona.membership, query=YOUTH_NAME)]
            assert (self.youth.pk in found) == expected, f"partner {partner} search found={found}"
            assert ledger_rows() - before == len(found), "one ledger row per search result, none otherwise"

        # ---- checks --------------------------------------------------------------------------------

        def check_category(self, partner: int, category: str) -> None:
            """access_youth and visible_youth for one partner and one category, against the model."""
            persona = partners[partner]
            org_id = persona.organization.pk
            expected = self.allowed(org_id, category)
            before = ledger_rows()
            try:
                access_youth(persona.membership, self.youth.pk, category, purpose="state machine")
                seen = True
            except YouthNotFound:
                seen = False
            written = ledger_rows() - before
            if seen and not expected:
                pytest.fail(
                    f"partner {partner} saw {category} at {clock.now.isoformat()}: "
                    f"{self.why_not(org_id, category)}"
                )
            assert seen == expected, f"partner {partner} was refused {category}"
            assert written == (1 if seen else 0), f"{category}: {written} ledger rows (seen={seen})"
            listed = visible_youth(persona.membership, category).filter(pk=self.youth.pk).exists()
            if listed and not expected:
                pytest.fail(
                    f"partner {partner} lists the youth under {category}: {self.why_not(org_id, category)}"
                )
            assert listed == expected, f"partner {partner} does not list the youth under {category}"

        @invariant()
        def partners_see_exactly_what_the_model_allows(self) -> None:
            """After every step, every partner. A partner the step touched (a consent of theirs granted,
            revoked, expiring or undermined, their team membership changed, time crossing one of their
            consents' start or end) gets the full check: one open_youth over every category (the policy
            code access_youth runs), then access_youth and visible_youth again for each category it just
            lost. The others get a quick one: visible_youth for the bare record. ``partner_reads`` adds
            random single-category reads in between."""
            for partner, persona in enumerate(partners):
                org_id = persona.organization.pk
                expected = frozenset(c for c in ALL_CATEGORIES if self.allowed(org_id, c))
                if org_id in self.touched or expected != self.last_seen.get(org_id, frozenset()):
                    self.full_check(partner, expected)
                else:
                    listed = (
                        visible_youth(persona.membership, Category.RECORD).filter(pk=self.youth.pk).exists()
                    )
                    assert listed == bool(expected), f"partner {partner} record listing: {listed}"
                self.last_seen[org_id] = expected
            self.touched.clear()

        def full_check(self, partner: int, expected: frozenset[str]) -> None:
            persona = partners[partner]
            org_id = persona.organization.pk
            before = ledger_rows()
            try:
                opened = open_youth(persona.membership, self.youth.pk, purpose="state machine").categories
            except YouthNotFound:
                opened = frozenset()
            if opened - expected:
                pytest.fail(
                    f"partner {partner} opened {sorted(opened - expected)} at {clock.now.isoformat()}: "
                    + " | ".join(self.why_not(org_id, c) for c in sorted(opened - expected))
                )
            assert opened == expected, f"partner {partner} opened {sorted(opened)}, not {sorted(expected)}"
            assert ledger_rows() - before == (1 if opened else 0), (
                "one ledger row per opening, none if refused"
            )
            for category in sorted(self.last_seen.get(org_id, frozenset()) - expected):
                self.check_category(partner, category)

    return ConsentMachine


@pytest.fixture
def world(
    coordinator: Persona,
    dfps_caseworker: Persona,
    probation_officer: Persona,
    monkeypatch: pytest.MonkeyPatch,
) -> World:
    therapist_org = OrganizationFactory(
        name="Live Oak Counseling Collaborative", org_type=OrganizationType.MENTAL_HEALTH
    )
    therapist = make_persona(email="rue@liveoak.test", role=Role.PARTNER_STAFF, organization=therapist_org)
    clock = FakeClock()
    # One clock for the policy, the services, the ledger and the model. Model field defaults hold the
    # original function, but every default that matters here is passed explicitly by the services.
    monkeypatch.setattr(timezone, "now", clock)
    return World(
        coordinator=coordinator, partners=[dfps_caseworker, probation_officer, therapist], clock=clock
    )


def test_partners_never_see_a_category_after_revoke_or_expiry(world: World) -> None:
    machine = build_machine(world)
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=25,
            stateful_step_count=15,
            deadline=None,
            database=None,  # no example database written into the working tree
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )

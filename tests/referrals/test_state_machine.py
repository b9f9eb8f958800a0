"""The referral state machine: every illegal transition is refused with a clear message and changes
nothing; every legal one moves the referral and leaves one dated, attributed event."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.http import Http404
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from tests.conftest import Persona
from tests.referrals.conftest import Draft, Release
from threadline.directory import models as dm
from threadline.referrals import provider_services, sending_services, services
from threadline.referrals.models import ReferralEvent, ServiceReferral
from threadline.referrals.states import (
    NEEDS_REASON,
    TERMINAL,
    TRANSITIONS,
    WAITING_FOR_ANSWER,
    ReferralState,
    Side,
    allowed,
    may_move,
)

pytestmark = pytest.mark.django_db
STATES = list(ReferralState.values)


def test_the_table_has_every_state_and_terminal_states_lead_nowhere() -> None:
    assert set(TRANSITIONS) == set(STATES)
    assert {"declined_by_provider", "declined_by_youth", "completed", "cancelled", "expired"} == TERMINAL
    for state in TERMINAL:
        assert not any(allowed(state, other) for other in STATES)


@pytest.mark.parametrize(("current", "wanted", "side"), list(itertools.product(STATES, STATES, list(Side))))
def test_every_pair_is_refused_unless_the_table_and_the_side_allow_it(
    current: str, wanted: str, side: Side
) -> None:
    legal = allowed(current, wanted) and may_move(side, wanted)
    try:
        services._check(current, wanted, side, "a reason")
    except services.TransitionRefused as refused:
        assert not legal
        assert refused.messages[0]  # a message a person can read
    else:
        assert legal


def test_a_refusal_is_translated() -> None:
    from django.utils import translation

    with translation.override("es"), pytest.raises(services.TransitionRefused) as refused:
        services._check("completed", "sent", Side.SENDER, "")
    assert refused.value.messages[0] == "Una remisión que está «Completada» no puede pasar a «Enviada»."


def test_random_walks_through_the_real_services(
    coordinator: Persona, shelter_staff: Persona, shelter: dm.Service, draft: Draft, release: Release
) -> None:
    release(shelter_staff.organization)

    class Walk(RuleBasedStateMachine):
        referral: ServiceReferral

        @initialize()
        def start(self) -> None:
            self.referral = draft(shelter)

        def _state(self) -> tuple[str, int]:
            return (
                ServiceReferral.objects.get(pk=self.referral.pk).state,
                ReferralEvent.objects.filter(referral_id=self.referral.pk).count(),
            )

        @rule(
            side=st.sampled_from([Side.SENDER, Side.PROVIDER]),
            wanted=st.sampled_from(STATES),
            reason=st.sampled_from(["", "the youth moved away"]),
        )
        def attempt(self, side: Side, wanted: str, reason: str) -> None:
            current, events = self._state()
            persona = coordinator if side == Side.SENDER else shelter_staff
            legal = (
                allowed(current, wanted)
                and may_move(side, wanted)
                and (bool(reason) or wanted not in NEEDS_REASON)
                and not (side == Side.PROVIDER and current == "draft")  # never sent: not theirs to see
            )
            try:
                sending_services.referral_transition(
                    membership=persona.membership,
                    referral_id=self.referral.pk,
                    to_state=wanted,
                    reason=reason,
                )
            except (services.TransitionRefused, Http404):
                assert not legal, (current, wanted, side)
                assert self._state() == (current, events)  # nothing changed
            else:
                assert legal, (current, wanted, side)
                assert self._state() == (wanted, events + 1)
                last = (
                    ReferralEvent.objects.filter(referral_id=self.referral.pk).order_by("-at", "-pk").first()
                )
                assert last is not None and last.by == persona.user and last.from_state == current

        @rule()
        def time_passes(self) -> None:
            current, events = self._state()
            later = timezone.now() + datetime.timedelta(days=services.expire_days() + 1)
            provider_services.referrals_expire(now=later)
            if current in WAITING_FOR_ANSWER:
                assert self._state() == ("expired", events + 1)
            else:
                assert self._state() == (current, events)

    run_state_machine_as_test(
        Walk,
        settings=settings(
            max_examples=12,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )

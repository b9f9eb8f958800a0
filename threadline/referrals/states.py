"""The referral's life: its states, which may follow which, who moves it, and the HL7 FHIR R4 Task
status each maps to. Pure data and small functions, no database: the services and the tests use it."""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReferralState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED_BY_PROVIDER = "declined_by_provider", _("Declined by the provider")
    DECLINED_BY_YOUTH = "declined_by_youth", _("Declined by the youth")
    CONNECTED = "connected", _("Connected (first service delivered)")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", pgettext_lazy("referral state", "Expired")


S = ReferralState

# Which state may follow which. Terminal states have no way out: a new referral is made instead.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SENT, S.CANCELLED}),
    S.SENT: frozenset(
        {S.RECEIVED, S.ACCEPTED, S.DECLINED_BY_PROVIDER, S.DECLINED_BY_YOUTH, S.CANCELLED, S.EXPIRED}
    ),
    S.RECEIVED: frozenset({S.ACCEPTED, S.DECLINED_BY_PROVIDER, S.DECLINED_BY_YOUTH, S.CANCELLED, S.EXPIRED}),
    S.ACCEPTED: frozenset({S.CONNECTED, S.DECLINED_BY_YOUTH, S.CANCELLED}),
    S.CONNECTED: frozenset({S.COMPLETED, S.DECLINED_BY_YOUTH, S.CANCELLED}),
    S.DECLINED_BY_PROVIDER: frozenset(),
    S.DECLINED_BY_YOUTH: frozenset(),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
    S.EXPIRED: frozenset(),
}
TERMINAL = frozenset(state for state, nexts in TRANSITIONS.items() if not nexts)
OPEN_STATES = frozenset(TRANSITIONS) - TERMINAL - {S.DRAFT}
WAITING_FOR_ANSWER = frozenset({S.SENT, S.RECEIVED})
# A reason is asked for these: a decline without one teaches nobody anything.
NEEDS_REASON = frozenset({S.DECLINED_BY_PROVIDER, S.DECLINED_BY_YOUTH, S.CANCELLED})


class Side(StrEnum):
    SENDER = "sender"  # the Care Coordinator's staff working the youth's plan
    PROVIDER = "provider"  # the provider organization's own staff, in its inbox
    LINK = "link"  # a provider without accounts, through its one-time link
    SYSTEM = "system"  # the worker: expiry


# Who may move a referral into each state.
MOVERS: dict[str, frozenset[Side]] = {
    S.SENT: frozenset({Side.SENDER}),
    S.RECEIVED: frozenset({Side.PROVIDER, Side.LINK}),
    S.ACCEPTED: frozenset({Side.PROVIDER, Side.LINK}),
    S.DECLINED_BY_PROVIDER: frozenset({Side.PROVIDER, Side.LINK}),
    S.DECLINED_BY_YOUTH: frozenset({Side.SENDER}),
    # A provider without accounts cannot mark these itself: the sender records what it hears.
    S.CONNECTED: frozenset({Side.PROVIDER, Side.SENDER}),
    S.COMPLETED: frozenset({Side.PROVIDER, Side.SENDER}),
    S.CANCELLED: frozenset({Side.SENDER}),
    S.EXPIRED: frozenset({Side.SYSTEM}),
    S.DRAFT: frozenset(),
}


def allowed(current: str, wanted: str) -> bool:
    return wanted in TRANSITIONS.get(current, frozenset())


def may_move(side: Side, wanted: str) -> bool:
    return side in MOVERS.get(wanted, frozenset())


def next_states(current: str, side: Side) -> list[str]:
    return [s for s in ReferralState.values if allowed(current, s) and may_move(side, s)]


# HL7 FHIR R4 Task.status for each state; the state itself goes in Task.businessStatus.
FHIR_STATUS: dict[str, str] = {
    S.DRAFT: "draft",
    S.SENT: "requested",
    S.RECEIVED: "received",
    S.ACCEPTED: "accepted",
    S.DECLINED_BY_PROVIDER: "rejected",
    S.DECLINED_BY_YOUTH: "cancelled",
    S.CONNECTED: "in-progress",
    S.COMPLETED: "completed",
    S.CANCELLED: "cancelled",
    S.EXPIRED: "failed",
}

"""Who may see which category of which youth, and why. Every youth read goes through here.

Rules:
- Only roles that work with youth (``Action.WORK_WITH_YOUTH``) ever see a youth.
- Care Coordinator organization: coordinators and supervisors see every youth their organization is on
  the care team of; advocates and family coordinators see the youths they are personally on the team
  of. The location category (placements, shelters, safe houses) is narrower: not family coordinators.
- Partner organizations: only youths their organization is on the care team of, and only categories
  covered by an active consent to their organization (granted, started, not expired, not revoked, not
  given through an alleged exploiter). "Record" (the bare shell: reference code, what is shared with
  them) needs any active consent.
- Break the glass: a time-limited, written-reason grant to one person for one youth; read only.
- The Family Coordinator (no ``Action.SEE_CASE_VIA_TEAM``): the care team opens only the record's
  shell; each other category needs an active consent for family services (``ConsentUse.FAMILY``) to
  their organization (issue 14).
- Mentors (``Action.MENTOR_YOUTH``): only the youths assigned to them (an active ``MentorAssignment``),
  the record's shell and the mentoring contacts; any other category read-only and only through an
  active consent for mentoring (``ConsentUse.MENTORING``). Closing the case does not end it.
- Everyone else: nothing, not even that the youth exists. Missing and forbidden answer the same 404,
  through the same single query.

Every decision is evaluated from the database at each request, so a revoked or expired consent, an
ended team membership or a disabled account takes effect on the very next request everywhere: pages,
API tokens, lists, search and exports.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import DEFAULT_DB_ALIAS, router, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from threadline.access.categories import Category
from threadline.access.models import (
    BreakGlass,
    CareTeamMember,
    Consent,
    ConsentState,
    ConsentUse,
    MentorAssignment,
)
from threadline.audit import ledger
from threadline.core.actions import Action, kind_of
from threadline.core.ids import uuid_or_raise
from threadline.core.policy import may
from threadline.youth import short_list
from threadline.youth.models import Youth, unscoped_youth

if TYPE_CHECKING:
    from threadline.accounts.models import Membership

ALL_CATEGORIES: tuple[str, ...] = tuple(Category.values)


class YouthNotFound(Http404):
    """Missing and forbidden look exactly alike."""


def _in_force(now: datetime) -> Q:
    """A dated role (care-team seat, mentoring assignment) that has started and not ended by today."""
    today = timezone.localdate(now)
    return Q(started_on__lte=today) & (Q(ended_on__isnull=True) | Q(ended_on__gte=today))


def active_team(now: datetime) -> QuerySet[CareTeamMember]:
    return CareTeamMember.objects.filter(_in_force(now))


def active_consents(now: datetime, use: str = ConsentUse.SHARING) -> QuerySet[Consent]:
    """Consents in force now for this use (a release to a partner, unless asked otherwise)."""
    return Consent.objects.filter(
        use=use, state=ConsentState.GRANTED, starts_at__lte=now, expires_at__gt=now, revoked_at__isnull=True
    ).exclude(guardian__alleged_exploiter=True)


def active_mentoring(now: datetime) -> QuerySet[MentorAssignment]:
    return MentorAssignment.objects.filter(_in_force(now))


def break_glass_reachable(membership: Membership, now: datetime) -> QuerySet[Youth]:
    """Youths this membership's organization may break the glass on: any youth it has served or
    opened, or that no other Care Coordinator organization serves now (a closed case, a youth nobody
    is assigned to). Never a youth another Care Coordinator organization serves and it never has. Who
    may break the glass at all is ``may(membership, Action.BREAK_GLASS)``."""
    from threadline.youth.models import unscoped_youth

    org = membership.organization
    ours = CareTeamMember.objects.filter(youth=OuterRef("pk"), organization=org)
    theirs = (
        active_team(now)
        .filter(youth=OuterRef("pk"), organization__is_care_coordinator=True)
        .exclude(organization=org)
    )
    return unscoped_youth().filter(Q(Exists(ours)) | Q(created_by_org=org) | ~Q(Exists(theirs)))


@dataclass(frozen=True)
class Plan:
    """The SQL conditions that grant each category: annotation name -> Exists, category -> names."""

    annotations: dict[str, Any]
    grants: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class _Draft:
    """A plan being written: who asks, to read or to write, when; ``annotations`` and ``grants`` (as in
    ``Plan``, each category's list still open) are filled in by each way a person may reach a youth."""

    membership: Membership
    write: bool
    now: datetime
    annotations: dict[str, Any]
    grants: dict[str, list[str]]


def _plan(membership: Membership | None, categories: Iterable[str], *, write: bool, now: datetime) -> Plan:
    if membership is None:
        return Plan({}, {category: () for category in categories})
    draft = _Draft(membership, write, now, {}, {category: [] for category in categories})
    if may(membership, Action.WORK_WITH_YOUTH):
        _plan_staff(draft)
    if may(membership, Action.MENTOR_YOUTH):
        _plan_mentoring(draft)
    return Plan(draft.annotations, {category: tuple(names) for category, names in draft.grants.items()})


def _plan_staff(draft: _Draft) -> None:
    membership, annotations, write, now = draft.membership, draft.annotations, draft.write, draft.now
    org = membership.organization
    team = active_team(now).filter(youth=OuterRef("pk"), organization=org)
    if may(membership, Action.SEE_WHOLE_CASELOAD):
        annotations["via_team"] = Exists(team)
    elif may(membership, Action.SEE_OWN_TEAM_YOUTH):
        annotations["via_team"] = Exists(team.filter(person=membership.user))
    if may(membership, Action.SEE_CONSENTED_YOUTH):
        annotations["on_team"] = Exists(team)
    location_via_team = bool(may(membership, Action.SEE_LOCATION_VIA_TEAM))
    case_via_team = bool(may(membership, Action.SEE_CASE_VIA_TEAM))
    if not write and may(membership, Action.BREAK_GLASS):
        annotations["via_break_glass"] = Exists(
            BreakGlass.objects.filter(
                youth=OuterRef("pk"),
                user=membership.user,
                organization=org,
                started_at__lte=now,
                expires_at__gt=now,
            )
        )
    for category, names in draft.grants.items():
        if "via_team" in annotations:
            if category == Category.RECORD or (
                case_via_team and (category != Category.LOCATION or location_via_team)
            ):
                names.append("via_team")
            elif not case_via_team:  # the Family Coordinator: the youth's consent for family services
                family = active_consents(now, ConsentUse.FAMILY).filter(
                    youth=OuterRef("pk"), organization=org, scopes__category=category
                )
                annotations[f"family_consent_{category}"] = Exists(family)
                names.append(f"via_team&family_consent_{category}")
        if "on_team" in annotations:
            consents = active_consents(now).filter(youth=OuterRef("pk"), organization=org)
            if category != Category.RECORD:
                consents = consents.filter(scopes__category=category)
            annotations[f"consent_{category}"] = Exists(consents)
            names.append(f"on_team&consent_{category}")
        if "via_break_glass" in annotations:
            names.append("via_break_glass")


def _plan_mentoring(draft: _Draft) -> None:
    """The assigned mentor: the mentoring contacts (read and write) and the shell (read) through the
    assignment; any other category read-only through the youth's consent for mentoring."""
    membership, annotations, write, now = draft.membership, draft.annotations, draft.write, draft.now
    annotations["via_mentoring"] = Exists(
        active_mentoring(now).filter(
            youth=OuterRef("pk"), person=membership.user, organization=membership.organization
        )
    )
    for category, names in draft.grants.items():
        if category == Category.MENTORING or (category == Category.RECORD and not write):
            names.append("via_mentoring")
        elif not write:
            consents = active_consents(now, ConsentUse.MENTORING).filter(
                youth=OuterRef("pk"), scopes__category=category
            )
            annotations[f"mentoring_consent_{category}"] = Exists(consents)
            names.append(f"via_mentoring&mentoring_consent_{category}")


def _condition(names: Iterable[str]) -> Q:
    condition = Q(pk__in=[])
    for name in names:
        if "&" in name:
            left, right = name.split("&")
            condition |= Q(**{left: True}) & Q(**{right: True})
        else:
            condition |= Q(**{name: True})
    return condition


def _granted(row: Any, names: Iterable[str]) -> bool:
    return any(all(getattr(row, part, False) for part in name.split("&")) for name in names)


def visible_youth(
    membership: Membership | None, category: str, *, write: bool = False, now: datetime | None = None
) -> QuerySet[Youth]:
    """Youths this membership may see (or write) in this category. Use for lists, search, counts."""
    plan = _plan(membership, [category], write=write, now=now or timezone.now())
    names = plan.grants.get(category, ())
    if not names:
        return unscoped_youth().none()
    return unscoped_youth().annotate(**plan.annotations).filter(_condition(names))


def visible_among(
    membership: Membership | None, category: str, youth_ids: Iterable[Any], *, now: datetime | None = None
) -> dict[uuid.UUID, bool]:
    """Which youths of a short list (a search's candidates) this membership may see in this category,
    each with whether it may also write it; the others are left out, as if they did not exist. The
    same grants as ``visible_youth`` (read) and ``visible_youth(..., write=True)``, decided in one
    query over the listed youths only: each grant is a column evaluated for each listed youth (a few
    index look-ups each), never a filter the database might answer by reading every care-team or
    consent row first. For long lists or whole tables use ``visible_youth``. The statement is compiled
    once per shape of question (``short_list``); the grants are evaluated afresh at every call."""
    ids = list(dict.fromkeys(parse_youth_id(pk) for pk in youth_ids))
    if not ids or membership is None:
        return {}

    def build(at: datetime, among: list[uuid.UUID]) -> short_list.Built:
        read = _plan(membership, [category], write=False, now=at)
        write = _plan(membership, [category], write=True, now=at)
        read_names, write_names = read.grants.get(category, ()), write.grants.get(category, ())
        if not read_names:
            return None
        # A name means the same condition in both plans (``write`` only leaves some out).
        annotations = {**write.annotations, **read.annotations}
        rows = unscoped_youth().filter(pk__in=among).annotate(**annotations).values(*annotations, "pk")
        return rows, (read_names, write_names)

    found = short_list.rows(
        _asker_shape(membership, category),
        build,
        alias=router.db_for_read(Youth) or DEFAULT_DB_ALIAS,
        now=now or timezone.now(),
        ids=ids,
    )
    if found is None:
        return {}
    rows, (read_names, write_names) = found
    return {row["pk"]: _granted_values(row, write_names) for row in rows if _granted_values(row, read_names)}


def _asker_shape(membership: Membership, category: str) -> tuple[Any, ...]:
    """Everything ``_plan`` reads of the person asking: the ids it binds, and every input of ``may``
    (which is a function of these alone), so that any change of role or state is another statement."""
    organization = membership.organization
    return (
        membership.pk,
        membership.user_id,
        membership.organization_id,
        membership.role,
        kind_of(organization),
        membership.is_active,
        membership.user.is_active,
        organization.is_active,
        category,
    )


def _granted_values(row: dict[str, Any], names: Iterable[str]) -> bool:
    return any(all(row.get(part, False) for part in name.split("&")) for name in names)


def parse_youth_id(youth_id: Any) -> uuid.UUID:
    """A youth id from a URL or a body, or the usual 404."""
    return uuid_or_raise(youth_id, YouthNotFound)


@dataclass(frozen=True)
class Opened:
    youth: Youth
    categories: frozenset[str]

    def allows(self, category: str) -> bool:
        return category in self.categories


def open_youth(
    membership: Membership | None,
    youth_id: Any,
    categories: Iterable[str] = ALL_CATEGORIES,
    *,
    write: bool = False,
    purpose: str = "",
    require: str | None = None,
    lock: bool = False,
) -> Opened:
    """Open one youth for the categories this membership may see among ``categories``: one query,
    one ledger row naming every category disclosed. 404 when none is allowed (or ``require`` is not)."""
    pk = parse_youth_id(youth_id)
    wanted = list(dict.fromkeys(categories))
    with transaction.atomic():
        plan = _plan(membership, wanted, write=write, now=timezone.now())
        any_grant = [n for names in plan.grants.values() for n in names]
        if not any_grant:
            raise YouthNotFound
        rows = (
            unscoped_youth()
            .annotate(**plan.annotations)
            .filter(_condition(any_grant), pk=pk)
            .select_related("data_key")
        )
        if lock:  # read-then-write: the caller changes this row in the same transaction
            rows = rows.select_for_update(of=("self",))
        row = rows.first()
        if row is None:
            raise YouthNotFound
        allowed = frozenset(c for c in wanted if _granted(row, plan.grants.get(c, ())))
        if not allowed or (require is not None and require not in allowed):
            raise YouthNotFound
        assert membership is not None
        grounds = sorted(
            {part for c in allowed for n in plan.grants[c] if _granted(row, [n]) for part in [n]}
        )
        ledger.entry(
            membership,
            "edit" if write else "view",
            "youth",
            row.pk,
            f"{purpose or 'open record'} [{_grounds_label(grounds)}]",
            category=",".join(sorted(allowed)),
            youth_id=row.pk,
        )
    return Opened(youth=row, categories=allowed)


def _grounds_label(names: list[str]) -> str:
    labels = []
    for name in names:
        if name == "via_team":
            labels.append("care team")
        elif name == "via_mentoring":
            labels.append("mentoring")
        elif name.startswith("via_mentoring&"):
            labels.append("mentoring consent")
        elif name.startswith("via_team&"):
            labels.append("family services consent")
        elif name == "via_break_glass":
            labels.append("break-glass")
        else:
            labels.append("consent")
    return ", ".join(sorted(set(labels)))


def open_for(
    membership: Membership | None,
    youth_id: Any,
    required: str,
    *also: str,
    purpose: str,
    write: bool = False,
) -> Opened:
    """:func:`open_youth` for a page that cannot do without one category (the same 404 as a missing
    youth without it) and shows others (``also``) where they are allowed."""
    return open_youth(membership, youth_id, [required, *also], write=write, purpose=purpose, require=required)


def access_youth(
    membership: Membership | None,
    youth_id: Any,
    category: str,
    *,
    write: bool = False,
    purpose: str = "",
    lock: bool = False,
) -> Youth:
    """The youth, if this membership may see (or write) this category of it; else the same 404 as a
    youth that does not exist. Writes one ledger row in the caller's transaction."""
    return open_youth(
        membership, youth_id, [category], write=write, purpose=purpose, require=category, lock=lock
    ).youth


def require_youth(
    membership: Membership | None, youth_id: Any, category: str, *, write: bool = False
) -> None:
    """Raise the usual 404 unless this membership may see (or write) this category of the youth.
    Discloses nothing, so it writes no ledger row: use it to refuse early, before reading a form."""
    pk = parse_youth_id(youth_id)
    if not visible_youth(membership, category, write=write).filter(pk=pk).exists():
        raise YouthNotFound


# Three questions about a youth nobody has opened yet. Each says only what its caller needs, and the
# callers ask them only after their own check (``Action.BREAK_GLASS``, or drawing a new reference).


def youth_for_emergency(youth_id: Any) -> Youth:
    """The youth someone breaks the glass for, whoever may otherwise see it (the caller checked
    ``Action.BREAK_GLASS`` and ledgers the grant); the usual 404 when it does not exist."""
    youth = unscoped_youth().filter(pk=parse_youth_id(youth_id)).first()
    if youth is None:
        raise YouthNotFound
    return youth


def youth_for_transfer(youth_id: Any) -> Youth:
    """The sending record of a transfer the receiving program accepts (issue 14). The caller checked
    ``Action.TRANSFER_YOUTH``, that the transfer is pending for its program and that the youth's
    consent to it is active, copies only the consented categories and ledgers the disclosure."""
    youth = unscoped_youth().filter(pk=parse_youth_id(youth_id)).select_related("data_key").first()
    if youth is None:
        raise YouthNotFound
    return youth


def youth_id_by_reference(reference: str) -> uuid.UUID | None:
    """The id of the youth with this record code, if any (for break-glass by code only)."""
    return unscoped_youth().filter(reference=reference.strip().upper()).values_list("pk", flat=True).first()


def reference_in_use(reference: str) -> bool:
    """Whether a record code is taken already (drawing a new one)."""
    return unscoped_youth().filter(reference=reference).exists()


def youth_for_maintenance() -> QuerySet[Youth]:
    """Every youth, for work no person does on a page: re-indexing, key rotation, loading synthetic
    data, de-identified aggregates. Never shown to anyone as is; the callers are few and named."""
    return unscoped_youth()


def references_for_ledger(ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The record codes of the youths some ledger rows are about, for those who read the ledger (the
    caller checked ``Action.VIEW_AUDIT`` and shows only rows it may). A record code is the record's
    shell, no identifying data; it stands in for the internal id people cannot use."""
    return dict(unscoped_youth().filter(pk__in=list(ids)).values_list("pk", "reference"))


def categories_open_to(
    membership: Membership | None, youth_id: Any, categories: Iterable[str], *, write: bool = False
) -> frozenset[str]:
    """Which of ``categories`` of this youth this membership may see, in one query, for offering only
    the links that open (a page that would answer 404 is not linked). Discloses nothing beyond what
    the page already showed, so it writes no ledger row; the page behind each link opens the youth
    through ``open_youth``/``access_youth`` as always. With ``write``, the categories this membership
    may change (an edit form is built from them before the save opens the record itself)."""
    try:
        pk = parse_youth_id(youth_id)
    except YouthNotFound:
        return frozenset()
    wanted = list(dict.fromkeys(categories))
    plan = _plan(membership, wanted, write=write, now=timezone.now())
    any_grant = [n for names in plan.grants.values() for n in names]
    if not any_grant:
        return frozenset()
    row = unscoped_youth().annotate(**plan.annotations).filter(_condition(any_grant), pk=pk).first()
    if row is None:
        return frozenset()
    return frozenset(c for c in wanted if _granted(row, plan.grants.get(c, ())))

"""Every read of the outcomes room: column-only queries that turn records into the plain facts the
measures count (``measures/facts.py``), for one organization and one period.

Scope: a Care Coordinator organization's own work, nothing else. Referrals, decisions, alerts and
mandatory notifications of the programs it runs (``intake.selectors.programs_for``); youths it has
been on the care team of, with what the care team recorded. A partner agency's people get an empty
scope: what a partner may see of a youth is decided by consent, one youth at a time, and has no
place in program totals.

Nothing here returns a row about one youth to a caller: the loaders are private to this room, the
youth becomes an opaque number local to one load, and gender words are decrypted only to be grouped
and then dropped. Callers receive the tables the measures build (``outcomes.report``).
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import CharField, Max, Model, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from threadline.access.models import CareTeamMember
from threadline.accounts.models import Membership, Organization
from threadline.care.models import (
    CaseClosure,
)
from threadline.core.actions import Action, organization_may
from threadline.core.policy import may
from threadline.intake.models import Program
from threadline.intake.selectors import programs_for, programs_of_organization
from threadline.outcomes import config
from threadline.outcomes.measures.facts import (
    Period,
    ServiceSpan,
)

# Youth ids as text, read straight from the database: no UUID object per row (the same text in every
# query of one load, which is all an opaque key needs).
YID = Cast("youth_id", output_field=CharField())
M = TypeVar("M", bound=Model)
A = TypeVar("A")
B = TypeVar("B")
SID = Cast("id", output_field=CharField())


@dataclass(frozen=True)
class Scope:
    organization_id: int | None
    program_ids: tuple[int, ...]
    service_area: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return self.organization_id is None


def scope_for(membership: Membership | None) -> Scope:
    """The organization's own programs and caseload (Care Coordinator organizations only)."""
    if membership is None or not may(membership, Action.RUN_PROGRAM_SCOPE):
        return Scope(None, (), ())
    programs = list(programs_for(membership=membership))
    return Scope(membership.organization_id, tuple(p.pk for p in programs), service_area_of(programs))


def scope_for_organization(organization: Organization) -> Scope:
    """The same scope for an organization (the command line: no person acting)."""
    if not organization_may(organization, Action.RUN_PROGRAM_SCOPE):
        return Scope(None, (), ())
    programs = list(programs_of_organization(organization=organization))
    return Scope(organization.pk, tuple(p.pk for p in programs), service_area_of(programs))


def service_area_of(programs: list[Program]) -> tuple[str, ...]:
    """The counties of the current rule version of each program."""
    counties: set[str] = set()
    for program in programs:
        rules = program.current_rules()
        if rules is not None:
            counties.update(rules.counties.values_list("county", flat=True))
    return tuple(sorted(counties))


def _start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def bounds(period: Period, before_days: int = 0) -> tuple[dt.datetime, dt.datetime]:
    """The period as an aware [start, end) range of local days, widened ``before_days`` back."""
    return _start(period.start - dt.timedelta(days=before_days)), _start(period.end + dt.timedelta(days=1))


@dataclass
class Facts:
    """The facts of one scope and period, each loaded (one query) the first time a measure asks."""

    scope: Scope
    period: Period
    now: dt.datetime = field(default_factory=timezone.now)
    _numbers: dict[str, int] = field(default_factory=dict)

    def _n(self, youth_id: str) -> int:
        """An opaque number for a youth, local to this load."""
        return self._numbers.setdefault(youth_id, len(self._numbers) + 1)

    # -- the caseload -----------------------------------------------------------------------------

    def team(self) -> QuerySet[CareTeamMember]:
        if self.scope.organization_id is None:
            return CareTeamMember.objects.none()
        return CareTeamMember.objects.filter(organization_id=self.scope.organization_id)

    def _youth_ids(self) -> QuerySet[CareTeamMember, Any]:
        """The caseload as a subquery (never a list of ids in the SQL)."""
        return self.team().values("youth_id")

    def _maybe_served(self) -> QuerySet[CareTeamMember, Any]:
        """Youths with a care-team membership overlapping the period (a superset of those served:
        a closure may end service earlier), as a subquery. Every per-youth read is limited to it, so
        the cost follows the caseload of the period, not every youth ever served."""
        return (
            self.team()
            .filter(started_on__lte=self.period.end)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=self.period.start))
            .values("youth_id")
        )

    @cached_property
    def spans(self) -> list[ServiceSpan]:
        """One span per youth: from the organization's first day on the care team to its last (open
        if any membership is open), cut at a closure that was not re-opened."""
        if self.scope.empty:
            return []
        first: dict[str, dt.date] = {}
        last: dict[str, dt.date | None] = {}
        for youth_id, started, ended in (
            self.team()
            .filter(youth_id__in=self._maybe_served())
            .values_list(YID, "started_on", "ended_on")
            .order_by()
        ):
            if youth_id not in first or started < first[youth_id]:
                first[youth_id] = started
            if youth_id in last and last[youth_id] is None:
                continue
            previous = last.get(youth_id, dt.date.min)
            last[youth_id] = None if ended is None else max(ended, previous or dt.date.min)
        closed: dict[str, dt.date] = {}
        for youth_id, closed_at in (
            CaseClosure.objects.filter(youth_id__in=self._maybe_served(), reopened_at__isnull=True)
            .values_list(YID, "closed_at")
            .order_by()
        ):
            day = timezone.localdate(closed_at)
            closed[youth_id] = max(day, closed.get(youth_id, day))
        spans = []
        for youth_id, start in first.items():
            end = last.get(youth_id)
            if youth_id in closed:
                end = closed[youth_id] if end is None else min(end, closed[youth_id])
            spans.append(ServiceSpan(self._n(youth_id), start, end))
        return spans

    def served_youth_ids(self) -> set[str]:
        """The youths served in the period, as the string form of their ids (``YID``)."""
        return self._served_ids

    @cached_property
    def _served_ids(self) -> set[str]:
        numbers = {span.youth for span in self.spans if span.overlaps(self.period)}
        return {youth_id for youth_id, n in self._numbers.items() if n in numbers}

    def served(self) -> QuerySet[CareTeamMember, Any]:
        """The youths served in the period (``ServiceSpan.overlaps``), as a subquery of distinct youth
        ids. The span runs from the organization's first day on the care team to its last membership's
        end (open if any is open), cut at the latest closure not re-opened; so a youth is served if a
        membership overlaps the period (that membership is open or ends on or after the first day, so
        the span does too) and no such closure came before the first day. No grouping of the
        memberships: this subquery sits in many counting queries. The closures are not limited to
        the candidates here (the outer filter is): grouping the closures not re-opened costs less
        than matching them against the period's whole caseload first."""
        start = self.period.start
        closed_before = (
            CaseClosure.objects.filter(reopened_at__isnull=True)
            .values("youth_id")
            .annotate(last_closed=Max("closed_at"))
            .filter(last_closed__lt=_start(start))
            .values("youth_id")
        )
        return self._maybe_served().exclude(youth_id__in=closed_before).distinct()

    def new(self) -> QuerySet[CareTeamMember, Any]:
        """Of the youths served, those whose services first began on a day of the period (``new``
        in ``measures.youths.served_in``: no membership of the organization started before its first
        day), as a subquery of youth ids."""
        return self.served().exclude(youth_id__in=self.began_before())

    def began_before(self) -> QuerySet[CareTeamMember, Any]:
        """Youths with a membership of the organization begun before the period's first day (their
        services first began earlier), as a subquery."""
        return self.team().filter(started_on__lt=self.period.start).values("youth_id")

    def caseload(self) -> QuerySet[CareTeamMember, Any]:
        """Every youth the organization has been on the care team of, as a subquery."""
        return self._youth_ids()

    def two_lanes(self, here: Callable[[], A], there: Callable[[], B]) -> tuple[A, B]:
        """``here()`` and ``there()``, at once when it is safe: ``there`` in a second thread on its own
        database connection (closed after), ``here`` on this one. The measures are read-only
        aggregates, independent of each other, so two lanes halve the time the database spends on a
        dashboard on two cores. The second thread runs in a copy of this context: the replica router
        (``core.replica``), the time zone and the language apply there as here. When the second
        connection could see other rows (``_another_connection_reads_the_same``: SQLite, uncommitted
        writes, a stricter isolation) or ``config.count_on_two_connections`` is off, one after the
        other on this connection."""
        alias = self.team().db
        here, there = _counting(alias, here), _counting(alias, there)
        if not config.count_on_two_connections() or not _another_connection_reads_the_same(alias):
            return here(), there()
        context = contextvars.copy_context()

        def in_second_thread() -> B:
            try:
                return context.run(there)
            finally:
                connections.close_all()  # this thread's own connections only

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="outcomes-lane") as lane:
            second = lane.submit(in_second_thread)
            first = here()
            return first, second.result()

    # -- the two doors of the counting modules (``count_selectors``) --------------------------------
    # Every row they count is read through one of these, so no count reaches past the scope's own
    # youths and programs: a measure names the youths it counts, never builds its own filter. (The
    # rows of ``unlimited_youth_rows`` are only ever joined to a set that came through a door.)

    def youth_rows(
        self, model: type[M], *, of: Literal["caseload", "served", "new"] = "caseload", **filters: Any
    ) -> QuerySet[M]:
        """Rows of a per-youth table (notes, meetings, placements, episodes...) about the scope's
        youths only: its whole caseload, those served in the period, or those new in it."""
        youths = {"caseload": self.caseload, "served": self.served, "new": self.new}[of]()
        return model._default_manager.filter(youth_id__in=youths, **filters).order_by()

    def unlimited_youth_rows(self, model: type[M], **filters: Any) -> QuerySet[M]:
        """Rows of a per-youth table NOT limited to the scope's youths, for a statement that joins them
        on ``youth_id`` to a set of the scope's youths it works out itself through a door above: the
        served set (the ``served`` CTE of ``count_selectors.youths.served_counts``), the new youths'
        memberships (``count_selectors.outcomes._cohort_rows``), the youths assessed in the period
        (``stage_movement``), the caseload (``count_selectors.services.voca_services``). That join keeps the scope's youths only; limiting the rows to the
        caseload as well would cost another pass over it. Never counted alone."""
        return model._default_manager.filter(**filters).order_by()

    def program_rows(self, model: type[M], *, through: str = "program", **filters: Any) -> QuerySet[M]:
        """Rows of the scope's programs (referrals, eligibility decisions; alerts through their
        region, mandatory reports through their referral)."""
        scoped = {f"{through}_id__in": self.scope.program_ids}
        return model._default_manager.filter(**scoped, **filters).order_by()


_WORKERS = "max_parallel_workers_per_gather"


def _counting(alias: str, job: Callable[[], A]) -> Callable[[], A]:
    """``job`` (one lane of measures) with PostgreSQL's parallel workers limited for its statements
    (``config.count_parallel_workers``): the setting is made local to a transaction (a savepoint
    inside the request's), so a pooled server connection (pgbouncer, transaction pooling) never keeps
    it; back to what it was once the lane is counted (on an error the rollback undoes it). Statements
    still take a new snapshot each (READ COMMITTED), as in autocommit."""
    workers = config.count_parallel_workers()

    def run() -> A:
        connection = connections[alias]
        if workers is None or connection.vendor != "postgresql":
            return job()
        with transaction.atomic(using=alias):
            with connection.cursor() as cursor:
                cursor.execute("SELECT current_setting(%s)", [_WORKERS])
                (before,) = cursor.fetchone() or (None,)
                cursor.execute("SELECT set_config(%s, %s, true)", [_WORKERS, str(workers)])
            counted = job()
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, %s, true)", [_WORKERS, before])
            return counted

    return run


def _another_connection_reads_the_same(alias: str) -> bool:
    """Whether a second connection to ``alias`` would count exactly the rows this one does: PostgreSQL
    only (SQLite keeps one connection), and this connection holds nothing uncommitted and takes a new
    snapshot per statement: it is in autocommit, or its transaction has written nothing yet (no
    transaction id assigned) at READ COMMITTED. A test inside a transaction (``TestCase``, pytest-django's
    ``db``) has written its rows uncommitted, so it counts on one connection."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return False
    if not connection.in_atomic_block and connection.get_autocommit():
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_current_xact_id_if_assigned() IS NULL"
            " AND current_setting('transaction_isolation') = 'read committed'"
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def compiled(queryset: QuerySet[Any, Any]) -> tuple[str, tuple[Any, ...]] | None:
    """A queryset's SQL and parameters for the database it reads from, to be put inside a statement
    Django cannot build (an aggregate over a union, a join to a windowed subquery); None when it can
    hold no row (an empty scope)."""
    try:
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return None
    return sql, tuple(params)


def facts_for(*, membership: Membership | None, period: Period, now: dt.datetime | None = None) -> Facts:
    """The facts of this person's organization for the period (empty for partner agencies)."""
    return Facts(scope=scope_for(membership), period=period, now=now or timezone.now())


# --- row-level exports of the program's own records (supervisors; see services) ----------------------


def generated_caseload_size(*, organization_id: int) -> int:
    """How many generated (fictional, ``Y-G…``) youths this organization has served: the demo loader's
    idempotency check. A count only; no youth is read."""
    from threadline.outcomes.demo_generate import REFERENCE_PREFIX

    return (
        CareTeamMember.objects.filter(
            organization_id=organization_id, youth__reference__startswith=REFERENCE_PREFIX
        )
        .values("youth_id")
        .distinct()
        .count()
    )

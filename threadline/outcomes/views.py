"""Dashboards, the funder report and exports. Thin: the figures come from ``report`` and
``publish``, exports from ``services``; role decisions only through ``may``."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from allauth.account.decorators import reauthentication_required
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from threadline.accounts.models import Membership
from threadline.audit import ledger
from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.core.replica import reads_from_replica
from threadline.http import AuthedRequest
from threadline.outcomes import config, publish, report, services, texas_map
from threadline.outcomes import where as where_module
from threadline.outcomes.forms import PeriodForm, RecordsExportForm, ReportExportForm
from threadline.outcomes.measures.facts import Period, fiscal_year, fiscal_year_label
from threadline.outcomes.selectors import Facts, Scope, scope_for


def _membership(request: AuthedRequest, action: Action) -> Membership:
    membership = request.membership
    if membership is None or not may(membership, action):
        raise PermissionDenied
    return membership


def _figures_seen(membership: Membership, object_type: str, object_id: str, purpose: str) -> None:
    """The ledger row of one look at aggregate figures, in the transaction that read them."""
    ledger.record(
        actor=membership.user,
        organization=membership.organization,
        action="view",
        object_type=object_type,
        object_id=object_id,
        category="aggregate",
        purpose=purpose,
    )


def period_choices(today: dt.date, *, exact: bool) -> dict[str, tuple[str, Period]]:
    """The periods a dashboard offers. De-identified views get whole months only (the current fiscal
    year up to the end of the last full month, and the last fiscal year): a period that moves every
    day would invite subtracting one day from the next."""
    start_month = config.fiscal_year_start_month()
    this_year = fiscal_year(today, start_month)
    last_year = fiscal_year(this_year.start - dt.timedelta(days=1), start_month)
    choices: dict[str, tuple[str, Period]] = {}
    if exact:
        choices["30d"] = (_("Last 30 days"), Period(today - dt.timedelta(days=29), today))
        choices["fytd"] = (
            _("%(fy)s to date") % {"fy": fiscal_year_label(this_year)},
            Period(this_year.start, today),
        )
    else:
        month_end = today.replace(day=1) - dt.timedelta(days=1)
        if month_end >= this_year.start:
            choices["fytd"] = (
                _("%(fy)s to the end of last month") % {"fy": fiscal_year_label(this_year)},
                Period(this_year.start, month_end),
            )
    choices["lastfy"] = (fiscal_year_label(last_year), last_year)
    return choices


def _dashboard_report(scope: Scope, period: Period, sections: tuple[str, ...]) -> report.Report:
    """The figures of a dashboard, reused for ``OUTCOMES_DASHBOARD_CACHE_SECONDS`` (aggregates only:
    the cache never holds a row about a youth). Suppression is applied afresh on every view."""
    seconds = config.dashboard_cache_seconds()
    key = "outcomes:dashboard:{}:{}:{}:{}".format(
        scope.organization_id, period.start.isoformat(), period.end.isoformat(), ",".join(sections)
    )
    if seconds:
        cached = cache.get(key)
        if isinstance(cached, report.Report):
            return cached
    built = report.build(Facts(scope=scope, period=period), sections=sections, with_gender=False)
    if seconds:
        cache.set(key, built, seconds)
    return built


@login_required
@reads_from_replica
def dashboard(request: AuthedRequest) -> HttpResponse:
    """One dashboard, shaped by what the person may do: coordinators and supervisors (who work with
    the youths) see exact figures and the last 30 days first; supervisors also the team's workload;
    program admins and analysts see de-identified, suppressed figures for whole months."""
    membership = _membership(request, Action.VIEW_REPORTS)
    exact = bool(may(membership, Action.VIEW_EXACT_FIGURES))
    today = timezone.localdate()
    choices = period_choices(today, exact=exact)
    chosen = request.GET.get("period", "")
    if chosen not in choices:
        chosen = next(iter(choices))
    label, period = choices[chosen]
    sections = [report.INTAKE, report.YOUTHS, report.SERVICES, report.OUTCOMES]
    if may(membership, Action.VIEW_TEAM_FIGURES):
        sections.insert(1, report.OPERATIONS)
    scope = scope_for(membership)
    with transaction.atomic():
        built = _dashboard_report(scope, period, tuple(sections))
        shown = publish.publish(
            built,
            organization_id=membership.organization_id,
            actor=membership.user,
            suppressed=not exact,
            record=not exact,
            purpose="dashboard",
        )
        _figures_seen(
            membership,
            "outcomes_dashboard",
            chosen,
            f"dashboard {period.start.isoformat()}..{period.end.isoformat()}",
        )
    return render(
        request,
        "outcomes/dashboard.html",
        {
            "shown": shown,
            "period": period,
            "period_label": label,
            "choices": [(key, value[0]) for key, value in choices.items()],
            "chosen": chosen,
            "exact": exact,
            "empty_scope": scope.empty,
            "map_svg": texas_map.render(
                shown.map_counts,
                built.service_area,
                small_max=shown.small_max,
                title=_("Referrals by county, %(period)s") % {"period": label},
            ),
            "legend": texas_map.legend(
                shown.map_counts, small_max=shown.small_max, suppressed=shown.suppressed
            ),
            "county_table": shown.table("referrals.county"),
            "can_export_records": may(membership, Action.EXPORT_RECORDS),
        },
    )


@login_required
def where(request: AuthedRequest) -> HttpResponse:
    """Patterns of where it happens: the county map by where youths were harmed or found, for the
    program admin (anyone who may see figures), always with small counts hidden."""
    membership = _membership(request, Action.VIEW_REPORTS)
    choices = period_choices(timezone.localdate(), exact=False)
    chosen = request.GET.get("period", "")
    chosen = chosen if chosen in choices else next(iter(choices))
    kind = request.GET.get("kind", "")
    kind = kind if kind in where_module.KINDS else where_module.KINDS[0]
    label, period = choices[chosen]
    scope = scope_for(membership)
    with transaction.atomic():
        shown = where_module.where_counts(Facts(scope=scope, period=period), kind)
        _figures_seen(
            membership,
            "outcomes_where",
            f"{chosen}:{kind}",
            f"where it happens {period.start.isoformat()}..{period.end.isoformat()}",
        )
    titles: dict[str, str] = {
        where_module.KINDS[0]: _("Youths by county where they were harmed, %(period)s"),
        where_module.KINDS[1]: _("Youths by county where they were found, %(period)s"),
    }
    return render(
        request,
        "outcomes/where.html",
        {
            "shown": shown,
            "rows": sorted(shown.counts.items()),
            "kind": kind,
            "kinds": [(k, str(k.label)) for k in where_module.KINDS],
            "chosen": chosen,
            "choices": [(key, value[0]) for key, value in choices.items()],
            "empty_scope": scope.empty,
            "map_svg": texas_map.render(
                shown.counts,
                scope.service_area,
                small_max=shown.small_max,
                title=titles[kind] % {"period": label},
            ),
            "legend": texas_map.legend(shown.counts, small_max=shown.small_max, suppressed=True),
        },
    )


def _files_response(files: list[services.ExportFile]) -> HttpResponse:
    if len(files) == 1:
        file = files[0]
        response = HttpResponse(file.content, content_type=file.content_type)
        response["Content-Disposition"] = f'attachment; filename="{file.name}"'
        return response
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in files:
            archive.writestr(file.name, file.content)
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="threadline-report.zip"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
@reads_from_replica
def funder_report(request: AuthedRequest) -> HttpResponse:
    """Pick a period, see the de-identified report, download it as PDF and XLSX (with a purpose)."""
    membership = _membership(request, Action.VIEW_REPORTS)
    default = services.default_period()
    if request.method == "POST":
        form = ReportExportForm(request.POST)
        if form.is_valid():
            try:
                files = services.funder_report_files(
                    membership=membership,
                    period=form.period(),
                    formats=tuple(form.cleaned_data["formats"]),
                    purpose=form.cleaned_data["purpose"],
                )
            except ValidationError as exc:
                form.add_error("purpose", exc)
            else:
                return _files_response(files)
        period_form = PeriodForm(request.POST)
    else:
        period_form = PeriodForm(request.GET or None, initial={"start": default.start, "end": default.end})
        form = ReportExportForm(
            initial={
                "start": request.GET.get("start", default.start),
                "end": request.GET.get("end", default.end),
                "formats": ["pdf", "xlsx"],
            }
        )
    shown = None
    if request.method == "GET" and period_form.is_bound and period_form.is_valid():
        with transaction.atomic():
            facts = Facts(scope=scope_for(membership), period=period_form.period())
            built = report.build(facts, sections=services.FUNDER_SECTIONS, with_gender=True)
            shown = publish.publish(
                built,
                organization_id=membership.organization_id,
                actor=membership.user,
                suppressed=True,
                record=True,
                purpose="funder report preview",
            )
            _figures_seen(
                membership,
                "funder_report",
                f"{facts.period.start.isoformat()}..{facts.period.end.isoformat()}",
                "preview",
            )
    return render(
        request,
        "outcomes/report.html",
        {"period_form": period_form, "form": form, "shown": shown},
    )


@login_required
@require_http_methods(["GET", "POST"])
@reads_from_replica
def records_export(request: AuthedRequest) -> HttpResponse:
    """Row-level exports of the program's own records: supervisors, a reason, a fresh password
    (allauth's re-authentication page, which then resumes the export). The role is checked first:
    nobody else is even asked for a password."""
    membership = _membership(request, Action.EXPORT_RECORDS)
    return _records_export(request, membership)


@reauthentication_required(allow_get=True, app="outcomes")
def _records_export(request: AuthedRequest, membership: Membership) -> HttpResponse:
    default = services.default_period()
    if request.method == "POST":
        form = RecordsExportForm(request.POST)
        if form.is_valid():
            export = (
                services.hmis_export if form.cleaned_data["kind"] == "hmis" else services.referrals_export
            )
            try:
                file = export(membership=membership, period=form.period(), reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                form.add_error("reason", exc)
            else:
                return _files_response([file])
    else:
        form = RecordsExportForm(initial={"start": default.start, "end": default.end, "kind": "referrals"})
    return render(request, "outcomes/records_export.html", {"form": form})

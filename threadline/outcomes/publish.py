"""Turn a report into what a reader sees: numbers formatted, and for anything de-identified, small
cells suppressed (with complements, and the differencing guard against earlier publications)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from threadline.accounts.models import User
from threadline.outcomes import config
from threadline.outcomes.models import Publication
from threadline.outcomes.report import Report, Section
from threadline.outcomes.suppression import Grid, differencing_extra, suppress
from threadline.outcomes.tables import TOTAL, Figure, Label, Table

HIDDEN_MARK = "*"


@dataclass(frozen=True)
class ShownCell:
    value: int | None  # None: hidden
    text: str


@dataclass(frozen=True)
class ShownTable:
    table: Table
    column_labels: list[Label]  # with "Total" when there are row totals
    rows: list[tuple[Label, list[ShownCell]]]  # with a "Total" row when there are column totals
    hidden: int

    @property
    def key(self) -> str:
        return self.table.key


@dataclass(frozen=True)
class ShownFigure:
    figure: Figure
    text: str
    hidden: bool


@dataclass(frozen=True)
class ShownSection:
    section: Section
    tables: list[ShownTable]
    figures: list[ShownFigure]


@dataclass(frozen=True)
class Shown:
    report: Report
    sections: list[ShownSection]
    suppressed: bool
    small_max: int
    map_counts: dict[str, int | None]

    def table(self, key: str) -> ShownTable | None:
        return next((t for s in self.sections for t in s.tables if t.key == key), None)


def _codes(table: Table) -> tuple[list[str], list[str]]:
    rows = [code for code, _label in table.rows] + ([TOTAL] if table.column_totals else [])
    cols = [code for code, _label in table.columns] + ([TOTAL] if table.has_row_totals else [])
    return rows, cols


def _grid(table: Table) -> Grid:
    return Grid.build(table.cells, row_totals=table.has_row_totals, column_totals=table.column_totals)


def _earlier(table: Table, grid: Grid, organization_id: int, report: Report) -> list[list[list[int | None]]]:
    rows, cols = _codes(table)
    found = []
    for cells in Publication.objects.filter(
        organization_id=organization_id,
        table_key=table.key,
        period_start__lte=report.period.end,
        period_end__gte=report.period.start,
    ).values_list("cells", flat=True):
        found.append([[cells.get(f"{r}|{c}") for c in cols] for r in rows])
    return found


def _store(
    table: Table,
    hidden: frozenset[tuple[int, int]],
    grid: Grid,
    report: Report,
    organization_id: int,
    actor: User | None,
    purpose: str,
) -> None:
    rows, cols = _codes(table)
    cells = {
        f"{rows[r]}|{cols[c]}": (None if (r, c) in hidden else grid.value((r, c))) for r, c in grid.cells()
    }
    digest = hashlib.sha256(json.dumps(cells, sort_keys=True).encode()).hexdigest()
    try:
        with transaction.atomic():
            Publication.objects.get_or_create(
                organization_id=organization_id,
                table_key=table.key,
                period_start=report.period.start,
                period_end=report.period.end,
                digest=digest,
                defaults={"cells": cells, "published_by": actor, "purpose": purpose[:200]},
            )
    except IntegrityError:  # the same numbers stored by a concurrent request
        pass


def _show_table(table: Table, hidden: frozenset[tuple[int, int]]) -> ShownTable:
    grid = _grid(table)
    labels: list[Label] = [label for _code, label in table.rows] + (
        [_("Total")] if table.column_totals else []
    )
    rows = []
    for r in range(grid.height):
        cells = []
        for c in range(grid.width):
            if (r, c) in hidden:
                cells.append(ShownCell(None, HIDDEN_MARK))
            else:
                value = grid.value((r, c))
                cells.append(ShownCell(value, number_format(value, force_grouping=True)))
        rows.append((labels[r], cells))
    columns: list[Label] = [label for _code, label in table.columns] + (
        [_("Total")] if table.has_row_totals else []
    )
    return ShownTable(table, columns, rows, len(hidden))


def format_figure(figure: Figure) -> str:
    if figure.value is None:
        return "—"
    if figure.unit == "percent":
        return f"{number_format(round(figure.value), 0)} %"
    if figure.unit == "count":
        return number_format(round(figure.value), 0, force_grouping=True)
    if figure.unit == "per365":
        return number_format(figure.value, 2)
    return number_format(figure.value, 1)


def publish(
    report: Report,
    *,
    organization_id: int | None,
    actor: User | None = None,
    suppressed: bool,
    record: bool = False,
    purpose: str = "",
) -> Shown:
    """Format the report. ``suppressed``: hide small cells with complements; with ``record`` (and an
    organization) also apply the differencing guard against what this organization published before
    for overlapping periods, and store what is published now."""
    small = config.small_cell_max()
    guard = suppressed and organization_id is not None and record
    sections = []
    hidden_counties: set[str] = set()
    for section in report.sections:
        shown_tables = []
        for table in section.tables:
            grid = _grid(table)
            hidden: frozenset[tuple[int, int]] = frozenset()
            if suppressed:
                extra = set()
                if guard and organization_id is not None:
                    extra = differencing_extra(
                        grid, _earlier(table, grid, organization_id, report), max_small=small
                    )
                hidden = suppress(grid, max_small=small, extra=extra)
                if guard and organization_id is not None:
                    _store(table, hidden, grid, report, organization_id, actor, purpose)
                if table.key == "referrals.county":
                    hidden_counties = {table.rows[r][0] for r, c in hidden if r < len(table.rows)}
            shown_tables.append(_show_table(table, hidden))
        shown_figures = []
        for figure in section.figures:
            hide = suppressed and any(1 <= n <= small for n in figure.counts)
            shown_figures.append(ShownFigure(figure, HIDDEN_MARK if hide else format_figure(figure), hide))
        sections.append(ShownSection(section, shown_tables, shown_figures))
    map_counts: dict[str, int | None] = {
        county: (None if county in hidden_counties else n) for county, n in report.map_counts.items()
    }
    return Shown(report, sections, suppressed, small, map_counts)

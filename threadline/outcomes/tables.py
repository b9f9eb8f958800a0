"""What a measure returns: a table of counts (with its margins) or a single figure (a median, a
rate, a share), each with the counts that stand behind it so that publishing can suppress it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.functional import Promise

Label = str | Promise
Column = tuple[str, Label, Mapping[str, int]]  # code, label, {row code: count}
TOTAL = "__total__"


@dataclass(frozen=True)
class Table:
    """Counts: ``cells[i][j]`` for row ``rows[i]`` and column ``columns[j]`` (code, label pairs; the
    codes are stable across periods so that two publications can be compared cell by cell)."""

    key: str
    title: Label
    rows: Sequence[tuple[str, Label]]
    columns: Sequence[tuple[str, Label]]
    cells: Sequence[Sequence[int]]
    how: Label = ""  # how it is counted, one sentence, shown under the table
    row_totals: bool | None = None  # None: when there is more than one column
    column_totals: bool = True

    @property
    def has_row_totals(self) -> bool:
        return len(self.columns) > 1 if self.row_totals is None else self.row_totals

    def value(self, row: str, column: str) -> int:
        r = [code for code, _ in self.rows].index(row)
        c = [code for code, _ in self.columns].index(column)
        return self.cells[r][c]

    def column(self, column: str) -> dict[str, int]:
        c = [code for code, _ in self.columns].index(column)
        return {code: self.cells[r][c] for r, (code, _) in enumerate(self.rows)}


def count_table(
    key: str,
    title: Label,
    rows: Sequence[tuple[str, Label]],
    columns: Sequence[Column],
    how: Label = "",
    *,
    row_totals: bool | None = None,
    column_totals: bool = True,
) -> Table:
    """A ``Table`` whose column ``(code, label, counts)`` holds ``counts[row code]`` in each row (0 for a
    row code the counts do not name): the shape of most measures, counted by row and by column."""
    return Table(
        key=key,
        title=title,
        rows=rows,
        columns=[(code, label) for code, label, _counts in columns],
        cells=[[counts.get(row, 0) for _code, _label, counts in columns] for row, _row_label in rows],
        how=how,
        row_totals=row_totals,
        column_totals=column_totals,
    )


@dataclass(frozen=True)
class Figure:
    """One statistic. ``value`` None: nothing to compute. ``counts`` are the numbers of people or
    events it rests on; if any is from 1 to the small-cell limit the figure is not published."""

    key: str
    label: Label
    value: float | None
    unit: str  # "hours", "days", "percent", "per365", "count"
    counts: tuple[int, ...] = field(default_factory=tuple)
    how: Label = ""

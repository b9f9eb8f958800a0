"""Small-cell suppression that holds up against arithmetic.

A published table shows counts, and usually row and column totals. A count from 1 to ``max_small``
(10 by default, ``OUTCOMES_SMALL_CELL_MAX``) could single out a child, so it is not shown ("primary"
suppression; 0 is shown: it identifies nobody). Hiding it is not enough: with the row total and the
other cells of its row, anyone can subtract. So more cells are hidden ("complementary" suppression)
until **no hidden value can be worked out from what is published**: for every hidden cell, some
other table of non-negative counts agrees with every published number and differs in that cell.

How that is checked, exactly (no approximation): write the table with its margins as one grid in
which every row and every column adds up to zero (margins counted negatively). Any two tables that
agree on the published cells differ by a "circulation" on the hidden cells; it exists in a given
cell if and only if there is a cycle through that cell in the graph whose nodes are the grid's rows
and columns and whose edges are the hidden cells, going "up" or "down" alternately, never taking
a zero cell below zero. ``pinned`` finds such a cycle by a breadth-first search. A hidden cell with
no cycle is pinned, and one more cell of its row or column (the smallest positive one) is hidden,
until none is pinned. A missing margin (a one-column table has no row totals) is a free node: any
row may absorb the change.

The test suite checks the result independently with a linear program (scipy): for every hidden cell
the minimum and maximum values consistent with the published numbers differ.

**Differencing guard**: two overlapping periods (January–June and January–July) can be subtracted.
``differencing_extra`` compares a new table with every table already published for an overlapping
period (``PublishedTable``): a cell whose difference from an earlier published value is between 1 and
``max_small`` is hidden too, before the complementary pass.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Cell = tuple[int, int]


@dataclass(frozen=True)
class Grid:
    """Counts with optional margins. ``values[r][c]`` for r < rows, c < cols are the inner cells;
    with ``row_totals`` column ``cols`` holds each row's total; with ``column_totals`` row ``rows``
    holds each column's total (and the grand total at [rows][cols] when both)."""

    values: tuple[tuple[int, ...], ...]
    rows: int
    cols: int
    row_totals: bool
    column_totals: bool

    @classmethod
    def build(cls, inner: Sequence[Sequence[int]], *, row_totals: bool, column_totals: bool) -> Grid:
        rows = len(inner)
        cols = len(inner[0]) if rows else 0
        if any(len(row) != cols for row in inner):
            raise ValueError("ragged table")
        if any(v < 0 for row in inner for v in row):
            raise ValueError("counts are never negative")
        grid = [list(row) for row in inner]
        if row_totals:
            for row in grid:
                row.append(sum(row))
        if column_totals:
            width = cols + (1 if row_totals else 0)
            grid.append([sum(grid[r][c] for r in range(rows)) for c in range(width)])
        return cls(tuple(tuple(row) for row in grid), rows, cols, row_totals, column_totals)

    @property
    def height(self) -> int:
        return self.rows + (1 if self.column_totals else 0)

    @property
    def width(self) -> int:
        return self.cols + (1 if self.row_totals else 0)

    def cells(self) -> Iterable[Cell]:
        for r in range(self.height):
            for c in range(self.width):
                yield (r, c)

    def value(self, cell: Cell) -> int:
        return self.values[cell[0]][cell[1]]

    def sign(self, cell: Cell) -> int:
        """+1 for inner cells and the grand total, -1 for row and column totals."""
        in_margin_row = self.column_totals and cell[0] == self.rows
        in_margin_col = self.row_totals and cell[1] == self.cols
        return -1 if in_margin_row != in_margin_col else 1


# Graph nodes: ("r", i) rows, ("c", j) columns, and a free node for each missing set of margins.
Node = tuple[str, int]
FREE_COLUMN: Node = ("c", -1)  # stands for missing row totals: every row is unconstrained
FREE_ROW: Node = ("r", -1)  # stands for missing column totals


def _arcs(grid: Grid, hidden: set[Cell], skip: Cell | None) -> dict[Node, list[Node]]:
    """Directed residual graph: row→column when the cell may go "up" (in the signed grid), column→row
    when it may go "down"; a cell is never taken below zero."""
    arcs: dict[Node, list[Node]] = {}

    def add(a: Node, b: Node) -> None:
        arcs.setdefault(a, []).append(b)

    for cell in hidden:
        if cell == skip:
            continue
        r, c = cell
        value, sign = grid.value(cell), grid.sign(cell)
        if sign > 0 or value > 0:  # signed up: the count rises (sign +) or falls (sign -)
            add(("r", r), ("c", c))
        if sign < 0 or value > 0:  # signed down
            add(("c", c), ("r", r))
    if not grid.row_totals:
        for r in range(grid.height):
            add(("r", r), FREE_COLUMN)
            add(FREE_COLUMN, ("r", r))
    if not grid.column_totals:
        for c in range(grid.width):
            add(("c", c), FREE_ROW)
            add(FREE_ROW, ("c", c))
    if not grid.row_totals and not grid.column_totals:  # no margins at all: nothing ties cells
        add(FREE_ROW, FREE_COLUMN)
        add(FREE_COLUMN, FREE_ROW)
    return arcs


def _reaches(arcs: dict[Node, list[Node]], start: Node, goal: Node) -> bool:
    seen = {start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            return True
        for nxt in arcs.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return False


def pinned(grid: Grid, hidden: set[Cell]) -> list[Cell]:
    """Hidden cells whose value follows from the published cells (no cycle can move them)."""
    found = []
    for cell in sorted(hidden):
        r, c = cell
        value, sign = grid.value(cell), grid.sign(cell)
        arcs = _arcs(grid, hidden, skip=cell)
        up_ok = sign > 0 or value > 0
        down_ok = sign < 0 or value > 0
        # Up on this cell (row→col) closes through a path col→…→row; down needs row→…→col.
        movable = (up_ok and _reaches(arcs, ("c", c), ("r", r))) or (
            down_ok and _reaches(arcs, ("r", r), ("c", c))
        )
        if not movable:
            found.append(cell)
    return found


def _complement_for(grid: Grid, stuck: list[Cell], hidden: set[Cell]) -> Cell | None:
    """The cell to hide next: among the visible cells sharing a row or column with a pinned one, the
    one that leaves fewest pinned cells, then an inner cell before a margin, then the smallest count
    (zeros last: a hidden zero cannot go lower, so it protects less). Else the smallest visible cell
    anywhere."""
    rows = {cell[0] for cell in stuck}
    cols = {cell[1] for cell in stuck}
    visible = [x for x in grid.cells() if x not in hidden]
    line = [x for x in visible if x[0] in rows or x[1] in cols]
    if line:
        return min(
            line,
            key=lambda x: (
                len(pinned(grid, hidden | {x})),
                grid.sign(x) < 0,
                grid.value(x) == 0,
                grid.value(x),
                x,
            ),
        )
    if visible:
        return min(visible, key=lambda x: (grid.value(x) == 0, grid.value(x), x))
    return None


def suppress(grid: Grid, *, max_small: int, extra: Iterable[Cell] = ()) -> frozenset[Cell]:
    """The cells to hide: every count from 1 to ``max_small`` (and ``extra``), then complements until
    no hidden cell is pinned."""
    every = set(grid.cells())
    hidden = {cell for cell in every if 1 <= grid.value(cell) <= max_small}
    hidden.update(cell for cell in extra if cell in every)
    while hidden:
        stuck = pinned(grid, hidden)
        if not stuck:
            break
        nxt = _complement_for(grid, stuck, hidden)
        if nxt is None:
            break
        hidden.add(nxt)
    return frozenset(hidden)


def differencing_extra(
    grid: Grid, earlier: Iterable[Sequence[Sequence[int | None]]], *, max_small: int
) -> set[Cell]:
    """Cells of ``grid`` whose difference from the same cell of a table already published for an
    overlapping period is between 1 and ``max_small``: subtracting the two would reveal a small
    group. ``earlier`` holds those tables as published (None where a cell was hidden)."""
    extra: set[Cell] = set()
    for table in earlier:
        if len(table) != grid.height or any(len(row) != grid.width for row in table):
            continue  # a different shape (other categories): not comparable cell by cell
        for cell in grid.cells():
            then = table[cell[0]][cell[1]]
            if then is not None and 1 <= abs(grid.value(cell) - then) <= max_small:
                extra.add(cell)
    return extra

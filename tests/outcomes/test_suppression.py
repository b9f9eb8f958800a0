"""Suppression holds against arithmetic: for random tables, no hidden cell can be worked out from the
published cells and totals. Checked independently of the algorithm with a linear program (scipy):
the smallest and largest value each hidden cell can take, given everything published and that counts
are never negative, differ."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from threadline.outcomes.suppression import Cell, Grid, differencing_extra, pinned, suppress


def _equations(grid: Grid) -> list[tuple[list[Cell], Cell]]:
    """Each published relation: these cells add up to that one."""
    eqs: list[tuple[list[Cell], Cell]] = []
    if grid.row_totals:
        for r in range(grid.height):
            eqs.append(([(r, c) for c in range(grid.cols)], (r, grid.cols)))
    if grid.column_totals:
        for c in range(grid.width):
            eqs.append(([(r, c) for r in range(grid.rows)], (grid.rows, c)))
    return eqs


def bounds(grid: Grid, hidden: frozenset[Cell]) -> dict[Cell, tuple[float, float]]:
    """For each hidden cell, [min, max] over all non-negative tables agreeing with the published ones."""
    unknowns = sorted(hidden)
    index = {cell: i for i, cell in enumerate(unknowns)}
    rows: list[list[float]] = []
    rhs: list[float] = []
    for parts, total in _equations(grid):
        coeffs = [0.0] * len(unknowns)
        constant = 0.0
        for cell in parts:
            if cell in index:
                coeffs[index[cell]] += 1
            else:
                constant += grid.value(cell)
        if total in index:
            coeffs[index[total]] -= 1
        else:
            constant -= grid.value(total)
        if any(coeffs):
            rows.append(coeffs)
            rhs.append(-constant)
    found: dict[Cell, tuple[float, float]] = {}
    for cell, i in index.items():
        objective = np.zeros(len(unknowns))
        objective[i] = 1
        kwargs = {"A_eq": np.array(rows), "b_eq": np.array(rhs)} if rows else {}
        low = linprog(objective, bounds=[(0, None)] * len(unknowns), method="highs", **kwargs)
        high = linprog(-objective, bounds=[(0, None)] * len(unknowns), method="highs", **kwargs)
        assert low.status == 0
        top = float("inf") if high.status == 3 else -high.fun
        found[cell] = (low.fun, top)
    return found


tables = st.integers(min_value=1, max_value=5).flatmap(
    lambda rows: st.integers(min_value=1, max_value=4).flatmap(
        lambda cols: st.lists(
            st.lists(st.one_of(st.integers(0, 12), st.integers(0, 60)), min_size=cols, max_size=cols),
            min_size=rows,
            max_size=rows,
        )
    )
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inner=tables, row_totals=st.booleans(), max_small=st.integers(1, 10))
def test_no_hidden_value_is_recoverable_from_the_published_totals(
    inner: list[list[int]], row_totals: bool, max_small: int
) -> None:
    grid = Grid.build(inner, row_totals=row_totals or len(inner[0]) > 1, column_totals=True)
    hidden = suppress(grid, max_small=max_small)
    for cell in grid.cells():
        if 1 <= grid.value(cell) <= max_small:
            assert cell in hidden  # every small count is hidden
    for cell, (low, high) in bounds(grid, hidden).items():
        assert high - low >= 1 - 1e-6, (grid.values, sorted(hidden), cell, low, high)
    assert pinned(grid, set(hidden)) == []


def test_the_lp_check_itself_sees_a_recoverable_cell() -> None:
    grid = Grid.build([[3, 20], [15, 22]], row_totals=True, column_totals=True)
    low, high = bounds(grid, frozenset({(0, 0)}))[(0, 0)]
    assert (low, high) == (3.0, 3.0)
    assert pinned(grid, {(0, 0)}) == [(0, 0)]


def test_a_two_by_two_hides_exactly_the_four_inner_cells() -> None:
    grid = Grid.build([[3, 20], [15, 22]], row_totals=True, column_totals=True)
    assert sorted(suppress(grid, max_small=10)) == [(0, 0), (0, 1), (1, 0), (1, 1)]


def test_zero_is_shown_and_large_counts_are_untouched() -> None:
    grid = Grid.build([[0, 40], [25, 22]], row_totals=True, column_totals=True)
    assert suppress(grid, max_small=10) == frozenset()


def test_a_small_total_is_hidden_too() -> None:
    grid = Grid.build([[3], [0], [0]], row_totals=False, column_totals=True)
    assert sorted(suppress(grid, max_small=10)) == [(0, 0), (3, 0)]


def test_differencing_two_overlapping_periods_hides_the_small_difference() -> None:
    earlier = [[40], [25], [65]]  # January–June, as published
    grid = Grid.build([[43], [25]], row_totals=False, column_totals=True)  # January–July
    extra = differencing_extra(grid, [earlier], max_small=10)
    assert extra == {(0, 0), (2, 0)}  # 43-40 = 3 and 68-65 = 3 would reveal July's three
    hidden = suppress(grid, max_small=10, extra=extra)
    assert (0, 0) in hidden and (2, 0) in hidden
    for _cell, (low, high) in bounds(grid, hidden).items():
        assert high - low >= 1


def test_a_table_of_another_shape_is_not_compared() -> None:
    grid = Grid.build([[43], [25]], row_totals=False, column_totals=True)
    assert differencing_extra(grid, [[[40], [65]]], max_small=10) == set()

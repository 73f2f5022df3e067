import numpy as np
import pytest

from tapeout.pnr.place.slots import BLOCKED, FREE, SlotGrid, build_slot_grid
from tapeout.pnr.place.spread import spread_to_slots
from tapeout.pnr.place.synthetic import synthetic_problem


def test_clumped_cells_get_distinct_free_slots():
    p = synthetic_problem(400, seed=2, n_macros=1)
    grid = build_slot_grid(p)
    rng = np.random.default_rng(0)
    cx = p.core[2] / 2 + rng.normal(0, 1, 400)
    cy = p.core[3] / 2 + rng.normal(0, 1, 400)
    rows, cols = spread_to_slots(grid, cx, cy)
    assert len(set(zip(rows.tolist(), cols.tolist()))) == 400
    assert np.all(grid.occupant[rows, cols] != BLOCKED)
    # Left-right order is kept across the cut of the whole grid.
    sx = grid.x0 + (cols + 0.5) * grid.width
    left = cx < np.median(cx)
    assert np.mean(sx[left]) < np.mean(sx[~left])


def test_cells_in_uncrowded_places_stay_on_their_slot():
    p = synthetic_problem(400, seed=2)
    grid = build_slot_grid(p)
    free_rows, free_cols = np.nonzero(grid.occupant != BLOCKED)
    pick = np.random.default_rng(1).choice(free_rows.shape[0], 100, replace=False)
    cx = grid.x0 + (free_cols[pick] + 0.5) * grid.width
    cy = grid.y0 + (free_rows[pick] + 0.5) * grid.row_height
    rows, cols = spread_to_slots(grid, cx, cy)
    assert np.array_equal(rows, free_rows[pick]) and np.array_equal(cols, free_cols[pick])


def test_more_cells_than_slots():
    p = synthetic_problem(30, seed=2)
    grid = build_slot_grid(p)
    n = grid.n_free_slots + 1
    with pytest.raises(ValueError, match=rf"^{n} cells do not fit on {n - 1} free slots$"):
        spread_to_slots(grid, np.zeros(n), np.zeros(n))


def _quadrant_counts(grid, rows, cols):
    """Cells and free slots per quadrant of the grid's first two cuts (bottom-left,
    bottom-right, top-left, top-right)."""
    n_rows, n_cols = grid.occupant.shape
    free = grid.occupant != BLOCKED
    out = []
    for r0, r1 in ((0, n_rows // 2), (n_rows // 2, n_rows)):
        for c0, c1 in ((0, n_cols // 2), (n_cols // 2, n_cols)):
            inside = (rows >= r0) & (rows < r1) & (cols >= c0) & (cols < c1)
            out.append((int(np.count_nonzero(inside)), int(free[r0:r1, c0:c1].sum())))
    return out


def test_min_share_fills_the_free_area_beside_a_corner_macro():
    # A 40 x 40 slot core, its bottom-left quadrant a macro; 600 cells on 1200 free
    # slots, all pulled to the top-right corner.
    occupant = np.full((40, 40), FREE, dtype=np.int64)
    occupant[:20, :20] = BLOCKED
    grid = SlotGrid(occupant, 0.0, 0.0, 1.0, 1.0, np.arange(occupant.shape[0], dtype=np.float64))
    rng = np.random.default_rng(3)
    cx = 38 + rng.normal(0, 1, 600)
    cy = 38 + rng.normal(0, 1, 600)
    rows, cols = spread_to_slots(grid, cx, cy)
    packed = _quadrant_counts(grid, rows, cols)
    assert packed[0] == (0, 0) and packed[2][0] == 0   # the top-left stays empty
    rows, cols = spread_to_slots(grid, cx, cy, min_share=0.5)
    assert len(set(zip(rows.tolist(), cols.tolist()))) == 600
    assert np.all(occupant[rows, cols] != BLOCKED)
    for cells, free in _quadrant_counts(grid, rows, cols)[1:]:
        # Two cuts, each giving a half at least half its share: a quarter at least.
        assert cells >= 0.25 * 600 * free / 1200 - 1
    rows, cols = spread_to_slots(grid, cx, cy, min_share=1.0)
    assert [cells for cells, _ in _quadrant_counts(grid, rows, cols)] == [0, 200, 200, 200]
    # Cells keep their order across the cut: the rightmost cells stay rightmost.
    right = cx > np.quantile(cx, 0.9)
    assert np.mean(cols[right]) > np.mean(cols[~right])


@pytest.mark.parametrize("value", [-0.1, 1.5, True, "half"])
def test_bad_min_share(value):
    grid = SlotGrid(np.full((2, 2), FREE, dtype=np.int64), 0.0, 0.0, 1.0, 1.0, np.arange(2.0))
    with pytest.raises(ValueError) as info:
        spread_to_slots(grid, np.zeros(1), np.zeros(1), min_share=value)
    assert str(info.value) == f"min_share must be a number in [0, 1], not {value!r}"

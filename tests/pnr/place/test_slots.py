import numpy as np
import pytest

from tapeout.pnr.place.slots import BLOCKED, FREE, build_slot_grid, random_assignment, slot_positions
from tapeout.pnr.place.synthetic import synthetic_problem


def test_grid_has_room_for_every_cell_and_blocks_the_macro():
    p = synthetic_problem(500, seed=3, n_macros=1)
    grid = build_slot_grid(p)
    assert grid.n_free_slots >= p.n_movable
    macro = np.flatnonzero(~p.movable & (p.width > 0))[0]
    centre_col = int((p.x[macro] + p.width[macro] / 2 - grid.x0) / grid.width)
    centre_row = int((p.y[macro] + p.height[macro] / 2 - grid.y0) / grid.row_height)
    assert grid.occupant[centre_row, centre_col] == BLOCKED
    ids = np.flatnonzero(p.movable)
    rows, cols = random_assignment(grid, ids, np.random.default_rng(0))
    assert len(set(zip(rows.tolist(), cols.tolist()))) == ids.shape[0]
    assert np.array_equal(grid.occupant[rows, cols], ids)
    assert np.count_nonzero(grid.occupant == FREE) == grid.n_free_slots - ids.shape[0]
    x, y = slot_positions(grid, p.width[ids], rows, cols)
    assert np.allclose(x + p.width[ids] / 2, grid.x0 + (cols + 0.5) * grid.width)
    assert np.allclose(y, grid.y0 + rows * p.row_height)


def test_too_many_cells_for_the_slots():
    p = synthetic_problem(50, seed=3)
    grid = build_slot_grid(p)
    many = np.arange(grid.n_free_slots + 1)
    with pytest.raises(ValueError, match=rf"^{many.size} movable cells do not fit on "
                                         rf"{grid.n_free_slots} free slots$"):
        random_assignment(grid, many, np.random.default_rng(0))

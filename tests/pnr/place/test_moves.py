import numpy as np

from tapeout.pnr.place.moves import apply_move, propose_move
from tapeout.pnr.place.slots import BLOCKED, FREE, build_slot_grid, random_assignment
from tapeout.pnr.place.synthetic import synthetic_problem
from tapeout.pnr.place.xorshift import new_state


def test_moves_stay_in_window_and_undo_restores_everything():
    p = synthetic_problem(300, seed=5, n_macros=1)
    rng = np.random.default_rng(0)
    grid = build_slot_grid(p)
    ids = np.flatnonzero(p.movable)
    row = np.zeros(p.n_cells, np.int64)
    col = np.zeros(p.n_cells, np.int64)
    row[ids], col[ids] = random_assignment(grid, ids, rng)
    xy = np.zeros((p.n_cells, 2))
    state = new_state(rng)
    cursor = np.array([-1])                      # random picks
    swaps = displacements = 0
    picked = set()
    for step in range(2000):
        if step == 1000:
            cursor[0] = 0                        # a sweep from here on
        a, b, r, c = propose_move(grid, row, col, ids, 2, 3, state, cursor)
        if step >= 1000:
            assert cursor[0] == (step - 999) % ids.shape[0]
        if a < 0:
            continue
        picked.add(a)
        assert abs(r - row[a]) <= 2 and abs(c - col[a]) <= 3
        assert grid.occupant[r, c] != BLOCKED
        before = (grid.occupant.copy(), row.copy(), col.copy())
        r0, c0 = row[a], col[a]
        apply_move(grid, row, col, p.width, xy, a, b, r, c)
        assert grid.occupant[r, c] == a and (row[a], col[a]) == (r, c)
        assert np.isclose(xy[a, 0] + p.width[a] / 2, grid.x0 + (c + 0.5) * grid.width)
        assert np.isclose(xy[a, 1], grid.y0 + r * grid.row_height)
        if b >= 0:
            swaps += 1
            assert (row[b], col[b]) == (r0, c0) and grid.occupant[r0, c0] == b
        else:
            displacements += 1
            assert grid.occupant[r0, c0] == FREE
        apply_move(grid, row, col, p.width, xy, a, b, r0, c0)
        assert np.array_equal(grid.occupant, before[0])
        assert np.array_equal(row, before[1]) and np.array_equal(col, before[2])
    assert swaps > 100 and displacements > 100
    assert set(ids[:600].tolist()) <= picked

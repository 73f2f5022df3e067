import numpy as np
import pytest

from tapeout.pnr.place.analytic import analytic_placement
from tapeout.pnr.place.cost import hpwl, net_cost_weights
from tapeout.pnr.place.slots import BLOCKED, build_slot_grid
from tapeout.pnr.place.synthetic import synthetic_problem


@pytest.fixture(scope="module")
def placed():
    p = synthetic_problem(1500, seed=21, n_macros=1)
    grid = build_slot_grid(p)
    result = analytic_placement(p, grid, net_cost_weights(p), np.random.default_rng(0))
    return p, grid, result


def test_spread_placement_is_on_distinct_free_slots(placed):
    p, grid, r = placed
    assert len(set(zip(r.rows.tolist(), r.cols.tolist()))) == p.n_movable
    assert np.all(grid.occupant[r.rows, r.cols] != BLOCKED)
    assert np.all(grid.occupant[grid.occupant != BLOCKED] == -1)   # grid left unchanged
    assert np.array_equal(r.x[~p.movable], p.x[~p.movable])


def test_bounds_converge_and_beat_random(placed):
    p, grid, r = placed
    assert r.lower_bound[-1] <= r.upper_bound[-1]
    assert r.upper_bound[-1] < 0.5 * r.upper_bound[0]
    gap = (r.upper_bound[-1] - r.lower_bound[-1]) / r.upper_bound[-1]
    assert gap <= 0.12 or len(r.upper_bound) == 20
    rng = np.random.default_rng(1)
    x, y = p.x.copy(), p.y.copy()
    x[p.movable] = rng.uniform(0, p.core[2], p.n_movable)
    y[p.movable] = rng.uniform(0, p.core[3], p.n_movable)
    assert hpwl(p, r.x, r.y) < 0.15 * hpwl(p, x, y)


def test_bad_iterations(placed):
    p, grid, _ = placed
    with pytest.raises(ValueError, match=r"^max_iterations must be a positive integer, not 0$"):
        analytic_placement(p, grid, net_cost_weights(p), np.random.default_rng(0),
                           max_iterations=0)


def test_spreading_uses_the_free_area_far_from_the_pins():
    # At 40 % utilisation the quadratic solution sits in the top half of the core; a
    # capacity-only spreading packs it there one cell per slot and leaves the bottom
    # empty. Every quadrant of the first two spreading cuts gets at least a quarter of
    # its area-proportional share of the cells.
    p = synthetic_problem(1500, seed=21, utilisation=0.4, n_macros=1)
    grid = build_slot_grid(p, fill=0.9)
    r = analytic_placement(p, grid, net_cost_weights(p), np.random.default_rng(0))
    n_rows, n_cols = grid.occupant.shape
    free = grid.occupant != BLOCKED
    for r0, r1 in ((0, n_rows // 2), (n_rows // 2, n_rows)):
        for c0, c1 in ((0, n_cols // 2), (n_cols // 2, n_cols)):
            cells = np.count_nonzero((r.rows >= r0) & (r.rows < r1) & (r.cols >= c0)
                                     & (r.cols < c1))
            share = p.n_movable * free[r0:r1, c0:c1].sum() / free.sum()
            assert cells >= 0.25 * share - 1

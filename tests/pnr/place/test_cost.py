import math

import numpy as np
import pytest

from tapeout.pnr.place.cost import (
    COST,
    XMAX,
    XMIN,
    YMAX,
    YMIN,
    cells_delta,
    commit,
    fill_boxes,
    full_cost,
    hpwl,
    move_delta,
    net_cost_weights,
    net_table,
    sync_pins,
)
from tapeout.pnr.place.synthetic import synthetic_problem


def _brute_hpwl(problem, x, y, weight):
    total = 0.0
    for n in range(problem.n_nets):
        pins = problem.net_pins[problem.net_ptr[n]:problem.net_ptr[n + 1]]
        px = x[problem.pin_cell[pins]] + problem.pin_dx[pins]
        py = y[problem.pin_cell[pins]] + problem.pin_dy[pins]
        total += weight[n] * (px.max() - px.min() + py.max() - py.min())
    return total


@pytest.fixture(scope="module")
def problem():
    return synthetic_problem(200, seed=4, n_macros=1)


def test_hpwl_matches_brute_force(problem):
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 50, problem.n_cells)
    y = rng.uniform(0, 50, problem.n_cells)
    ones = np.ones(problem.n_nets)
    assert math.isclose(hpwl(problem, x, y), _brute_hpwl(problem, x, y, ones), rel_tol=1e-12)
    used = (~problem.net_ignored).astype(float)
    assert math.isclose(hpwl(problem, x, y, include_ignored=False),
                        _brute_hpwl(problem, x, y, used), rel_tol=1e-12)
    table = net_table(problem, net_cost_weights(problem))
    xy = np.stack([x, y], axis=1)
    assert math.isclose(full_cost(table, xy), _brute_hpwl(problem, x, y, used), rel_tol=1e-12)
    assert math.isclose(fill_boxes(table, xy), full_cost(table, xy), rel_tol=1e-12)


def test_incremental_equals_full_recompute_after_random_moves(problem):
    rng = np.random.default_rng(1)
    weight = net_cost_weights(problem)
    table = net_table(problem, weight, cells_per_move=3)
    xy = rng.uniform(0, 60, (problem.n_cells, 2))
    running = fill_boxes(table, xy)
    movable = np.flatnonzero(problem.movable)
    cells = np.zeros(3, np.int64)
    for step in range(3000):
        kind = step % 3
        a, b = rng.choice(movable, 2, replace=False)
        before = xy.copy()
        if kind == 0:      # displace one cell
            xy[a] = rng.uniform(0, 60, 2)
            delta = move_delta(table, xy, a, -1)
        elif kind == 1:    # swap two cells
            xy[[a, b]] = xy[[b, a]]
            delta = move_delta(table, xy, a, b)
        else:              # move three cells at once
            cells[:] = rng.choice(movable, 3, replace=False)
            xy[cells] += rng.normal(0, 3, (3, 2))
            delta = cells_delta(table, xy, cells, 3)
        if rng.random() < 0.5:
            commit(table)
            running += delta
        else:
            xy[:] = before
            for c in (a, b) if kind < 2 else cells:
                sync_pins(table, xy, c)
        assert math.isclose(running, full_cost(table, xy), rel_tol=1e-9, abs_tol=1e-6), step
    cached = table.net[:, [XMIN, XMAX, YMIN, YMAX, COST]].copy()
    used = table.net[:, 5] > 0
    cached_pins = table.pin_xy[used[problem.pin_net]].copy()
    fill_boxes(table, xy)
    assert np.array_equal(cached, table.net[:, [XMIN, XMAX, YMIN, YMAX, COST]])
    assert np.array_equal(cached_pins, table.pin_xy[used[problem.pin_net]])


def test_swap_of_cells_sharing_a_net_counts_the_net_once():
    p = synthetic_problem(50, seed=2)
    table = net_table(p, net_cost_weights(p))
    xy = np.stack([np.arange(p.n_cells) * 3.0, np.zeros(p.n_cells)], axis=1)
    fill_boxes(table, xy)
    net = int(np.flatnonzero(p.fanout[: p.n_nets] == 2)[0])
    a, b = p.pin_cell[p.net_pins[p.net_ptr[net]:p.net_ptr[net + 1]]]
    xy[[a, b]] = xy[[b, a]]
    delta = move_delta(table, xy, a, b)
    touched = table.touched[:table.n_touched[0]]
    assert len(set(touched.tolist())) == touched.shape[0]
    assert math.isclose(delta, full_cost(table, xy) - table.net[:, COST].sum(), abs_tol=1e-9)


def test_timing_term_weights_critical_nets(problem):
    criticality = np.zeros(problem.n_nets)
    criticality[0] = 1.0
    criticality[1] = 0.5
    weight = net_cost_weights(problem, criticality, timing_weight=4.0, exponent=2.0)
    assert weight[0] == 5.0 and weight[1] == 2.0 and weight[2] == 1.0
    assert np.all(weight[problem.net_ignored] == 0.0)
    with pytest.raises(ValueError, match=r"^criticality must lie in \[0, 1\]$"):
        net_cost_weights(problem, criticality + 2)
    with pytest.raises(ValueError, match=r"^criticality must have shape \(\d+,\), not \(3,\)$"):
        net_cost_weights(problem, np.zeros(3))

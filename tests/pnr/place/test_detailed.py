import dataclasses

import numpy as np
import pytest

from tapeout.pnr.place.cost import hpwl
from tapeout.pnr.place.detailed import detailed_placement
from tapeout.pnr.place.known_optimum import known_optimum_problem
from tapeout.pnr.place.legality import check_legality
from tapeout.pnr.place.legalize import legalize
from tapeout.pnr.place.synthetic import synthetic_problem


def test_lowers_hpwl_and_keeps_legality():
    p = synthetic_problem(400, seed=12, n_macros=1, halo=0.5)
    rng = np.random.default_rng(3)
    x, y = p.x.copy(), p.y.copy()
    x[p.movable] = rng.uniform(0, p.core[2], p.n_movable)
    y[p.movable] = rng.uniform(0, p.core[3], p.n_movable)
    lx, ly = legalize(p, x, y)
    dx, dy = detailed_placement(p, lx, ly, passes=2)
    assert check_legality(p, dx, dy) == []
    assert not np.array_equal(dy, ly)            # global moves change rows
    before = hpwl(p, lx, ly, include_ignored=False)
    after = hpwl(p, dx, dy, include_ignored=False)
    assert after < 0.9 * before
    more_x, more_y = detailed_placement(p, dx, dy, passes=1)
    assert hpwl(p, more_x, more_y, include_ignored=False) <= after + 1e-9
    same_x, _ = detailed_placement(p, lx, ly, passes=0)
    assert np.array_equal(same_x, lx)


def test_bad_passes():
    p = synthetic_problem(20, seed=1)
    with pytest.raises(ValueError, match=r"^passes must be a non-negative integer, not -1$"):
        detailed_placement(p, p.x, p.y, passes=-1)


def test_global_swap_undoes_a_swap_in_a_full_core():
    """At 0 % whitespace only swaps can move cells: two cells traded across the block come back."""
    ko = known_optimum_problem(120, whitespace=0.0, seed=2)
    p, x, y = ko.problem, ko.x.copy(), ko.y.copy()
    assert hpwl(p, x, y) == pytest.approx(ko.optimal_hpwl)
    a, b = 5, 100
    x[[a, b]], y[[a, b]] = x[[b, a]], y[[b, a]]
    assert hpwl(p, x, y) > ko.optimal_hpwl + 1
    dx, dy = detailed_placement(p, x, y, passes=1)
    assert check_legality(p, dx, dy) == []
    assert hpwl(p, dx, dy) == pytest.approx(ko.optimal_hpwl)


def test_multi_row_cells_stay_put():
    p = synthetic_problem(200, seed=4, utilisation=0.5)
    height, width = p.height.copy(), p.width.copy()
    height[[0, 1]], width[[0, 1]] = 3 * p.row_height, 4.6
    p = dataclasses.replace(p, height=height, width=width)
    rng = np.random.default_rng(1)
    x, y = p.x.copy(), p.y.copy()
    x[p.movable], y[p.movable] = rng.uniform(0, p.core[2], p.n_movable), rng.uniform(0, p.core[3], p.n_movable)
    lx, ly = legalize(p, x, y)
    dx, dy = detailed_placement(p, lx, ly, passes=2)
    assert check_legality(p, dx, dy) == []
    assert np.array_equal(dx[[0, 1]], lx[[0, 1]]) and np.array_equal(dy[[0, 1]], ly[[0, 1]])
    assert hpwl(p, dx, dy) < hpwl(p, lx, ly)

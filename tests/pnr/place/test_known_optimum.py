import itertools

import numpy as np
import pytest

from tapeout.pnr.place.cost import hpwl
from tapeout.pnr.place.known_optimum import box_shape, known_optimum_problem, net_lower_bound
from tapeout.pnr.place.legality import check_legality

W, H = 1.84, 2.72


def _least_hpwl_on_a_grid(k, cols, rows, step, width):
    """Brute force: least HPWL of k cells of ``width`` placed without overlap at x = multiples of
    ``step`` in ``cols`` steps, on ``rows`` rows of height H, pins at the cell centres."""
    spots = [(c * step, r) for r in range(rows) for c in range(cols) if c * step + width <= cols * step]
    best = np.inf
    for choice in itertools.combinations(spots, k):
        by_row = {}
        for x, r in choice:
            by_row.setdefault(r, []).append(x)
        if any(b - a < width - 1e-9 for xs in by_row.values() for a, b in zip(sorted(xs), sorted(xs)[1:])):
            continue
        xs = [x for x, _ in choice]
        ys = [r * H for _, r in choice]
        best = min(best, max(xs) - min(xs) + max(ys) - min(ys))
    return best


@pytest.mark.parametrize("k", [2, 3, 4, 5, 6])
def test_lower_bound_is_the_least_hpwl_on_the_cell_grid(k):
    assert _least_hpwl_on_a_grid(k, 4, 4, W, W) == pytest.approx(net_lower_bound(k, W, H))


@pytest.mark.parametrize("k", [2, 3, 4])
def test_lower_bound_holds_at_site_offsets_too(k):
    """Cells may sit on any site (a quarter of their width here), not only on a cell grid."""
    assert _least_hpwl_on_a_grid(k, 14, 3, W / 4, W) == pytest.approx(net_lower_bound(k, W, H))


def test_box_shapes():
    assert box_shape(2, W, H) == (2, 1) and box_shape(2, 3.0, 2.0) == (1, 2)
    assert box_shape(4, W, H) == (2, 2) and box_shape(7, W, H) == (4, 2)  # 3 W + H < 2 W + 2 H


@pytest.mark.parametrize("whitespace", [0.0, 0.2])
def test_generated_placement_is_legal_and_meets_every_bound(whitespace):
    ko = known_optimum_problem(900, whitespace=whitespace, seed=4)
    p = ko.problem
    assert check_legality(p, ko.x, ko.y) == []
    bounds = sum(net_lower_bound(int(k), p.width[0], p.row_height) for k in p.fanout)
    assert hpwl(p, ko.x, ko.y) == pytest.approx(bounds) == pytest.approx(ko.optimal_hpwl)
    free = 1 - p.width.sum() * p.row_height / ((p.core[2] - p.core[0]) * (p.core[3] - p.core[1]))
    assert free == pytest.approx(whitespace, abs=0.03)
    assert p.n_cells == pytest.approx(900, rel=0.05) and p.n_nets > 0.9 * p.n_cells
    assert np.all(p.movable) and np.all(p.x == p.x[0])  # nothing is given away by the start
    again = known_optimum_problem(900, whitespace=whitespace, seed=4)
    assert np.array_equal(again.problem.pin_cell, p.pin_cell)
    assert not np.array_equal(known_optimum_problem(900, whitespace=whitespace, seed=5).problem.pin_cell, p.pin_cell)


def test_bad_arguments():
    with pytest.raises(ValueError, match="whitespace must be a number in \\[0, 1\\), not 1"):
        known_optimum_problem(100, whitespace=1)
    with pytest.raises(ValueError, match="n_cells must be an integer of at least 4, not 2"):
        known_optimum_problem(2)

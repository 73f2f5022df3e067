import numpy as np

from tapeout.pnr.place.cost import hpwl, net_cost_weights
from tapeout.pnr.place.known_optimum import known_optimum_problem
from tapeout.pnr.place.spectral import anchored, spectral_placement
from tapeout.pnr.place.synthetic import synthetic_problem


def test_unanchored_netlist_unfolds():
    ko = known_optimum_problem(2000, whitespace=0.2, seed=1)
    p = ko.problem
    weight = net_cost_weights(p)
    assert not anchored(p, weight)
    x, y = spectral_placement(p, weight, 0.9)
    ids = np.flatnonzero(p.movable)
    # Spread over a square of the cells' area at the target density (uniform by rank: std side / sqrt(12)) ...
    side = np.sqrt(p.width[ids].sum() * p.row_height / 0.9)
    assert 0.8 * side / np.sqrt(12) < np.std(x[ids]) < 1.05 * side / np.sqrt(12)
    assert 0.8 * side / np.sqrt(12) < np.std(y[ids]) < 1.05 * side / np.sqrt(12)
    # ... with connected cells near each other.
    rng = np.random.default_rng(0)
    rx, ry = rng.permutation(x[ids]), rng.permutation(y[ids])
    assert hpwl(p, x, y) < 0.2 * hpwl(p, rx, ry)
    assert np.all((x[ids] >= p.core[0]) & (x[ids] + p.width[ids] <= p.core[2]))
    again = spectral_placement(p, weight, 0.9)
    assert np.array_equal(again[0], x)


def test_io_pins_anchor_a_netlist():
    p = synthetic_problem(200, seed=1)
    assert anchored(p, net_cost_weights(p))

import numpy as np
import pytest

from tapeout.pnr.place import eplace
from tapeout.pnr.place.analytic import quadratic_placement
from tapeout.pnr.place.cost import hpwl, net_cost_weights
from tapeout.pnr.place.density import density_map
from tapeout.pnr.place.eplace import global_place
from tapeout.pnr.place.synthetic import synthetic_problem


@pytest.fixture(scope="module")
def setup():
    p = synthetic_problem(1500, seed=2, n_macros=2, halo=1.0, utilisation=0.5)
    weight = net_cost_weights(p)
    return p, weight, quadratic_placement(p, weight, np.random.default_rng(1))


def test_spreads_to_the_target_density_and_keeps_wirelength_low(setup):
    p, weight, start = setup
    result = global_place(p, weight, target_density=0.7, seed=3, start=start)
    assert result.overflow <= 0.1 and 30 <= result.iterations < 1500
    assert len(result.state["fillers"][0]) > 0  # utilisation 0.5 below the target 0.7: fillers take the rest
    assert np.array_equal(result.x[~p.movable], p.x[~p.movable])
    ids = np.flatnonzero(p.movable)
    assert np.all(result.x[ids] >= p.core[0] - 1e-9) and np.all(result.x[ids] + p.width[ids] <= p.core[2] + 1e-9)
    _, density = density_map(p, result.x, result.y)
    assert np.nanmax(density) <= 0.7 + 0.15
    rng = np.random.default_rng(0)
    x, y = p.x.copy(), p.y.copy()
    x[ids], y[ids] = rng.uniform(0, p.core[2], ids.size), rng.uniform(0, p.core[3], ids.size)
    assert hpwl(p, result.x, result.y) < 0.3 * hpwl(p, x, y)
    iterations, lengths, overflows, weights = zip(*result.trace)
    assert overflows[0] > 0.5 and weights[-1] > weights[0]
    again = global_place(p, weight, target_density=0.7, seed=3, start=start)
    assert np.array_equal(again.x, result.x)


def test_inflated_cells_take_more_room(setup):
    p, weight, start = setup
    plain = global_place(p, weight, target_density=0.7, seed=3, start=start)
    ids = np.flatnonzero(p.movable)
    inflate = np.ones(p.n_cells)
    inflate[ids[: ids.size // 4]] = 2.5
    grown = global_place(p, weight, target_density=0.9, seed=3, start=(plain.x, plain.y), inflation=inflate)

    def spread_of(result, cells):
        return np.std(result.x[cells]) * np.std(result.y[cells])
    assert grown.overflow <= 0.1
    assert spread_of(grown, ids[: ids.size // 4]) > spread_of(plain, ids[: ids.size // 4])


def test_divergence_keeps_the_least_overflow(setup, monkeypatch):
    p, weight, start = setup
    monkeypatch.setattr(eplace, "DIVERGENCE", 1.0001)  # any wirelength growth late on counts as divergence
    result = global_place(p, weight, target_density=0.7, seed=3, start=start, target_overflow=0.01)
    late = [o for _, _, o, _ in result.trace]
    assert result.overflow == pytest.approx(min(late)) and result.overflow > 0.01


def test_bad_target_density(setup):
    p, weight, _ = setup
    with pytest.raises(ValueError, match=r"target_density must be a number in \(0, 1\], not 1.2"):
        global_place(p, weight, target_density=1.2)


def net_spans(p, x, y, nets):
    """HPWL (um) of each of ``nets``."""
    px, py = x[p.pin_cell] + p.pin_dx, y[p.pin_cell] + p.pin_dy
    spans = []
    for n in nets:
        pins = p.net_pins[p.net_ptr[n]:p.net_ptr[n + 1]]
        spans.append(np.ptp(px[pins]) + np.ptp(py[pins]))
    return np.array(spans)


def test_reweight_at_each_overflow_checkpoint_pulls_heavy_nets_in(setup):
    p, weight, start = setup
    heavy = np.flatnonzero(weight > 0)[::10]
    overflows = []

    def reweight(x, y):
        assert np.array_equal(x[~p.movable], p.x[~p.movable])  # every cell's corner
        overflows.append(len(overflows))
        heavier = weight.copy()
        heavier[heavy] *= 4.0
        return heavier
    timed = global_place(p, weight, target_density=0.7, seed=3, start=start, reweight=reweight,
                         reweight_overflows=(0.3, 0.6))
    plain = global_place(p, weight, target_density=0.7, seed=3, start=start)
    assert len(overflows) == 2 and timed.overflow <= 0.1
    seen = [o for _, _, o, _ in timed.trace]
    assert seen[0] > 0.6  # both checkpoints were crossed during the run
    assert timed.state["weight"][heavy] == pytest.approx(4.0 * weight[heavy])
    assert net_spans(p, timed.x, timed.y, heavy).sum() < 0.9 * net_spans(p, plain.x, plain.y, heavy).sum()
    with pytest.raises(ValueError, match="reweight must return .* positive exactly where the nets' weights are"):
        global_place(p, weight, target_density=0.7, seed=3, start=start, reweight=lambda x, y: weight * 0,
                     reweight_overflows=(0.9,))

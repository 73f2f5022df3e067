import numpy as np
import pytest

from tapeout.pnr.place.cost import hpwl, net_cost_weights
from tapeout.pnr.place.synthetic import synthetic_problem
from tapeout.pnr.place.wirelength import pin_nets, wa_wirelength


@pytest.fixture(scope="module")
def placed():
    p = synthetic_problem(300, seed=1)
    rng = np.random.default_rng(0)
    cx = p.x + 0.5 * p.width
    cy = p.y + 0.5 * p.height
    cx[p.movable] = rng.uniform(0, p.core[2], p.n_movable)
    cy[p.movable] = rng.uniform(0, p.core[3], p.n_movable)
    return p, net_cost_weights(p), cx, cy


def test_wa_is_below_hpwl_and_tends_to_it(placed):
    p, weight, cx, cy = placed
    nets = pin_nets(p, weight)
    exact = hpwl(p, cx - 0.5 * p.width, cy - 0.5 * p.height, include_ignored=False)
    lengths = [wa_wirelength(nets, cx, cy, gamma)[0] for gamma in (50.0, 5.0, 0.05)]
    assert lengths[0] < lengths[1] < lengths[2] <= exact + 1e-6
    assert lengths[2] == pytest.approx(exact, rel=1e-3)
    assert wa_wirelength(nets, cx, cy, 5.0)[1] == pytest.approx(exact)


def test_gradient_matches_finite_differences(placed):
    p, weight, cx, cy = placed
    nets = pin_nets(p, weight)
    _, _, gx, gy = wa_wirelength(nets, cx, cy, 2.0)
    for cell in np.flatnonzero(p.movable)[:15]:
        for coords, grad, axis in ((cx, gx, 0), (cy, gy, 1)):
            step = np.zeros_like(coords)
            step[cell] = 1e-5
            plus = wa_wirelength(nets, *((coords + step, cy) if axis == 0 else (cx, coords + step)), 2.0)[0]
            minus = wa_wirelength(nets, *((coords - step, cy) if axis == 0 else (cx, coords - step)), 2.0)[0]
            assert grad[cell] == pytest.approx((plus - minus) / 2e-5, abs=1e-5)


def test_pin_nets_leave_out_ignored_and_single_pin_nets(placed):
    p, weight, _, _ = placed
    nets = pin_nets(p, weight)
    counted = (weight > 0) & (p.fanout >= 2)
    assert nets.n_nets == int(counted.sum()) and nets.cell.shape[0] == int(p.fanout[counted].sum())
    with pytest.raises(ValueError, match="gamma must be a positive number, not 0"):
        wa_wirelength(nets, placed[2], placed[3], 0)

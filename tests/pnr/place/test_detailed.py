import numpy as np
import pytest

from tapeout.pnr.place.cost import hpwl
from tapeout.pnr.place.detailed import detailed_placement
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

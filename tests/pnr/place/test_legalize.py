import dataclasses

import numpy as np
import pytest

from tapeout.pnr.errors import PlacementError
from tapeout.pnr.place.legality import check_legality
from tapeout.pnr.place.legalize import legalize
from tapeout.pnr.place.synthetic import synthetic_problem


@pytest.mark.parametrize("utilisation, macros", [(0.5, 2), (0.9, 2), (0.98, 0)])
def test_random_placement_legalises_with_zero_violations(utilisation, macros):
    p = synthetic_problem(400, seed=6, n_macros=macros, halo=0.5, utilisation=utilisation)
    rng = np.random.default_rng(1)
    x, y = p.x.copy(), p.y.copy()
    x[p.movable] = rng.uniform(-5, p.core[2] + 5, p.n_movable)
    y[p.movable] = rng.uniform(-5, p.core[3] + 5, p.n_movable)
    lx, ly = legalize(p, x, y)
    assert check_legality(p, lx, ly) == []
    fixed = ~p.movable
    assert np.array_equal(lx[fixed], p.x[fixed]) and np.array_equal(ly[fixed], p.y[fixed])


def test_legal_input_is_kept_and_small_moves_are_small():
    p = synthetic_problem(300, seed=6)
    rng = np.random.default_rng(2)
    x, y = p.x.copy(), p.y.copy()
    x[p.movable] = rng.uniform(0, p.core[2], p.n_movable)
    y[p.movable] = rng.uniform(0, p.core[3], p.n_movable)
    lx, ly = legalize(p, x, y)
    again_x, again_y = legalize(p, lx, ly)
    assert np.allclose(again_x, lx) and np.allclose(again_y, ly)
    shift = np.abs(lx - x)[p.movable] + np.abs(ly - y)[p.movable]
    assert np.median(shift) < 3 * p.row_height


def test_too_full_core_raises_a_clear_error():
    p = synthetic_problem(200, seed=6)
    full = dataclasses.replace(p, core=(0.0, 0.0, p.core[2] * 0.65, p.core[3]))
    need = np.sum(np.ceil(p.width[p.movable] / 0.46 - 1e-9)) * 0.46
    have = full.n_rows * np.floor(full.core[2] / 0.46 + 1e-9) * 0.46
    with pytest.raises(PlacementError) as info:
        legalize(full, p.x, p.y)
    assert str(info.value) == (
        f"the movable cells need {need:.6g} um of row length but the core rows offer only "
        f"{have:.6g} um (utilisation {need / have:.3f} > 1): enlarge the core or lower the "
        f"utilisation")


def test_multi_row_movable_cell_is_refused():
    p = synthetic_problem(50, seed=6)
    height = p.height.copy()
    height[3] = 2 * p.row_height
    with pytest.raises(PlacementError, match=r"^movable cell c3 is 5.44 um tall, more than the "
                                         r"2.72 um row height \(multi-row cells cannot be "
                                         r"legalised\)$"):
        legalize(dataclasses.replace(p, height=height), p.x, p.y)

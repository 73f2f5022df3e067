import dataclasses

import numpy as np
import pytest

from tapeout.pnr.errors import PlacementError
from tapeout.pnr.place.legality import check_legality
from tapeout.pnr.place.legalize import displacement, legalize
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


def _gapped(p):
    """``p`` with every fourth row missing and the top rows shortened on the right."""
    n_rows = p.n_rows
    rows = [(p.core[1] + r * p.row_height, p.core[0], p.core[2] - (5.0 if r > n_rows // 2 else 0.0))
            for r in range(n_rows) if r % 4 != 3]
    return dataclasses.replace(p, rows=np.array(rows))


def test_rows_with_gaps_and_multi_row_cells_legalise():
    p = _gapped(synthetic_problem(300, seed=6, utilisation=0.5))
    height, width = p.height.copy(), p.width.copy()
    height[[3, 10, 11]] = [2 * p.row_height, 3 * p.row_height, 2 * p.row_height]
    width[[3, 10, 11]] = [4.6, 9.2, 2.3]
    p = dataclasses.replace(p, height=height, width=width)
    rng = np.random.default_rng(4)
    x, y = p.x.copy(), p.y.copy()
    x[p.movable] = rng.uniform(0, p.core[2], p.n_movable)
    y[p.movable] = rng.uniform(0, p.core[3], p.n_movable)
    lx, ly = legalize(p, x, y)
    assert check_legality(p, lx, ly) == []
    row_y = set(np.round(p.rows[:, 0], 6))
    for c in (3, 10, 11):  # every row a multi-row cell covers exists
        assert all(round(ly[c] + k * p.row_height, 6) in row_y for k in range(int(round(height[c] / p.row_height))))
    assert not set(np.round(ly[p.movable], 6)) - row_y
    mean, worst = displacement(p, x, y, lx, ly)
    assert 0 < mean < worst < 10


def test_checker_sees_cells_in_a_row_gap_or_past_a_row_end():
    p = _gapped(synthetic_problem(100, seed=6, utilisation=0.4))
    lx, ly = legalize(p, p.x, p.y)
    c = np.flatnonzero(p.movable)[0]
    gap_y = ly.copy()
    gap_y[c] = p.core[1] + 3 * p.row_height
    assert [v.kind for v in check_legality(p, lx, gap_y) if c in [p.cell_names.index(n) for n in v.cells]] \
        == ["off_row"]
    end_x, end_y = lx.copy(), ly.copy()
    end_x[c], end_y[c] = p.core[2] - 4 * p.site_width, p.core[1] + (p.n_rows // 2 + 3) * p.row_height
    kinds = [v.kind for v in check_legality(p, end_x, end_y) if p.cell_names[c] in v.cells]
    assert "outside_rows" in kinds


def test_multi_row_cell_without_room_is_refused():
    p = synthetic_problem(50, seed=6)
    height = p.height.copy()
    height[3] = p.core[3] + p.row_height
    with pytest.raises(PlacementError, match=r"^no free room of \d+ rows x \d+ sites left for multi-row cell c3: "
                                             r"enlarge the core or lower the utilisation$"):
        legalize(dataclasses.replace(p, height=height), p.x, p.y)

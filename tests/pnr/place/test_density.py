import numpy as np
import pytest

from tapeout.pnr.floorplan.rows import row_segments
from tapeout.pnr.place.density import (
    BinGrid,
    density_map,
    free_area,
    gather,
    make_bin_grid,
    overflow,
    smoothed,
    spread,
)
from tapeout.pnr.place.legalize import legalize
from tapeout.pnr.place.synthetic import synthetic_problem


def test_bin_grid_is_about_one_bin_per_object_and_nearly_square():
    grid = make_bin_grid((0.0, 0.0, 200.0, 100.0), 5000)
    assert (grid.nx, grid.ny) == (128, 64) and grid.bin_w == pytest.approx(grid.bin_h)
    assert make_bin_grid((0.0, 0.0, 10.0, 10.0), 3).nx == 16  # at least MIN_BINS


def test_spread_keeps_area_inside_the_core_and_gather_is_its_adjoint():
    grid = BinGrid(0.0, 0.0, 8, 4, 2.5, 3.0)
    cx, cy = np.array([3.0, 19.0, 10.0]), np.array([4.0, 11.0, 6.0])
    w, h = np.array([2.0, 4.0, 1.0]), np.array([3.0, 2.0, 1.0])
    area = spread(grid, cx, cy, w, h)
    # The second rectangle sticks out of the core's right edge by 1 um of its 4.
    assert area.sum() == pytest.approx(6.0 + 3 * 2.0 + 1.0)
    rng = np.random.default_rng(1)
    field_x, field_y = rng.normal(size=(8, 4)), rng.normal(size=(8, 4))
    scale = np.array([0.5, 1.0, 2.0])
    gx, gy = gather(grid, cx, cy, w, h, scale, field_x, field_y)
    for k in range(3):
        one = spread(grid, cx[k:k + 1], cy[k:k + 1], w[k:k + 1], h[k:k + 1], scale[k:k + 1])
        assert gx[k] == pytest.approx(np.sum(one * field_x)) and gy[k] == pytest.approx(np.sum(one * field_y))


def test_smoothing_stretches_small_cells_and_keeps_their_area():
    grid = BinGrid(0.0, 0.0, 10, 10, 2.0, 2.0)
    w, h = np.array([1.0, 5.0]), np.array([1.0, 5.0])
    sw, sh, scale = smoothed(grid, w, h)
    assert sw[0] == pytest.approx(2 * np.sqrt(2)) and sw[1] == 5.0 and scale[1] == 1.0
    assert np.allclose(sw * sh * scale, w * h)


def test_overflow_counts_area_above_the_target():
    cells = np.array([[4.0, 1.0], [0.0, 2.0]])
    free = np.full((2, 2), 4.0)
    assert overflow(cells, free, 0.5, 7.0) == pytest.approx((2.0 + 0.0) / 7.0)
    assert overflow(cells, free, 1.0, 7.0) == 0.0


def test_free_area_and_density_map_of_a_legal_placement():
    p = synthetic_problem(600, seed=3, n_macros=1, utilisation=0.6)
    segments = row_segments(p)
    grid = make_bin_grid(p.core, 100)
    assert free_area(grid, segments, p.row_height).sum() == pytest.approx(segments.capacity * p.row_height)
    rng = np.random.default_rng(2)
    x, y = p.x.copy(), p.y.copy()
    x[p.movable], y[p.movable] = rng.uniform(0, p.core[2], p.n_movable), rng.uniform(0, p.core[3], p.n_movable)
    lx, ly = legalize(p, x, y)
    grid, density = density_map(p, lx, ly)
    assert grid.nx * grid.bin_w == pytest.approx(p.core[2] - p.core[0])
    assert np.nanmax(density) <= 1.0 + 1e-9 and 0.3 < np.nanmean(density) < 0.9

"""Bin grid and density maps of the electrostatic global placer.

The core is cut into ``nx`` x ``ny`` bins. A rectangle (a cell, a filler, a free row segment)
adds its overlap area with each bin to that bin; the density of a bin is the area in it over
the bin's area. Cells smaller than a bin are stretched to ``sqrt(2)`` bins in that direction and
their charge scaled down to keep their area (ePlace's local smoothing), so that a cell's charge
changes smoothly as it crosses bin boundaries. `gather` is the adjoint of `spread`: the sum,
over the bins a rectangle overlaps, of the overlap times a per-bin value (the field), which is
the density-penalty gradient of each cell.

Lengths in um, areas in um^2; maps are indexed ``[ix, iy]``.
"""

import math
from typing import NamedTuple

import numpy as np
from numba import njit

from tapeout.pnr.floorplan.rows import row_segments

__all__ = ["BinGrid", "make_bin_grid", "spread", "gather", "smoothed", "free_area", "overflow",
           "bin_density", "density_map"]

MIN_BINS = 16     # bins per side at least
MAX_BINS = 1024   # and at most
DENSITY_BIN_ROWS = 10  # side of the bins of `density_map`, in row heights


class BinGrid(NamedTuple):
    """A grid of equal bins over the core: lower-left corner, counts, bin size (um)."""

    x0: float
    y0: float
    nx: int
    ny: int
    bin_w: float
    bin_h: float

    @property
    def bin_area(self):
        return self.bin_w * self.bin_h


def _power_of_two(value):
    return int(2 ** max(round(math.log2(max(value, 1.0))), 0))


def make_bin_grid(core, n_objects):
    """Bins over ``core`` (x0, y0, x1, y1), about one per object, nearly square, powers of two per side."""
    x0, y0, x1, y1 = core
    width, height = x1 - x0, y1 - y0
    side = math.sqrt(max(n_objects, 1))
    nx = min(max(_power_of_two(side * math.sqrt(width / height)), MIN_BINS), MAX_BINS)
    ny = min(max(_power_of_two(side * math.sqrt(height / width)), MIN_BINS), MAX_BINS)
    return BinGrid(float(x0), float(y0), nx, ny, width / nx, height / ny)


@njit(cache=True)
def _bin_range(lo, hi, origin, size, n):
    """First and last bin (clipped to 0 .. n - 1) that the interval [lo, hi] touches."""
    return max(int(math.floor((lo - origin) / size)), 0), min(int(math.floor((hi - origin) / size)), n - 1)


@njit(cache=True)
def _overlap(lo, hi, origin, size, b):
    """Length of [lo, hi] inside bin ``b`` (may be <= 0 when it misses)."""
    return min(hi, origin + (b + 1) * size) - max(lo, origin + b * size)


@njit(cache=True)
def _spread(cx, cy, w, h, scale, x0, y0, bw, bh, nx, ny, out):
    for i in range(cx.shape[0]):
        xl, xh, yl, yh = cx[i] - 0.5 * w[i], cx[i] + 0.5 * w[i], cy[i] - 0.5 * h[i], cy[i] + 0.5 * h[i]
        bx0, bx1 = _bin_range(xl, xh, x0, bw, nx)
        by0, by1 = _bin_range(yl, yh, y0, bh, ny)
        for bx in range(bx0, bx1 + 1):
            ox = _overlap(xl, xh, x0, bw, bx)
            for by in range(by0, by1 + 1):
                oy = _overlap(yl, yh, y0, bh, by)
                if ox > 0.0 and oy > 0.0:
                    out[bx, by] += ox * oy * scale[i]


@njit(cache=True)
def _gather(cx, cy, w, h, scale, x0, y0, bw, bh, nx, ny, fx, fy, gx, gy):
    for i in range(cx.shape[0]):
        xl, xh, yl, yh = cx[i] - 0.5 * w[i], cx[i] + 0.5 * w[i], cy[i] - 0.5 * h[i], cy[i] + 0.5 * h[i]
        sx = 0.0
        sy = 0.0
        bx0, bx1 = _bin_range(xl, xh, x0, bw, nx)
        by0, by1 = _bin_range(yl, yh, y0, bh, ny)
        for bx in range(bx0, bx1 + 1):
            ox = max(_overlap(xl, xh, x0, bw, bx), 0.0)
            for by in range(by0, by1 + 1):
                area = ox * max(_overlap(yl, yh, y0, bh, by), 0.0)
                sx += area * fx[bx, by]
                sy += area * fy[bx, by]
        gx[i] = sx * scale[i]
        gy[i] = sy * scale[i]


def _f64(a):
    return np.ascontiguousarray(a, dtype=np.float64)


def spread(grid, cx, cy, w, h, scale=None, out=None):
    """Area (um^2, times ``scale``) of rectangles centred at ``(cx, cy)`` of size ``w`` x ``h`` in
    each bin; added to ``out`` when given. Returns the (nx, ny) map."""
    out = np.zeros((grid.nx, grid.ny)) if out is None else out
    scale = np.ones(len(cx)) if scale is None else scale
    _spread(_f64(cx), _f64(cy), _f64(w), _f64(h), _f64(scale), grid.x0, grid.y0, grid.bin_w,
            grid.bin_h, grid.nx, grid.ny, out)
    return out


def gather(grid, cx, cy, w, h, scale, field_x, field_y):
    """Per rectangle, the sum over bins of overlap area (um^2) times ``scale`` times the field."""
    gx = np.empty(len(cx))
    gy = np.empty(len(cx))
    _gather(_f64(cx), _f64(cy), _f64(w), _f64(h), _f64(scale), grid.x0, grid.y0, grid.bin_w,
            grid.bin_h, grid.nx, grid.ny, _f64(field_x), _f64(field_y), gx, gy)
    return gx, gy


def smoothed(grid, w, h):
    """Local smoothing: sizes stretched to at least ``sqrt(2)`` bins and the scale that keeps each
    rectangle's area (1 for rectangles already that large)."""
    sw = np.maximum(w, math.sqrt(2.0) * grid.bin_w)
    sh = np.maximum(h, math.sqrt(2.0) * grid.bin_h)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(sw * sh > 0, w * h / (sw * sh), 0.0)
    return sw, sh, scale


def free_area(grid, segments, row_height):
    """Area (um^2) of free row segments in each bin (`tapeout.pnr.floorplan.rows.RowSegments`)."""
    y = segments.y[segments.row]
    return spread(grid, 0.5 * (segments.x0 + segments.x1), y + 0.5 * row_height,
                  segments.x1 - segments.x0, np.full(y.shape[0], row_height))


def overflow(cell_area_map, free_map, target_density, movable_area):
    """ePlace's overflow: cell area above ``target_density`` times the free area, summed over
    bins, over the movable area (0: no bin over target)."""
    excess = np.maximum(cell_area_map - target_density * free_map, 0.0)
    return float(excess.sum() / movable_area) if movable_area > 0 else 0.0


def bin_density(cell_area_map, free_map, min_free_fraction, bin_area):
    """Cell area over free area per bin; NaN where less than ``min_free_fraction`` of the bin is free."""
    with np.errstate(divide="ignore", invalid="ignore"):
        density = cell_area_map / free_map
    density[free_map < min_free_fraction * bin_area] = np.nan
    return density


def density_map(problem, x, y, bin_rows=DENSITY_BIN_ROWS):
    """Movable-cell area over free area in square bins of ``bin_rows`` row heights (the last
    bins of a row or column take the remainder), with cells at lower-left ``(x, y)`` (um).

    Returns ``(grid, density)``; bins less than half free are NaN."""
    x0, y0, x1, y1 = problem.core
    side = bin_rows * problem.row_height
    grid = BinGrid(x0, y0, max(1, int(round((x1 - x0) / side))), max(1, int(round((y1 - y0) / side))), 0.0, 0.0)
    grid = grid._replace(bin_w=(x1 - x0) / grid.nx, bin_h=(y1 - y0) / grid.ny)
    ids = np.flatnonzero(problem.movable)
    w, h = problem.width[ids], problem.height[ids]
    cells = spread(grid, np.asarray(x)[ids] + 0.5 * w, np.asarray(y)[ids] + 0.5 * h, w, h)
    free = free_area(grid, row_segments(problem), problem.row_height)
    return grid, bin_density(cells, free, 0.5, grid.bin_area)

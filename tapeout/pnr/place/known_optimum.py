"""Placement instances with a known optimal wirelength (in the manner of PEKO: Chang, Cong and
Xie, "Optimality and scalability study of existing placement algorithms", ASP-DAC 2003).

Cells of one size (``cell_sites`` sites wide, one row high, the pin at the centre) fill a block
of ``cols`` x ``rows`` cells, packed side by side, in a core with ``whitespace`` of free area
around it. Each net takes ``k`` cells of a ``m`` x ``b`` sub-block of that block whose size has
the least ``(m - 1) W + (b - 1) H`` among those with ``m b >= k`` (``W`` the cell width, ``H``
the row height), its corner cells included so that the net's box is the whole sub-block.

No legal placement can give a net of ``k`` pins less: the cells of one row cannot overlap, so
if at most ``m`` of them share a row and they use ``b`` rows, ``m b >= k`` and the pins span at
least ``(m - 1) W`` across and ``(b - 1) H`` up (`net_lower_bound`). Every net of the generating
placement meets its bound, so that placement is optimal and its HPWL is the optimum. Net degrees
follow a geometric tail from 2 pins (mean about 3.3, close to real netlists' 3-4).

Lengths in um.
"""

from dataclasses import dataclass

import numpy as np

from tapeout.pnr.place.problem import PlacementProblem

__all__ = ["KnownOptimum", "known_optimum_problem", "net_lower_bound", "box_shape"]

MAX_DEGREE = 24


@dataclass
class KnownOptimum:
    """A generated instance: the problem (cells at the core centre), the optimal placement
    (lower-left corners, um) and its HPWL, which equals the sum of the per-net lower bounds."""

    problem: PlacementProblem
    x: np.ndarray
    y: np.ndarray
    optimal_hpwl: float


def box_shape(k, cell_w, row_h):
    """The ``(m, b)`` (cells across, rows) with ``m b >= k`` of least ``(m - 1) W + (b - 1) H``
    (ties: fewer rows)."""
    best = None
    for b in range(1, k + 1):
        m = -(-k // b)
        cost = (m - 1) * cell_w + (b - 1) * row_h
        if best is None or cost < best[0] - 1e-12:
            best = (cost, m, b)
    return best[1], best[2]


def net_lower_bound(k, cell_w, row_h):
    """Least HPWL (um) of a net on ``k`` distinct cells of width ``cell_w`` in rows of ``row_h``,
    pins at the cell centres (see module docstring)."""
    m, b = box_shape(k, cell_w, row_h)
    return (m - 1) * cell_w + (b - 1) * row_h


def known_optimum_problem(n_cells, whitespace=0.0, seed=1, cell_sites=4, site_width=0.46,
                          row_height=2.72, nets_per_cell=1.0):
    """Generate a `KnownOptimum` instance of about ``n_cells`` cells.

    Parameters
    ----------
    n_cells : int
        Cells wanted; the block is the nearest ``cols`` x ``rows`` of about square shape.
    whitespace : float in [0, 1)
        Free share of the core's area.
    seed : int
        Same seed, same instance.
    cell_sites : int
        Cell width in sites.
    site_width, row_height : float
        Site width and row height, um.
    nets_per_cell : float
        Nets over cells.
    """
    if not isinstance(n_cells, (int, np.integer)) or n_cells < 4:
        raise ValueError(f"n_cells must be an integer of at least 4, not {n_cells!r}")
    if not isinstance(whitespace, (int, float)) or not 0 <= whitespace < 1:
        raise ValueError(f"whitespace must be a number in [0, 1), not {whitespace!r}")
    rng = np.random.default_rng(seed)
    cell_w = cell_sites * site_width
    rows = max(2, int(round(np.sqrt(n_cells * cell_w / row_height))))
    cols = max(2, int(round(n_cells / rows)))
    n = rows * cols
    # Core: the block's area over (1 - whitespace), about square, on the site and row grid.
    area = n * cell_w * row_height / (1.0 - whitespace)
    core_rows = max(rows, int(np.ceil(np.sqrt(area) / row_height)))
    core_sites = max(cols * cell_sites, int(np.ceil(area / (core_rows * row_height) / site_width)))
    core_w, core_h = core_sites * site_width, core_rows * row_height
    bx = np.floor((core_sites - cols * cell_sites) / 2) * site_width
    by = np.floor((core_rows - rows) / 2) * row_height
    col_of = np.tile(np.arange(cols), rows)
    row_of = np.repeat(np.arange(rows), cols)
    opt_x = bx + col_of * cell_w
    opt_y = by + row_of * row_height

    n_nets = int(round(nets_per_cell * n))
    degree = np.minimum(1 + rng.geometric(0.43, n_nets), MAX_DEGREE)
    pins, optimum = [], 0.0
    for k in np.unique(degree):
        k = int(k)
        m, b = box_shape(k, cell_w, row_height)
        count = int(np.count_nonzero(degree == k))
        if m > cols or b > rows:
            continue
        c0 = rng.integers(0, cols - m + 1, count)
        r0 = rng.integers(0, rows - b + 1, count)
        # Cells of each net's m x b box, corners first, then the others in random order.
        dr, dc = np.divmod(np.arange(m * b), m)
        corner_last = (dr == b - 1) & (dc == m - 1)
        rank = np.where((dr == 0) & (dc == 0), -2.0, np.where(corner_last, -1.0, rng.random((count, m * b))))
        order = np.argsort(rank, axis=1, kind="stable")[:, :k]
        cells = (r0[:, None] + dr[order]) * cols + c0[:, None] + dc[order]
        pins.extend(np.sort(cells, axis=1))
        optimum += count * ((m - 1) * cell_w + (b - 1) * row_height)
    pins = [pins[i] for i in rng.permutation(len(pins))]
    net_ptr = np.concatenate([[0], np.cumsum([len(p) for p in pins])])
    pin_cell = np.concatenate(pins).astype(np.int64)
    n_nets = len(pins)
    cx, cy = 0.5 * (core_w - cell_w), 0.5 * (core_h - row_height)
    problem = PlacementProblem(
        width=np.full(n, cell_w), height=np.full(n, row_height), movable=np.ones(n, dtype=bool),
        x=np.full(n, cx), y=np.full(n, cy), net_ptr=np.asarray(net_ptr, dtype=np.int64),
        net_pins=np.arange(pin_cell.shape[0]), pin_cell=pin_cell,
        pin_dx=np.full(pin_cell.shape[0], 0.5 * cell_w), pin_dy=np.full(pin_cell.shape[0], 0.5 * row_height),
        net_weight=np.ones(n_nets), net_ignored=np.zeros(n_nets, dtype=bool), core=(0.0, 0.0, core_w, core_h),
        row_height=row_height, site_width=site_width, cell_names=[f"c{i}" for i in range(n)],
        net_names=[f"n{i}" for i in range(n_nets)])
    return KnownOptimum(problem, opt_x, opt_y, optimum)

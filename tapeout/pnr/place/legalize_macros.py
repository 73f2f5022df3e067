"""Legalisation of movable multi-row cells (macros), before the single-row cells.

Largest first, each multi-row cell goes to the position nearest its target (least squared
displacement) where it lies on sites of consecutive rows (each row one row height above the
last) that are free: no fixed blockage, no gap in the rows, no multi-row cell placed before it
(with its halo). Rows are tried outward from the target's until the vertical distance alone
exceeds the best cost found; in each band of rows the free runs of sites are scanned for the x
nearest the target. The legalised cells then act as fixed blockages for Abacus.
"""

import numpy as np
from numba import njit

from tapeout.pnr.errors import PlacementError
from tapeout.pnr.floorplan.rows import nearest_row

__all__ = ["legalize_multi_row"]


@njit(cache=True)
def _best_spot(free, row_y, row_height, n_span, width, target_site, target_y, site):
    """Lowest row and first site of the free ``n_span`` x ``width`` spot nearest the target, or (-1, -1)."""
    n_rows, n_sites = free.shape
    best_cost = np.inf
    best_row = -1
    best_site = -1
    home = 0
    for r in range(n_rows):
        if abs(row_y[r] - target_y) < abs(row_y[home] - target_y):
            home = r
    band = np.empty(n_sites, np.bool_)
    for d in range(n_rows):
        progressed = False
        for sign in (1, -1):
            r = home + sign * d
            if (d == 0 and sign == -1) or r < 0 or r + n_span > n_rows:
                continue
            dy = row_y[r] - target_y
            progressed = progressed or dy * dy < best_cost
            if dy * dy >= best_cost:
                continue
            consecutive = True
            for k in range(1, n_span):
                if abs(row_y[r + k] - row_y[r] - k * row_height) > 1e-6:
                    consecutive = False
            if not consecutive:
                continue
            for s in range(n_sites):
                band[s] = True
                for k in range(n_span):
                    if not free[r + k, s]:
                        band[s] = False
                        break
            s = 0
            while s < n_sites:
                if not band[s]:
                    s += 1
                    continue
                run_end = s
                while run_end < n_sites and band[run_end]:
                    run_end += 1
                if run_end - s >= width:
                    x = min(max(target_site, s), run_end - width)
                    dx = (x - target_site) * site
                    cost = dx * dx + dy * dy
                    if cost < best_cost:
                        best_cost = cost
                        best_row = r
                        best_site = x
                s = run_end
        if not progressed and d > 0:
            break
    return best_row, best_site


def _free_sites(problem, segments):
    """Site map (rows x sites): True where a segment offers the site."""
    site = problem.site_width
    n_sites = int(np.floor((problem.core[2] - problem.core[0]) / site + 1e-9))
    free = np.zeros((segments.y.shape[0], n_sites), dtype=np.bool_)
    lo = np.rint((segments.x0 - problem.core[0]) / site).astype(np.int64)
    hi = np.rint((segments.x1 - problem.core[0]) / site).astype(np.int64)
    for r, a, b in zip(segments.row, lo, hi):
        free[r, a:b] = True
    return free


def legalize_multi_row(problem, segments, x, y):
    """Legal lower-left corners (um) for the movable cells taller than a row, nearest ``(x, y)``.

    Returns ``(ids, x, y)``: the multi-row cells and their positions. Raises PlacementError
    when one finds no room.
    """
    rh, site = problem.row_height, problem.site_width
    ids = np.flatnonzero(problem.movable & (problem.height > rh + 1e-9))
    if ids.size == 0:
        return ids, np.zeros(0), np.zeros(0)
    ids = ids[np.argsort(-(problem.width[ids] * problem.height[ids]), kind="stable")]
    free = _free_sites(problem, segments)
    row_y = segments.y
    x0 = problem.core[0]
    out_x, out_y = np.zeros(ids.shape[0]), np.zeros(ids.shape[0])
    halo_sites = int(np.ceil(problem.halo / site - 1e-9))
    halo_rows = int(np.ceil(problem.halo / rh - 1e-9))
    for k, cell in enumerate(ids):
        n_span = int(np.ceil(problem.height[cell] / rh - 1e-9))
        width = int(np.ceil(problem.width[cell] / site - 1e-9))
        target_site = int(np.rint((x[cell] - x0) / site))
        row, first = _best_spot(free, row_y, rh, n_span, width, target_site, float(y[cell]), site)
        if row < 0:
            raise PlacementError(f"no free room of {n_span} rows x {width} sites left for multi-row cell "
                                 f"{problem.cell_names[cell]}: enlarge the core or lower the utilisation")
        out_x[k], out_y[k] = x0 + first * site, row_y[row]
        top = nearest_row(row_y, row_y[row] + (n_span - 1) * rh)
        free[max(row - halo_rows, 0):top + 1 + halo_rows, max(first - halo_sites, 0):first + width + halo_sites] = False
    return ids, out_x, out_y

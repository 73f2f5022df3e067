"""Abacus legalisation: movable cells onto rows and sites, no overlaps.

Movable cells taller than a row (macros) go first (`tapeout.pnr.place.legalize_macros`) and then
block the rows like fixed macros. Then Abacus (Spindler, Schlichtmann and Johannes, "Abacus:
fast legalization of standard cell circuits with minimal movement", ISPD 2008): cells are taken
in order of their target x; each is tried in the free row segments (rows are split around fixed
macros and may have gaps between them, see `tapeout.pnr.floorplan.rows`) of the rows nearest its
target y, outward until the vertical distance alone exceeds the best cost found. In a segment
the cell joins the right end; the clusters it then overlaps are merged and each cluster sits at
the mean of its cells' targets (the quadratic-displacement optimum), rounded to a site and
clamped to the segment. The trial with the least squared displacement wins. Work is in site
units, so every cell lands on a site (the real site: a cell of ``w`` um takes ``ceil(w / site)``
sites).
"""

import dataclasses

import numpy as np
from numba import njit

from tapeout.pnr.errors import PlacementError
from tapeout.pnr.floorplan.rows import nearest_row, row_segments
from tapeout.pnr.place.legalize_macros import legalize_multi_row

__all__ = ["legalize", "check_fits", "displacement"]


@njit(cache=True)
def _place_in_segment(seg, target, w, seg_lo, seg_hi, seg_last, cl_x, cl_e, cl_q, cl_w,
                      cl_prev, commit, n_clusters):
    """Append a cell of ``w`` sites with target ``target`` (sites) to segment ``seg``.

    Returns the cell's position (sites). With ``commit`` the clusters are updated
    and the new cluster index is ``n_clusters``.
    """
    e = 1.0
    q = target
    width = w
    lo = seg_lo[seg]
    hi = seg_hi[seg]
    x = min(max(np.rint(q / e), lo), hi - width)
    prev = seg_last[seg]
    while prev >= 0 and cl_x[prev] + cl_w[prev] > x:
        q = cl_q[prev] + q - e * cl_w[prev]
        e = cl_e[prev] + e
        width = cl_w[prev] + width
        x = min(max(np.rint(q / e), lo), hi - width)
        prev = cl_prev[prev]
    if commit:
        cl_x[n_clusters] = x
        cl_e[n_clusters] = e
        cl_q[n_clusters] = q
        cl_w[n_clusters] = width
        cl_prev[n_clusters] = prev
        seg_last[seg] = n_clusters
    return x + width - w


@njit(cache=True)
def _abacus(order, target_x, target_y, home_row, width, seg_lo, seg_hi, row_ptr, row_y, site):
    """Legalise in site units (x) and um (y).

    Returns the segment and arrival cluster of each cell, the cluster arrays, and
    the index of a cell that found no room (-1 when all fit)."""
    n = order.shape[0]
    n_seg = seg_lo.shape[0]
    n_rows = row_ptr.shape[0] - 1
    seg_used = np.zeros(n_seg, np.int64)
    seg_last = np.full(n_seg, -1, np.int64)
    cl_x = np.zeros(n)
    cl_e = np.zeros(n)
    cl_q = np.zeros(n)
    cl_w = np.zeros(n)
    cl_prev = np.full(n, -1, np.int64)
    cell_seg = np.full(n, -1, np.int64)
    cell_cluster = np.full(n, -1, np.int64)
    for k in range(n):
        i = order[k]
        w = width[i]
        home = home_row[i]
        best_cost = np.inf
        best_seg = -1
        for d in range(n_rows):
            # Rows are sorted and home is the nearest: each side only gets further away.
            any_row = False
            for sign in (1, -1):
                r = home + sign * d
                if (d == 0 and sign == -1) or r < 0 or r >= n_rows:
                    continue
                dy = row_y[r] - target_y[i]
                if dy * dy >= best_cost:
                    continue
                any_row = True
                for s in range(row_ptr[r], row_ptr[r + 1]):
                    if seg_used[s] + w > seg_hi[s] - seg_lo[s]:
                        continue
                    x = _place_in_segment(s, target_x[i], w, seg_lo, seg_hi, seg_last,
                                          cl_x, cl_e, cl_q, cl_w, cl_prev, False, 0)
                    dx = (x - target_x[i]) * site
                    cost = dx * dx + dy * dy
                    if cost < best_cost:
                        best_cost = cost
                        best_seg = s
            if not any_row:
                break
        if best_seg < 0:
            return cell_seg, cell_cluster, cl_x, cl_w, cl_prev, seg_last, i
        _place_in_segment(best_seg, target_x[i], w, seg_lo, seg_hi, seg_last, cl_x, cl_e,
                          cl_q, cl_w, cl_prev, True, k)
        seg_used[best_seg] += w
        cell_seg[i] = best_seg
        cell_cluster[i] = k
    return cell_seg, cell_cluster, cl_x, cl_w, cl_prev, seg_last, -1


def check_fits(problem, segments=None):
    """Raise PlacementError when the movable cells cannot fit the free rows.

    Checks that the movable cells' row length (width rounded up to sites, times the rows a
    cell spans) does not exceed the free row length.
    """
    segments = row_segments(problem) if segments is None else segments
    movable = problem.movable
    spans = np.maximum(np.ceil(problem.height[movable] / problem.row_height - 1e-9), 1)
    need = float(np.sum(np.ceil(problem.width[movable] / problem.site_width - 1e-9) * spans)) \
        * problem.site_width
    have = segments.capacity
    if need > have + 1e-9:
        raise PlacementError(f"the movable cells need {need:.6g} um of row length but the core "
                             f"rows offer only {have:.6g} um (utilisation {need / have:.3f} > 1): "
                             f"enlarge the core or lower the utilisation")


def displacement(problem, x_from, y_from, x_to, y_to):
    """Mean and largest distance (Euclidean) a movable cell moved, in row heights."""
    ids = np.flatnonzero(problem.movable)
    if ids.size == 0:
        return 0.0, 0.0
    moved = np.hypot(np.asarray(x_to)[ids] - np.asarray(x_from)[ids],
                     np.asarray(y_to)[ids] - np.asarray(y_from)[ids]) / problem.row_height
    return float(moved.mean()), float(moved.max())


def legalize(problem, x, y):
    """Move the movable cells to legal sites near ``(x, y)``: multi-row cells first, then Abacus.

    Parameters
    ----------
    problem : PlacementProblem
    x, y : array of float, shape (n_cells,)
        Target lower-left corners, um.

    Returns
    -------
    x, y : array of float
        Legal lower-left corners, um; fixed cells keep their positions.

    Raises
    ------
    PlacementError
        When the cells cannot fit (utilisation over 1, or no segment left with room for
        a cell).
    """
    segments = row_segments(problem)
    check_fits(problem, segments)
    out_x = np.array(x, dtype=np.float64)
    out_y = np.array(y, dtype=np.float64)
    multi, mx, my = legalize_multi_row(problem, segments, out_x, out_y)
    if multi.size:
        out_x[multi], out_y[multi] = mx, my
        movable = problem.movable.copy()
        movable[multi] = False
        segments = row_segments(dataclasses.replace(problem, movable=movable, x=out_x, y=out_y))
    else:
        movable = problem.movable
    site = problem.site_width
    x0 = problem.core[0]
    ids = np.flatnonzero(movable)
    if ids.size == 0:
        return out_x, out_y
    width = np.ceil(problem.width[ids] / site - 1e-9)
    target_x = (out_x[ids] - x0) / site
    target_y = out_y[ids]
    seg_lo = np.rint((segments.x0 - x0) / site)
    seg_hi = np.rint((segments.x1 - x0) / site)
    order = np.argsort(target_x, kind="stable")
    home = nearest_row(segments.y, target_y)
    cell_seg, cell_cluster, cl_x, cl_w, cl_prev, seg_last, failed = _abacus(
        order, target_x, target_y, home, width, seg_lo, seg_hi, segments.row_ptr, segments.y, site)
    if failed >= 0:
        raise PlacementError(f"no row segment has room left for cell "
                             f"{problem.cell_names[ids[failed]]}: the free rows are too "
                             f"fragmented; lower the utilisation")
    sites = _pack(order, width, cell_seg, cell_cluster, cl_x, cl_prev, seg_last)
    out_x[ids] = x0 + sites * site
    out_y[ids] = segments.y[segments.row[cell_seg]]
    return out_x, out_y


@njit(cache=True)
def _pack(order, width, cell_seg, cell_cluster, cl_x, cl_prev, seg_last):
    """Site of each cell: cells of a final cluster are packed from its position.

    Clusters of a segment are created in the order cells arrive and merge only with
    their predecessors, so the final cluster of a cell is the surviving cluster with
    the smallest index at or after the cell's own; walking cells in reverse arrival
    order per segment finds it.
    """
    n = order.shape[0]
    n_seg = seg_last.shape[0]
    alive = np.zeros(n, np.bool_)
    for s in range(n_seg):
        c = seg_last[s]
        while c >= 0:
            alive[c] = True
            c = cl_prev[c]
    owner_of_seg = np.full(n_seg, -1, np.int64)
    owner = np.full(n, -1, np.int64)
    for k in range(n - 1, -1, -1):
        i = order[k]
        s = cell_seg[i]
        if alive[cell_cluster[i]]:
            owner_of_seg[s] = cell_cluster[i]
        owner[i] = owner_of_seg[s]
    sites = np.zeros(n)
    fill = np.zeros(n)
    for k in range(n):
        i = order[k]
        c = owner[i]
        sites[i] = cl_x[c] + fill[c]
        fill[c] += width[i]
    return sites

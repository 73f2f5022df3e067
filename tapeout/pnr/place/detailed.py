"""Detailed placement: HPWL-lowering moves that keep a legal placement legal.

Four moves, repeated for a few passes (in the spirit of FastPlace-DP, Pan,
Viswanathan and Chu, ISPD 2005, and OpenROAD's ``dpo``):

- global move: move a cell to the free run of sites nearest its optimal point (the
  medians of its nets' boxes without it), searched in the optimal row;
- global swap: swap a cell with the cell of the same width (so both stay legal) in or next
  to its optimal row, within two cell widths of its optimal x, that lowers the cost most;
- single-cell shift: move a cell inside the free gap around it (between its row
  neighbours and its row segment's ends) to the site nearest its optimal x, the
  median of the ends of its nets' boxes without it;
- window reordering: try every order of three neighbouring cells of a segment,
  packed from the leftmost one's x, and keep the best.

A move is kept only when it lowers the weighted HPWL; cells stay on sites. Movable
multi-row cells stay where the legaliser put them.
"""

import dataclasses

import numpy as np
from numba import njit

from tapeout.pnr.floorplan.rows import nearest_row, row_segments
from tapeout.pnr.place.cost import COUNT, FIRST, cells_delta, commit, fill_boxes, net_cost_weights, net_table, sync_pins

__all__ = ["detailed_placement"]

GLOBAL_REACH_SITES = 40  # sites searched each side of a cell's optimal point

_PERMUTATIONS = np.array([[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]],
                         dtype=np.int64)


@njit(cache=True)
def _optimal_x(table, xy, c, endpoints, axis=0):
    """Median of the intervals that put each of ``c``'s nets' pins of ``c`` inside
    the box of the net's other pins along ``axis`` (0: x, 1: y), for ``c``'s lower-left
    corner (um); NaN when ``c`` has no such net."""
    count = 0
    for k in range(table.cell_net_ptr[c], table.cell_net_ptr[c + 1]):
        n = table.cell_nets[k]
        lo = np.inf
        hi = -np.inf
        offset = np.nan
        first = np.int64(table.net[n, FIRST])
        for p in range(first, first + np.int64(table.net[n, COUNT])):
            other = np.int64(table.pin[p, 0])
            if other == c:
                if np.isnan(offset):
                    offset = table.pin[p, 1 + axis]
                continue
            px = xy[other, axis] + table.pin[p, 1 + axis]
            lo = min(lo, px)
            hi = max(hi, px)
        if lo > hi or np.isnan(offset):
            continue
        endpoints[count] = lo - offset
        endpoints[count + 1] = hi - offset
        count += 2
    if count == 0:
        return np.nan
    return np.median(endpoints[:count])


@njit(cache=True)
def _nearest(row_y, y):
    """Index of the row (lower edges ``row_y``, sorted) nearest ``y``."""
    r = np.searchsorted(row_y, y)
    if r >= row_y.shape[0]:
        return row_y.shape[0] - 1
    if r > 0 and y - row_y[r - 1] <= row_y[r] - y:
        return r - 1
    return r


@njit(cache=True)
def _endpoint_scratch(table, ids):
    """Scratch for `_optimal_x` that fits any cell of ``ids``."""
    max_nets = 0
    for c in ids:
        max_nets = max(max_nets, table.cell_net_ptr[c + 1] - table.cell_net_ptr[c])
    return np.empty(2 * max_nets + 2)


@njit(cache=True)
def _optimal_site(table, xy, c, endpoints, x0, row_y, site, last_site):
    """Row and site (clipped to 0 .. ``last_site``) nearest ``c``'s optimal point; (-1, -1)
    when ``c`` has no net that places it."""
    tx = _optimal_x(table, xy, c, endpoints, 0)
    ty = _optimal_x(table, xy, c, endpoints, 1)
    if np.isnan(tx) or np.isnan(ty):
        return -1, -1
    return _nearest(row_y, ty), int(min(max(np.rint((tx - x0) / site), 0), last_site))


@njit(cache=True)
def _global_moves(table, xy, width_sites, ids, occupancy, x0, row_y, site, reach):
    """Move each cell of ``ids`` to the free run of sites nearest its optimal point
    when that lowers the cost. ``occupancy[row, site]`` holds a cell, -1 (free) or -2
    (no row there) and is kept up to date. Returns the cost change (um)."""
    n_rows, n_sites = occupancy.shape
    endpoints = _endpoint_scratch(table, ids)
    moved = np.empty(1, np.int64)
    total = 0.0
    for c in ids:
        w = width_sites[c]
        row0 = _nearest(row_y, xy[c, 1])
        site0 = int(np.rint((xy[c, 0] - x0) / site))
        row, target = _optimal_site(table, xy, c, endpoints, x0, row_y, site, n_sites - w)
        if row < 0:
            continue
        if row == row0 and abs(target - site0) <= w:
            continue
        found = -1
        for step in range(2 * reach + 1):
            start = target + (step + 1) // 2 if step % 2 == 1 else target - step // 2
            if start < 0 or start + w > n_sites:
                continue
            free = True
            for k in range(start, start + w):
                if occupancy[row, k] != -1 and occupancy[row, k] != c:
                    free = False
                    break
            if free:
                found = start
                break
        if found < 0:
            continue
        old_x = xy[c, 0]
        old_y = xy[c, 1]
        xy[c, 0] = x0 + found * site
        xy[c, 1] = row_y[row]
        moved[0] = c
        delta = cells_delta(table, xy, moved, 1)
        if delta < -1e-9:
            commit(table)
            total += delta
            for k in range(site0, site0 + w):
                occupancy[row0, k] = -1
            for k in range(found, found + w):
                occupancy[row, k] = c
        else:
            xy[c, 0] = old_x
            xy[c, 1] = old_y
            sync_pins(table, xy, c)
    return total


@njit(cache=True)
def _global_swaps(table, xy, width_sites, ids, occupancy, x0, row_y, site):
    """Swap each cell of ``ids`` with the cell of its width, in or next to its optimal row
    around its optimal x, that lowers the cost most (FastPlace-DP's global swap, restricted
    to equal widths so that both stay legal). Returns the cost change (um)."""
    n_rows, n_sites = occupancy.shape
    endpoints = _endpoint_scratch(table, ids)
    pair = np.empty(2, np.int64)
    total = 0.0
    for c in ids:
        row, target = _optimal_site(table, xy, c, endpoints, x0, row_y, site, n_sites - 1)
        if row < 0:
            continue
        w = width_sites[c]
        cx = xy[c, 0]
        cy = xy[c, 1]
        best = -1
        best_delta = -1e-9
        for r in range(max(row - 1, 0), min(row + 2, n_rows)):
            last = -3
            for s in range(max(target - 2 * w, 0), min(target + 2 * w + 1, n_sites)):
                b = occupancy[r, s]
                if b < 0 or b == c or b == last or width_sites[b] != w:
                    continue
                last = b
                xy[c, 0] = xy[b, 0]
                xy[c, 1] = xy[b, 1]
                xy[b, 0] = cx
                xy[b, 1] = cy
                pair[0] = c
                pair[1] = b
                delta = cells_delta(table, xy, pair, 2)
                xy[b, 0] = xy[c, 0]
                xy[b, 1] = xy[c, 1]
                xy[c, 0] = cx
                xy[c, 1] = cy
                sync_pins(table, xy, b)
                sync_pins(table, xy, c)
                if delta < best_delta:
                    best_delta = delta
                    best = b
        if best < 0:
            continue
        b = best
        bx = xy[b, 0]
        by = xy[b, 1]
        xy[c, 0] = bx
        xy[c, 1] = by
        xy[b, 0] = cx
        xy[b, 1] = cy
        pair[0] = c
        pair[1] = b
        cells_delta(table, xy, pair, 2)
        commit(table)
        total += best_delta
        rc = _nearest(row_y, cy)
        rb = _nearest(row_y, by)
        sc = int(np.rint((cx - x0) / site))
        sb = int(np.rint((bx - x0) / site))
        for k in range(w):
            occupancy[rc, sc + k] = b
            occupancy[rb, sb + k] = c
    return total


@njit(cache=True)
def _passes(table, xy, width, order, row_ptr, seg_of, seg_lo, seg_hi, x0, site, n_passes):
    """Run the shift and reordering moves; ``order`` lists cells by row then x and is
    kept so. Returns the total cost change (um)."""
    endpoints = _endpoint_scratch(table, np.arange(width.shape[0]))
    moved = np.empty(3, np.int64)
    saved = np.empty((3, 1))
    total = 0.0
    for _ in range(n_passes):
        for r in range(row_ptr.shape[0] - 1):
            start = row_ptr[r]
            end = row_ptr[r + 1]
            # Single-cell shifts.
            for i in range(start, end):
                c = order[i]
                s = seg_of[c]
                left = seg_lo[s]
                if i > start and seg_of[order[i - 1]] == s:
                    left = max(left, xy[order[i - 1], 0] + width[order[i - 1]])
                right = seg_hi[s]
                if i + 1 < end and seg_of[order[i + 1]] == s:
                    right = min(right, xy[order[i + 1], 0])
                target = _optimal_x(table, xy, c, endpoints)
                if np.isnan(target):
                    continue
                target = min(max(target, left), right - width[c])
                target = x0 + np.rint((target - x0) / site) * site
                if target < left - 1e-9:
                    target += site
                if target + width[c] > right + 1e-9:
                    target -= site
                if abs(target - xy[c, 0]) < 1e-9 or target < left - 1e-9:
                    continue
                old = xy[c, 0]
                xy[c, 0] = target
                moved[0] = c
                delta = cells_delta(table, xy, moved, 1)
                if delta < -1e-9:
                    commit(table)
                    total += delta
                else:
                    xy[c, 0] = old
                    sync_pins(table, xy, c)
            # Reordering of three neighbours in one segment.
            for i in range(start, end - 2):
                a = order[i]
                if seg_of[order[i + 1]] != seg_of[a] or seg_of[order[i + 2]] != seg_of[a]:
                    continue
                left = xy[a, 0]
                for j in range(3):
                    saved[j, 0] = xy[order[i + j], 0]
                best = 0
                best_delta = -1e-9
                for p in range(1, _PERMUTATIONS.shape[0]):
                    x = left
                    for j in range(3):
                        c = order[i + _PERMUTATIONS[p, j]]
                        xy[c, 0] = x
                        x += width[c]
                        moved[j] = c
                    delta = cells_delta(table, xy, moved, 3)
                    if delta < best_delta:
                        best_delta = delta
                        best = p
                    for j in range(3):
                        xy[order[i + j], 0] = saved[j, 0]
                for j in range(3):
                    sync_pins(table, xy, order[i + j])
                if best == 0:
                    continue
                x = left
                for j in range(3):
                    moved[j] = order[i + _PERMUTATIONS[best, j]]
                for j in range(3):
                    c = moved[j]
                    xy[c, 0] = x
                    x += width[c]
                    order[i + j] = c
                cells_delta(table, xy, moved, 3)
                commit(table)
                total += best_delta
    return total


def _occupancy(problem, segments, xy, ids, width_sites):
    """Site map of the core: a cell id, -1 for a free site, -2 where there is no row."""
    site = problem.site_width
    n_sites = int(np.floor((problem.core[2] - problem.core[0]) / site + 1e-9))
    occupancy = np.full((segments.y.shape[0], n_sites), -2, dtype=np.int64)
    for s in range(segments.row.shape[0]):
        lo = int(np.rint((segments.x0[s] - problem.core[0]) / site))
        hi = int(np.rint((segments.x1[s] - problem.core[0]) / site))
        occupancy[segments.row[s], lo:hi] = -1
    rows = nearest_row(segments.y, xy[ids, 1])
    first = np.rint((xy[ids, 0] - problem.core[0]) / site).astype(np.int64)
    for cell, r, f in zip(ids, rows, first):
        occupancy[r, f:f + width_sites[cell]] = cell
    return occupancy


def _row_order(problem, segments, xy, ids):
    """Cells by row then x (CSR by row) and the row segment of each cell."""
    row = nearest_row(segments.y, xy[ids, 1])
    n_rows = segments.y.shape[0]
    order = ids[np.lexsort((xy[ids, 0], row))]
    row_ptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(row, minlength=n_rows), out=row_ptr[1:])
    # Segment of each cell: the one of its row whose span holds the cell's left edge.
    seg_of = np.full(problem.n_cells, -1, dtype=np.int64)
    key = segments.row * 1e9 + segments.x0
    cell_key = row * 1e9 + xy[ids, 0] + 1e-6
    seg_of[ids] = np.searchsorted(key, cell_key, side="right") - 1
    return order, row_ptr, seg_of


def detailed_placement(problem, x, y, passes=2, weight=None, reach=GLOBAL_REACH_SITES):
    """Improve a legal placement's HPWL with legal moves.

    Parameters
    ----------
    problem : PlacementProblem
    x, y : array of float, shape (n_cells,)
        A legal placement (lower-left corners, um).
    passes : int
        Passes of global moves, global swaps, then shifts and reorderings, over all cells.
    weight : array of float or None
        Per-net cost weights (default: `net_cost_weights` of the problem).
    reach : int
        How far (sites) a global move searches for free room from the optimal point.

    Returns
    -------
    x, y : array of float
        The improved placement, um.
    """
    if not isinstance(passes, int) or passes < 0:
        raise ValueError(f"passes must be a non-negative integer, not {passes!r}")
    weight = net_cost_weights(problem) if weight is None else weight
    tall = problem.movable & (problem.height > problem.row_height + 1e-9)
    if tall.any():  # multi-row cells stay where the legaliser put them, as blockages
        problem = dataclasses.replace(problem, movable=problem.movable & ~tall, x=np.asarray(x, dtype=np.float64),
                                      y=np.asarray(y, dtype=np.float64))
    table = net_table(problem, weight, cells_per_move=3)
    xy = np.stack([np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)], axis=1)
    fill_boxes(table, xy)
    segments = row_segments(problem)
    ids = np.flatnonzero(problem.movable)
    site = problem.site_width
    width_sites = np.ceil(problem.width / site - 1e-9).astype(np.int64)
    occupancy = _occupancy(problem, segments, xy, ids, width_sites)
    for _ in range(passes):
        _global_moves(table, xy, width_sites, ids, occupancy, problem.core[0],
                      segments.y, site, reach)
        _global_swaps(table, xy, width_sites, ids, occupancy, problem.core[0], segments.y, site)
        order, row_ptr, seg_of = _row_order(problem, segments, xy, ids)
        _passes(table, xy, problem.width, order, row_ptr, seg_of, segments.x0, segments.x1,
                problem.core[0], site, 1)
        occupancy = _occupancy(problem, segments, xy, ids, width_sites)
    return xy[:, 0].copy(), xy[:, 1].copy()

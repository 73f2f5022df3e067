"""Independent-set matching: the detailed-placement move that re-assigns sets of cells of one
width to each other's sites optimally (NTUplace3, Chen et al., TCAD 2008; DREAMPlace's ``ism``).

The core is cut into windows; in each, cells of the same width in sites are gathered, in
turn, into sets of up to ``set_size`` cells that share no net (independent). Because no two
cells of a set are on one net, the cost of cell ``a`` on the site of cell ``b`` is the weighted
HPWL of ``a``'s nets with every other pin where it is, whatever the others of the set do; the
best assignment of the set is a linear assignment problem (``scipy.optimize``). Cells of one width
trade sites, so a legal placement stays legal. Windows are shifted by half between passes.
"""

import numpy as np
from numba import njit
from scipy.optimize import linear_sum_assignment

from tapeout.pnr.place.cost import COUNT, FIRST, WEIGHT

__all__ = ["independent_set_matching"]

SET_SIZE = 32          # cells per set at most
CELLS_PER_WINDOW = 256  # about this many cells per window


@njit(cache=True)
def _independent_sets(cells, group_ptr, table, set_size, mark):
    """Split each group ``cells[group_ptr[g]:group_ptr[g + 1]]`` greedily into sets of cells
    sharing no net. ``mark`` (n_nets, int64, all -1) is scratch. Returns (set_ptr, set_cells)."""
    set_cells = np.empty(cells.shape[0], np.int64)
    set_ptr = np.zeros(cells.shape[0] + 1, np.int64)
    taken = np.zeros(cells.shape[0], np.bool_)
    n_sets = 0
    n_out = 0
    for g in range(group_ptr.shape[0] - 1):
        lo = group_ptr[g]
        hi = group_ptr[g + 1]
        while True:
            size = 0
            for i in range(lo, hi):
                if taken[i]:
                    continue
                c = cells[i]
                free = True
                for k in range(table.cell_net_ptr[c], table.cell_net_ptr[c + 1]):
                    if mark[table.cell_nets[k]] == n_sets:
                        free = False
                        break
                if not free:
                    continue
                for k in range(table.cell_net_ptr[c], table.cell_net_ptr[c + 1]):
                    mark[table.cell_nets[k]] = n_sets
                taken[i] = True
                set_cells[n_out] = c
                n_out += 1
                size += 1
                if size == set_size:
                    break
            if size == 0:
                break
            n_sets += 1
            set_ptr[n_sets] = n_out
    return set_ptr[:n_sets + 1], set_cells[:n_out]


@njit(cache=True)
def _costs(table, xy, members):
    """``cost[a, b]``: weighted HPWL of the nets of ``members[a]`` with it on ``members[b]``'s site."""
    k = members.shape[0]
    cost = np.zeros((k, k))
    for a in range(k):
        c = members[a]
        for j in range(table.cell_net_ptr[c], table.cell_net_ptr[c + 1]):
            n = table.cell_nets[j]
            weight = table.net[n, WEIGHT]
            first = np.int64(table.net[n, FIRST])
            last = first + np.int64(table.net[n, COUNT])
            xlo = np.inf
            xhi = -np.inf
            ylo = np.inf
            yhi = -np.inf
            for p in range(first, last):
                other = np.int64(table.pin[p, 0])
                if other == c:
                    continue
                px = xy[other, 0] + table.pin[p, 1]
                py = xy[other, 1] + table.pin[p, 2]
                xlo = min(xlo, px)
                xhi = max(xhi, px)
                ylo = min(ylo, py)
                yhi = max(yhi, py)
            for b in range(k):
                bx = xy[members[b], 0]
                by = xy[members[b], 1]
                x0 = xlo
                x1 = xhi
                y0 = ylo
                y1 = yhi
                for p in range(first, last):
                    if np.int64(table.pin[p, 0]) == c:
                        px = bx + table.pin[p, 1]
                        py = by + table.pin[p, 2]
                        x0 = min(x0, px)
                        x1 = max(x1, px)
                        y0 = min(y0, py)
                        y1 = max(y1, py)
                cost[a, b] += weight * ((x1 - x0) + (y1 - y0))
    return cost


def _sets(problem, table, xy, ids, width_sites, window, shift, set_size):
    """Independent sets of same-width cells per window (see module docstring)."""
    x0, y0 = problem.core[0], problem.core[1]
    wx = np.floor((xy[ids, 0] - x0) / window + shift).astype(np.int64)
    wy = np.floor((xy[ids, 1] - y0) / window + shift).astype(np.int64)
    order = np.lexsort((xy[ids, 0], xy[ids, 1], width_sites[ids], wx, wy))
    cells = ids[order]
    key = np.stack([wy[order], wx[order], width_sites[cells]], axis=1)
    change = np.flatnonzero(np.any(key[1:] != key[:-1], axis=1)) + 1
    group_ptr = np.r_[0, change, cells.shape[0]].astype(np.int64)
    mark = np.full(problem.n_nets, -1, dtype=np.int64)
    return _independent_sets(cells, group_ptr, table, set_size, mark)


def independent_set_matching(problem, table, xy, passes=2, set_size=SET_SIZE):
    """Improve the legal placement ``xy`` (n_cells x 2, um; updated in place) by matching.

    ``table`` is the `tapeout.pnr.place.cost.NetTable` of the cost weights (its cached boxes
    are not used or updated: refill them afterwards). Returns the cost change, um (<= 0).
    """
    ids = np.flatnonzero(problem.movable & (problem.height <= problem.row_height + 1e-9))
    if ids.size < 2:
        return 0.0
    width_sites = np.ceil(problem.width / problem.site_width - 1e-9).astype(np.int64)
    mean_area = float(np.mean(problem.width[ids] * problem.height[ids]))
    x0, y0, x1, y1 = problem.core
    density = ids.size * mean_area / ((x1 - x0) * (y1 - y0))
    window = float(np.sqrt(CELLS_PER_WINDOW * mean_area / max(density, 1e-9)))
    total = 0.0
    for k in range(passes):
        set_ptr, set_cells = _sets(problem, table, xy, ids, width_sites, window, 0.5 * (k % 2), set_size)
        for s in range(set_ptr.shape[0] - 1):
            members = set_cells[set_ptr[s]:set_ptr[s + 1]]
            if members.shape[0] < 2:
                continue
            cost = _costs(table, xy, members)
            rows, cols = linear_sum_assignment(cost)
            gain = cost[rows, cols].sum() - np.trace(cost)
            if gain < -1e-9:
                xy[members[rows]] = xy[members[cols]].copy()
                total += gain
    return total

"""Spread cells onto distinct free slots with the least disturbance of their order.

Recursive bisection of the slot grid: a region is cut in half across its longer side;
its cells, sorted along that axis, go to the half they lie in, except that a half never
receives more cells than it has free slots (the surplus spills to the other half in
coordinate order). Cells in regions that are not overfull stay where they are (to the
nearest slot); overfull clusters are spread out, as the rough legalisation step of
SimPL / HeAP does (Kim, Lee and Markov, ISPD 2010; Gort and Anderson, FPL 2012).

Capacity alone lets a half stay empty while the other is packed full: at low
utilisation a quadratic solution pulled toward one side of the core fills that side
to one cell per slot and leaves the far side (e.g. the corner beyond a macro) empty.
With ``min_share`` > 0 each half also receives at least that fraction of its
capacity-proportional share of the region's cells, so every free region gets cells
(``min_share = 1`` is a uniform spread, 0 the plain capacity rule).
"""

import numpy as np
from numba import njit

from tapeout.pnr.place.slots import BLOCKED

__all__ = ["spread_to_slots"]


@njit(cache=True)
def _bisect(cx, cy, free_prefix, x0, row_y, slot_width, row_height, min_share):
    n = cx.shape[0]
    rows = np.full(n, -1, np.int64)
    cols = np.full(n, -1, np.int64)
    perm = np.arange(n)
    n_rows = free_prefix.shape[0] - 1
    n_cols = free_prefix.shape[1] - 1
    stack = np.empty((4 * n + 64, 6), np.int64)
    stack[0] = (0, n_rows, 0, n_cols, 0, n)
    top = 1
    while top > 0:
        top -= 1
        r0, r1, c0, c1, lo, hi = stack[top]
        count = hi - lo
        if count == 0:
            continue
        if (r1 - r0) * (c1 - c0) == 1:
            rows[perm[lo]] = r0
            cols[perm[lo]] = c0
            continue
        split_cols = (c1 - c0 > 1 and (c1 - c0) * slot_width >= (r1 - r0) * row_height) \
            or r1 - r0 == 1
        if split_cols:
            mid = (c0 + c1) // 2
            line = x0 + mid * slot_width
            values = cx[perm[lo:hi]]
            cap_a = free_prefix[r1, mid] - free_prefix[r0, mid] - free_prefix[r1, c0] \
                + free_prefix[r0, c0]
            cap_b = free_prefix[r1, c1] - free_prefix[r0, c1] - free_prefix[r1, mid] \
                + free_prefix[r0, mid]
        else:
            mid = (r0 + r1) // 2
            line = row_y[mid]
            values = cy[perm[lo:hi]]
            cap_a = free_prefix[mid, c1] - free_prefix[r0, c1] - free_prefix[mid, c0] \
                + free_prefix[r0, c0]
            cap_b = free_prefix[r1, c1] - free_prefix[mid, c1] - free_prefix[r1, c0] \
                + free_prefix[mid, c0]
        order = np.argsort(values, kind="mergesort")
        perm[lo:hi] = perm[lo:hi][order]
        below = 0
        for v in values:
            if v < line:
                below += 1
        # Each half gets at least min_share of its capacity-proportional share.
        floor_a = int(min_share * count * cap_a / (cap_a + cap_b))
        floor_b = int(min_share * count * cap_b / (cap_a + cap_b))
        k = min(max(below, count - cap_b, floor_a), cap_a, count - floor_b)
        if split_cols:
            stack[top] = (r0, r1, c0, mid, lo, lo + k)
            stack[top + 1] = (r0, r1, mid, c1, lo + k, hi)
        else:
            stack[top] = (r0, mid, c0, c1, lo, lo + k)
            stack[top + 1] = (mid, r1, c0, c1, lo + k, hi)
        top += 2
    return rows, cols


def spread_to_slots(grid, cx, cy, min_share=0.0):
    """Assign cells with centres ``(cx, cy)`` (um) to distinct free slots of ``grid``.

    ``min_share`` in [0, 1] is the least fraction of its capacity-proportional share
    of cells each half of a cut receives (see module docstring). Returns the slot
    rows and columns (arrays of int64). The grid's occupancy is not changed. Raises
    ValueError when there are more cells than free slots.
    """
    if not isinstance(min_share, (int, float)) or isinstance(min_share, bool) \
            or not 0 <= min_share <= 1:
        raise ValueError(f"min_share must be a number in [0, 1], not {min_share!r}")
    free = (grid.occupant != BLOCKED).astype(np.int64)
    if cx.shape[0] > int(free.sum()):
        raise ValueError(f"{cx.shape[0]} cells do not fit on {int(free.sum())} free slots")
    prefix = np.zeros((free.shape[0] + 1, free.shape[1] + 1), dtype=np.int64)
    prefix[1:, 1:] = free.cumsum(axis=0).cumsum(axis=1)
    return _bisect(np.ascontiguousarray(cx, np.float64), np.ascontiguousarray(cy, np.float64),
                   prefix, grid.x0, grid.row_y, grid.width, grid.row_height,
                   float(min_share))


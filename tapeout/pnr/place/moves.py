"""Move generator of the annealer: displace a cell to a slot in a window, or swap.

A move picks a movable cell and a random slot within ``reach_rows`` rows and
``reach_cols`` columns of it (the window, clipped to the grid as in VPR's
``find_to``). An empty target slot displaces the cell; an occupied one swaps the two
cells. Moves are applied to the slot grid and the position arrays in place and
undone by applying the reverse move.

The moved cell is either drawn at random (VPR, nextpnr) or taken in turn from
``movable_ids`` (a systematic sweep, still a valid Metropolis scheme). With cells
numbered along the placement (`tapeout.pnr.place.reorder`), consecutive moves then touch
neighbouring data, which keeps the caches warm on large designs.
"""

from numba import njit

from tapeout.pnr.place.slots import BLOCKED, FREE
from tapeout.pnr.place.xorshift import below

__all__ = ["propose_move", "apply_move", "place_on_slot"]


@njit(cache=True)
def place_on_slot(grid, width, xy, cell, row, col):
    """Set the lower-left corner (um) of ``cell`` for slot ``(row, col)``."""
    xy[cell, 0] = grid.x0 + (col + 0.5) * grid.width - 0.5 * width[cell]
    xy[cell, 1] = grid.row_y[row]


@njit(cache=True)
def propose_move(grid, cell_row, cell_col, movable_ids, reach_rows, reach_cols, state,
                 cursor):
    """Draw a move; return ``(a, b, row, col)``: cell ``a`` goes to slot ``(row, col)``
    whose occupant ``b`` (a cell, or FREE) comes to ``a``'s slot. ``a`` is -1 when the
    draw hit ``a``'s own slot or a blocked slot.

    ``cursor[0]`` < 0 draws ``a`` at random; otherwise ``a`` is
    ``movable_ids[cursor[0]]`` and the cursor advances (wrapping around).
    """
    if cursor[0] < 0:
        a = movable_ids[below(state, movable_ids.shape[0])]
    else:
        a = movable_ids[cursor[0]]
        cursor[0] = cursor[0] + 1 if cursor[0] + 1 < movable_ids.shape[0] else 0
    r0 = cell_row[a]
    c0 = cell_col[a]
    n_rows, n_cols = grid.occupant.shape
    lo_r = max(0, r0 - reach_rows)
    hi_r = min(n_rows - 1, r0 + reach_rows)
    lo_c = max(0, c0 - reach_cols)
    hi_c = min(n_cols - 1, c0 + reach_cols)
    r1 = lo_r + below(state, hi_r - lo_r + 1)
    c1 = lo_c + below(state, hi_c - lo_c + 1)
    b = grid.occupant[r1, c1]
    if (r1 == r0 and c1 == c0) or b == BLOCKED:
        return -1, FREE, r1, c1
    return a, b, r1, c1


@njit(cache=True)
def apply_move(grid, cell_row, cell_col, width, xy, a, b, row, col):
    """Move ``a`` to slot ``(row, col)`` and ``b`` (or FREE) to ``a``'s old slot.

    ``apply_move(..., a, b, old_row, old_col)`` undoes it.
    """
    r0 = cell_row[a]
    c0 = cell_col[a]
    grid.occupant[row, col] = a
    cell_row[a] = row
    cell_col[a] = col
    place_on_slot(grid, width, xy, a, row, col)
    grid.occupant[r0, c0] = b
    if b >= 0:
        cell_row[b] = r0
        cell_col[b] = c0
        place_on_slot(grid, width, xy, b, r0, c0)

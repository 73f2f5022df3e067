"""The slot grid the annealer places cells on.

As VPR anneals blocks onto grid locations, standard cells are annealed onto slots:
the core is cut into rows of ``row_height`` and columns of ``width`` (about the mean
movable cell width), each slot holds at most one cell, and slots whose centre is not
on a free row segment (macros, halos) are blocked. A cell on slot ``(r, c)`` has its
lower-left corner at ``(x0 + (c + 0.5) * width - cell_width / 2, row_y[r])``.
The legaliser later packs cells onto sites; the displacement is about half a slot.
"""

from typing import NamedTuple

import numpy as np

from tapeout.pnr.floorplan.rows import row_segments

__all__ = ["SlotGrid", "build_slot_grid", "random_assignment", "slot_positions", "FREE",
           "BLOCKED"]

FREE = -1
BLOCKED = -2
SLOT_FILL = 1.0  # mean cell width over slot width


class SlotGrid(NamedTuple):
    """Slot occupancy and geometry (um)."""

    occupant: np.ndarray  # (n_rows, n_cols) int64: cell id, FREE or BLOCKED
    x0: float
    y0: float
    width: float
    row_height: float
    row_y: np.ndarray  # (n_rows,) lower edge of each row, um

    @property
    def n_free_slots(self):
        return int(np.count_nonzero(self.occupant != BLOCKED))


def _occupancy(problem, segments, width):
    n_rows = segments.y.shape[0]
    n_cols = max(1, int(np.floor((problem.core[2] - problem.core[0]) / width)))
    centres = problem.core[0] + (np.arange(n_cols) + 0.5) * width
    occupant = np.full((n_rows, n_cols), BLOCKED, dtype=np.int64)
    for s in range(segments.row.shape[0]):
        inside = (centres >= segments.x0[s]) & (centres < segments.x1[s])
        occupant[segments.row[s], inside] = FREE
    return occupant


def build_slot_grid(problem, fill=SLOT_FILL):
    """Slots for the movable cells of ``problem``: at least one per cell when they fit.

    The slot width starts at the mean movable width over ``fill`` and shrinks until
    the free slots outnumber the movable cells. With ``fill`` < 1 a region whose slots
    are all taken is still only ``fill`` full of cell width, so the legaliser has to
    move cells less; low utilisation leaves empty slots to move into.
    """
    if not 0 < fill <= 1:
        raise ValueError(f"fill must be a number in (0, 1], not {fill!r}")
    segments = row_segments(problem)
    n_movable = problem.n_movable
    width = float(np.mean(problem.width[problem.movable])) if n_movable else problem.site_width
    width = max(width / fill, problem.site_width)
    occupant = _occupancy(problem, segments, width)
    for _ in range(20):
        n_free = int(np.count_nonzero(occupant == FREE))
        if n_free >= n_movable or width <= problem.site_width / 4:
            break
        width *= max(0.5, 0.99 * n_free / max(n_movable, 1))
        occupant = _occupancy(problem, segments, width)
    return SlotGrid(occupant, problem.core[0], problem.core[1], width, problem.row_height, segments.y)


def random_assignment(grid, movable_ids, rng):
    """Put each movable cell on a distinct random free slot (in place); return rows, cols.

    Raises ValueError when there are fewer free slots than cells.
    """
    free_rows, free_cols = np.nonzero(grid.occupant == FREE)
    if free_rows.shape[0] < movable_ids.shape[0]:
        raise ValueError(f"{movable_ids.shape[0]} movable cells do not fit on "
                         f"{free_rows.shape[0]} free slots")
    pick = rng.permutation(free_rows.shape[0])[:movable_ids.shape[0]]
    rows, cols = free_rows[pick], free_cols[pick]
    grid.occupant[rows, cols] = movable_ids
    return rows.astype(np.int64), cols.astype(np.int64)


def slot_positions(grid, widths, rows, cols):
    """Lower-left corners (um) of cells of the given widths on slots ``(rows, cols)``."""
    x = grid.x0 + (cols + 0.5) * grid.width - 0.5 * widths
    y = grid.row_y[rows]
    return x, y

"""Filler and decap cells in every empty site of the standard-cell rows, after placement.

Each row's free runs of sites (no cell, no macro) are filled greedily with the widest master that
fits, as OpenROAD's `filler_placement` does with OpenLane's sky130 list (`DECAP_CELL` then `FILL_CELL`):
decaps where they fit, fill cells in what is left, so that the wells and rails run unbroken.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tapeout.pnr.floorplan.floorplan import row_orientation


@dataclass(frozen=True)
class FillCell:
    """A filler or decap: master, row, first site; lower-left corner (x, y) um; orientation."""

    master: str
    row: int
    site: int
    x: float
    y: float
    orient: str


def occupied_sites(plan, boxes) -> np.ndarray:
    """(rows, sites) bool array: True where a box (x, y, w, h um; cells and macros) covers the site."""
    x0, y0 = plan.core[0], plan.core[1]
    taken = np.zeros((plan.rows, plan.sites), dtype=bool)
    for x, y, w, h in boxes:
        r0 = max(int(np.floor((y - y0) / plan.row_height + 1e-6)), 0)
        r1 = min(int(np.ceil((y + h - y0) / plan.row_height - 1e-6)), plan.rows)
        s0 = max(int(np.floor((x - x0) / plan.site_width + 1e-6)), 0)
        s1 = min(int(np.ceil((x + w - x0) / plan.site_width - 1e-6)), plan.sites)
        if r1 > r0 and s1 > s0:
            taken[r0:r1, s0:s1] = True
    return taken


def macro_halo_sites(plan) -> np.ndarray:
    """(rows, sites) bool array: True where a macro grown by the plan's halo covers the site. The placer
    has no rows there; neither does fill (a filler in a halo sits on a rail piece no strap reaches)."""
    h = plan.halo
    return occupied_sites(plan, [(m.x - h, m.y - h, m.width + 2 * h, m.height + 2 * h) for m in plan.macros])


def free_runs(taken_row: np.ndarray) -> list[tuple[int, int]]:
    """(first site, length) of each run of free sites in one row."""
    free = np.concatenate([[False], ~taken_row, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(free))
    return [(int(a), int(b - a)) for a, b in zip(edges[::2], edges[1::2])]


def fill_rows(plan, taken: np.ndarray, masters: list[tuple[str, int]]) -> list[FillCell]:
    """Fill every free site; `masters` are (name, width in sites), tried widest first (the earlier one
    on a tie). Raises ValueError when no master is one site wide and a gap of one site is left."""
    order = sorted(masters, key=lambda m: -m[1])
    cells = []
    for row in range(plan.rows):
        y = round(plan.core[1] + row * plan.row_height, 6)
        orient = row_orientation(row)
        for first, length in free_runs(taken[row]):
            site, left = first, length
            for name, width in order:
                while left >= width:
                    cells.append(FillCell(name, row, site, round(plan.core[0] + site * plan.site_width, 6), y, orient))
                    site += width
                    left -= width
            if left:
                raise ValueError(f"row {row}: {left} site(s) at site {site} left empty: no filler that narrow")
    return cells

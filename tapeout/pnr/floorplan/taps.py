"""Well-tap cells: fixed in every row before placement, so that no point of a row is farther than
`reach` um from the centre of a tap in the same row.

Libraries without taps inside their cells (SKY130 HD: `sky130_fd_sc_hd__tapvpwrvgnd_1`) need a tap
that ties the n-well to VPWR and the p-well to VGND within the latch-up distance of every transistor.
On SKY130 that distance is 15 um from any diffusion to a tap (Tim Edwards of open_pdks on the SkyWater
open-source-silicon chat, on the HD cells: the flow must insert taps "such that they meet the required
latchup rule (< 15um) for the spacing between a tap ... and any diffusion"). The open flows use 14 um:
OpenLane's sky130_fd_sc_hd configuration sets FP_TAPCELL_DIST = 14 and ORFS's sky130hd platform runs
OpenROAD's `tapcell -distance 14 -tapcell_master sky130_fd_sc_hd__tapvpwrvgnd_1`, whose taps form a
checkerboard (alternate rows offset). This module reads 14 um as the reach: in each row a tap about
every 2 x 14 um, odd rows shifted by 14 um, so that every point of a row lies within 14 um of a tap of
its own row, and the well two neighbouring rows share has a tap about every 14 um.

Here each free stretch of a row (the row minus the macros and their halos) is walked from the left:
even rows start with a tap at the stretch's left end, odd rows with one `reach` um in; each next tap
goes as far right as the site grid allows while leaving no gap of more than `reach` um on either side
of a point. A stretch narrower than the tap gets none (it can hold no cell either).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from tapeout.pnr.floorplan.rows import RowSegments


@dataclass(frozen=True)
class TapCell:
    """A placed well tap: row index and lower-left corner (x, y), um."""

    row: int
    x: float
    y: float


def segment_taps(a: float, b: float, first_centre: float, reach: float, width: float, site: float) -> list[float]:
    """Lower-left x (um, on the site grid counted from `a`) of the taps of the free stretch [a, b]:
    the first tap centred at or left of `first_centre`, every point within `reach` of a tap centre."""
    if b - a < width - 1e-9:
        return []
    if reach < width / 2 + site:
        raise ValueError(f"tap reach {reach:g} um is too short for a {width:g} um tap on {site:g} um sites")

    def snapped(centre):  # the rightmost site-grid x whose tap centre is at or left of `centre`, inside [a, b]
        x = a + math.floor((centre - width / 2 - a) / site + 1e-9) * site
        return min(max(x, a), a + math.floor((b - width - a) / site + 1e-9) * site)

    xs = [snapped(first_centre)]
    while xs[-1] + width / 2 + reach < b - 1e-9:
        x = snapped(xs[-1] + width / 2 + 2 * reach)
        if x <= xs[-1]:
            break
        xs.append(x)
    return xs


def place_taps(segments: RowSegments, reach: float, width: float, site: float) -> list[TapCell]:
    """Taps in every free segment of every row, staggered between even and odd rows (see module docstring)."""
    taps = []
    for r, a, b in zip(segments.row, segments.x0, segments.x1):
        r, a, b = int(r), float(a), float(b)
        first = a + width / 2 if r % 2 == 0 else a + reach
        y = round(float(segments.y[r]), 6)
        taps += [TapCell(r, round(x, 6), y) for x in segment_taps(a, b, first, reach, width, site)]
    return taps


def farthest_from_tap(segments: RowSegments, taps: list[TapCell], width: float) -> float:
    """The largest distance (um) from any point of any free segment to the nearest tap centre in its row
    (inf when a segment that can hold a tap has none)."""
    centres: dict[int, list[float]] = {}
    for t in taps:
        centres.setdefault(t.row, []).append(t.x + width / 2)
    worst = 0.0
    for r, a, b in zip(segments.row, segments.x0, segments.x1):
        c = np.sort(np.array([x for x in centres.get(int(r), []) if a - 1e-9 <= x <= b + 1e-9]))
        if c.size == 0:
            if b - a >= width - 1e-9:
                return math.inf
            continue
        gaps = np.diff(c) / 2 if c.size > 1 else np.zeros(0)
        worst = max(worst, float(c[0] - a), float(b - c[-1]), float(gaps.max(initial=0.0)))
    return worst


def rows_between_taps(core: tuple, n_rows: int, row_height: float, taps: list[TapCell],
                      width: float) -> np.ndarray:
    """Placement sub-rows `(y, x0, x1)` (um): every row of the core minus its taps."""
    x0, y0, x1, _ = core
    by_row: dict[int, list[float]] = {}
    for t in taps:
        by_row.setdefault(t.row, []).append(t.x)
    rows = []
    for r in range(n_rows):
        y = y0 + r * row_height
        start = x0
        for tx in sorted(by_row.get(r, [])):
            if tx - start > 1e-9:
                rows.append((y, start, tx))
            start = tx + width
        if x1 - start > 1e-9:
            rows.append((y, start, x1))
    return np.array(rows, dtype=np.float64).reshape(-1, 3)

"""Placement legality checker (signoff DRC reuses it).

Checks every movable cell for: lying outside the core (``out_of_core``), a lower edge
off the row grid (``off_row``: not on a row, or a multi-row cell whose rows are not all
there), outside the x extent of its rows (``outside_rows``, for problems with explicit
rows), a left edge off the site grid (``off_site``),
overlapping another movable cell (``overlap``), overlapping a fixed macro
(``macro_overlap``) or only its halo (``halo``). Fixed cells are taken as given.
"""

from collections import Counter
from dataclasses import dataclass

import numpy as np
from numba import njit

from tapeout.pnr.floorplan.rows import blockages, core_rows, nearest_row

__all__ = ["Violation", "check_legality", "count_by_kind"]

_EPS = 1e-6  # um


@dataclass(frozen=True)
class Violation:
    """One legality violation: its kind, the cells involved, where (um) and a message."""

    kind: str
    cells: tuple
    x: float
    y: float
    detail: str

    def __str__(self):
        return f"{self.kind} at ({self.x:.3f}, {self.y:.3f}) um: {self.detail}"


@njit(cache=True)
def _overlapping_pairs(row, start, end, bottom, top):
    """All pairs of entries in the same row whose rectangles intersect.

    Entries are sorted by (row, start); returns two index arrays.
    """
    n = row.shape[0]
    prefix_max = np.empty(n)
    first = np.empty(n, np.int64)
    out_a = []
    out_b = []
    for i in range(n):
        if i == 0 or row[i] != row[i - 1]:
            first[i] = i
            prefix_max[i] = end[i]
            continue
        first[i] = first[i - 1]
        prefix_max[i] = max(prefix_max[i - 1], end[i])
        j = i - 1
        while j >= first[i] and prefix_max[j] > start[i] + 1e-6:
            if end[j] > start[i] + 1e-6 and bottom[j] < top[i] - 1e-6 \
                    and bottom[i] < top[j] - 1e-6:
                out_a.append(j)
                out_b.append(i)
            j -= 1
    return np.array(out_a, np.int64), np.array(out_b, np.int64)


def _off_grid(value, origin, pitch):
    steps = (value - origin) / pitch
    return np.abs(steps - np.rint(steps)) * pitch > _EPS


def _explicit_rows(problem, mx, my, w, h):
    """Per cell: not on rows (its lower edge, or a row it spans, missing); outside the rows' x extent."""
    row_y, sub_row, sub_x0, sub_x1 = core_rows(problem)
    spans = np.maximum(np.rint(h / problem.row_height).astype(np.int64), 1)
    off_row = np.zeros(mx.shape[0], dtype=bool)
    outside = np.zeros(mx.shape[0], dtype=bool)
    key = sub_row * 1e12 + sub_x0
    for k in range(int(spans.max(initial=1))):
        has = spans > k
        want = my[has] + k * problem.row_height
        r = nearest_row(row_y, want)
        missing = np.abs(row_y[r] - want) > _EPS
        sub = np.searchsorted(key, r * 1e12 + mx[has] + _EPS, side="right") - 1
        sub = np.clip(sub, 0, key.shape[0] - 1)
        beyond = (sub_row[sub] != r) | (mx[has] < sub_x0[sub] - _EPS) | (mx[has] + w[has] > sub_x1[sub] + _EPS)
        off_row[has] |= missing
        outside[has] |= beyond
    return off_row, outside


def check_legality(problem, x, y, halo=None):
    """List the legality violations of a placement.

    Parameters
    ----------
    problem : PlacementProblem
    x, y : array of float, shape (n_cells,)
        Lower-left corners, um.
    halo : float or None
        Macro halo, um; default ``problem.halo``.

    Returns
    -------
    list of Violation
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    names = problem.cell_names
    cx0, cy0, cx1, cy1 = problem.core
    ids = np.flatnonzero(problem.movable)
    w, h = problem.width[ids], problem.height[ids]
    mx, my = x[ids], y[ids]
    violations = []

    outside = (mx < cx0 - _EPS) | (my < cy0 - _EPS) | (mx + w > cx1 + _EPS) \
        | (my + h > cy1 + _EPS)
    for k in np.flatnonzero(outside):
        violations.append(Violation("out_of_core", (names[ids[k]],), mx[k], my[k],
                                    f"cell {names[ids[k]]} extends outside the core"))
    if problem.rows is None:
        off_row = _off_grid(my, cy0, problem.row_height)
    else:
        off_row, outside = _explicit_rows(problem, mx, my, w, h)
        for k in np.flatnonzero(outside & ~off_row):
            violations.append(Violation("outside_rows", (names[ids[k]],), mx[k], my[k],
                                        f"cell {names[ids[k]]} extends beyond the ends of its rows"))
    for k in np.flatnonzero(off_row):
        violations.append(Violation("off_row", (names[ids[k]],), mx[k], my[k],
                                    f"cell {names[ids[k]]} is not on a row"))
    for k in np.flatnonzero(_off_grid(mx, cx0, problem.site_width)):
        violations.append(Violation("off_site", (names[ids[k]],), mx[k], my[k],
                                    f"cell {names[ids[k]]} is not on a site"))

    # Cell-to-cell overlaps: bucket cells into every row they touch, sweep each row.
    rh = problem.row_height
    first_row = np.floor((my - cy0) / rh + 1e-9).astype(np.int64)
    last_row = np.maximum(np.ceil((my + h - cy0) / rh - 1e-9).astype(np.int64) - 1, first_row)
    span = last_row - first_row + 1
    entry = np.repeat(np.arange(ids.shape[0]), span)
    entry_row = first_row[entry] + (np.arange(entry.shape[0])
                                    - np.repeat(np.cumsum(span) - span, span))
    order = np.lexsort((mx[entry], entry_row))
    entry, entry_row = entry[order], entry_row[order]
    a, b = _overlapping_pairs(entry_row, mx[entry], mx[entry] + w[entry], my[entry],
                              my[entry] + h[entry])
    seen = set()
    for ea, eb in zip(entry[a], entry[b]):
        pair = (min(ea, eb), max(ea, eb))
        if pair in seen or ea == eb:
            continue
        seen.add(pair)
        ca, cb = names[ids[pair[0]]], names[ids[pair[1]]]
        violations.append(Violation("overlap", (ca, cb), max(mx[ea], mx[eb]),
                                    max(my[ea], my[eb]), f"cells {ca} and {cb} overlap"))

    # Macros and their halos.
    halo = problem.halo if halo is None else halo
    fixed = np.flatnonzero(~problem.movable & (problem.width > 0) & (problem.height > 0))
    if fixed.size and ids.size:
        by_x = np.argsort(mx, kind="stable")
        sorted_x = mx[by_x]
        widest = float(w.max())
        bare = blockages(problem, 0.0)
        grown = blockages(problem, halo)
        for m, (bx0, by0, bx1, by1), (gx0, gy0, gx1, gy1) in zip(fixed, bare, grown):
            lo = np.searchsorted(sorted_x, gx0 - widest, side="left")
            hi = np.searchsorted(sorted_x, gx1, side="left")
            near = by_x[lo:hi]
            left, right = mx[near], mx[near] + w[near]
            low, high = my[near], my[near] + h[near]
            in_grown = (left < gx1 - _EPS) & (right > gx0 + _EPS) & (low < gy1 - _EPS) \
                & (high > gy0 + _EPS)
            in_bare = (left < bx1 - _EPS) & (right > bx0 + _EPS) & (low < by1 - _EPS) \
                & (high > by0 + _EPS)
            for j in np.flatnonzero(in_grown):
                k = near[j]
                kind = "macro_overlap" if in_bare[j] else "halo"
                what = "overlaps macro" if kind == "macro_overlap" else "is inside the halo of"
                violations.append(Violation(kind, (names[ids[k]], names[m]), mx[k], my[k],
                                            f"cell {names[ids[k]]} {what} {names[m]}"))
    return violations


def count_by_kind(violations):
    """Number of violations of each kind, as a dict."""
    return dict(Counter(v.kind for v in violations))

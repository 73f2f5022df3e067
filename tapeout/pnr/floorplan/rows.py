"""Placement rows of the core, split into segments around fixed macros.

Rows are ``row_height`` tall. Without explicit rows, row ``r`` spans ``y0 + r * row_height``
to one row height above across the whole core; a problem may instead list its rows (sub-rows
``(y, x0, x1)``, as Bookshelf ``.scl`` files do), with gaps between them. A fixed cell of
non-zero area (grown by the macro halo) removes its x extent from every row it touches.
Segment ends are snapped inwards to the site grid (sites counted from the core's left edge).
"""

from typing import NamedTuple

import numpy as np

__all__ = ["RowSegments", "row_segments", "free_segments", "blockages", "core_rows", "nearest_row"]


class RowSegments(NamedTuple):
    """Free row segments, sorted by row then x. Lengths in um."""

    row: np.ndarray      # row index of each segment
    x0: np.ndarray       # left end, on a site
    x1: np.ndarray       # right end, on a site
    row_ptr: np.ndarray  # segments of row r: row_ptr[r]:row_ptr[r + 1]
    y: np.ndarray        # lower edge of each row (n_rows,)

    @property
    def capacity(self):
        """Total free length, um."""
        return float(np.sum(self.x1 - self.x0))


def blockages(problem, halo=None):
    """Rectangles ``(x0, y0, x1, y1)`` of fixed cells with area, grown by the halo, um."""
    halo = problem.halo if halo is None else halo
    fixed = ~problem.movable & (problem.width > 0) & (problem.height > 0)
    return np.stack([problem.x[fixed] - halo, problem.y[fixed] - halo,
                     problem.x[fixed] + problem.width[fixed] + halo,
                     problem.y[fixed] + problem.height[fixed] + halo], axis=1)


def core_rows(problem):
    """The rows of ``problem``: ``(row_y, sub_row, sub_x0, sub_x1)``: the lower edge of each row
    (sorted) and, per sub-row, its row index and x extent (um)."""
    x0, y0, x1, _ = problem.core
    if problem.rows is None:
        n_rows = problem.n_rows
        row_y = y0 + problem.row_height * np.arange(n_rows)
        return row_y, np.arange(n_rows), np.full(n_rows, x0), np.full(n_rows, x1)
    rows = problem.rows
    row_y, sub_row = np.unique(rows[:, 0], return_inverse=True)
    return row_y, sub_row.astype(np.int64), rows[:, 1].copy(), rows[:, 2].copy()


def nearest_row(row_y, y):
    """Index of the row whose lower edge is nearest each ``y`` (um); ``row_y`` sorted."""
    y = np.asarray(y, dtype=np.float64)
    above = np.clip(np.searchsorted(row_y, y), 1, max(row_y.shape[0] - 1, 1))
    below = above - 1
    if row_y.shape[0] == 1:
        return np.zeros(y.shape, dtype=np.int64)
    return np.where(np.abs(row_y[above] - y) < np.abs(y - row_y[below]), above, below).astype(np.int64)


def row_segments(problem):
    """Free segments of every row of ``problem`` (see module docstring)."""
    row_y, sub_row, sub_x0, sub_x1 = core_rows(problem)
    return free_segments(row_y, sub_row, sub_x0, sub_x1, blockages(problem), problem.core[0],
                         problem.site_width, problem.row_height)


def free_segments(row_y, sub_row, sub_x0, sub_x1, blocks, x0, site, row_height):
    """Free segments of the sub-rows ``(sub_row, sub_x0, sub_x1)`` of rows with lower edges ``row_y``,
    around the rectangles ``blocks`` (``(x0, y0, x1, y1)`` rows, um); sites counted from ``x0``."""
    blocks = np.asarray(blocks, dtype=np.float64).reshape(-1, 4)
    eps = 1e-9
    rows, lefts, rights = [], [], []
    for r, a, b in zip(sub_row, sub_x0 - x0, sub_x1 - x0):
        ylo, yhi = row_y[r], row_y[r] + row_height
        hit = blocks[(blocks[:, 1] < yhi - eps) & (blocks[:, 3] > ylo + eps)]
        hit = hit[np.argsort(hit[:, 0], kind="stable")]
        start = np.ceil(a / site - 1e-9) * site
        last = np.floor(b / site + 1e-9) * site
        for bx0, bx1 in zip(hit[:, 0] - x0, hit[:, 2] - x0):
            end = min(np.floor(bx0 / site + 1e-9) * site, last)
            if end - start >= site - eps:
                rows.append(r), lefts.append(start), rights.append(end)
            start = max(start, np.ceil(bx1 / site - 1e-9) * site)
        if last - start >= site - eps:
            rows.append(r), lefts.append(start), rights.append(last)
    row = np.asarray(rows, dtype=np.int64)
    left = x0 + np.asarray(lefts, dtype=np.float64)
    right = x0 + np.asarray(rights, dtype=np.float64)
    keep = right - left >= site - eps
    row, left, right = row[keep], left[keep], right[keep]
    order = np.lexsort((left, row))
    row, left, right = row[order], left[order], right[order]
    row_ptr = np.zeros(row_y.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(row, minlength=row_y.shape[0]), out=row_ptr[1:])
    return RowSegments(row, left, right, row_ptr, row_y)

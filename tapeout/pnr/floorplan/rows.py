"""Placement rows of the core, split into segments around fixed macros.

Row ``r`` spans ``y0 + r * row_height`` to one row height above; a fixed cell of
non-zero area (grown by the macro halo) removes its x extent from every row it
touches. Segment ends are snapped inwards to the site grid.
"""

from typing import NamedTuple

import numpy as np

__all__ = ["RowSegments", "row_segments", "blockages"]


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


def row_segments(problem):
    """Free segments of every core row of ``problem`` (see module docstring)."""
    x0, y0, x1, _ = problem.core
    site = problem.site_width
    n_rows = problem.n_rows
    row_y = y0 + problem.row_height * np.arange(n_rows)
    blocks = blockages(problem)
    first_site = 0.0
    last_site = np.floor((x1 - x0) / site + 1e-9) * site
    rows, lefts, rights = [], [], []
    eps = 1e-9
    for r in range(n_rows):
        ylo, yhi = row_y[r], row_y[r] + problem.row_height
        hit = blocks[(blocks[:, 1] < yhi - eps) & (blocks[:, 3] > ylo + eps)]
        hit = hit[np.argsort(hit[:, 0], kind="stable")]
        start = first_site
        for bx0, bx1 in zip(hit[:, 0] - x0, hit[:, 2] - x0):
            end = np.floor(bx0 / site + 1e-9) * site
            if end - start >= site - eps:
                rows.append(r), lefts.append(start), rights.append(min(end, last_site))
            start = max(start, np.ceil(bx1 / site - 1e-9) * site)
        if last_site - start >= site - eps:
            rows.append(r), lefts.append(start), rights.append(last_site)
    row = np.asarray(rows, dtype=np.int64)
    left = x0 + np.asarray(lefts, dtype=np.float64)
    right = x0 + np.asarray(rights, dtype=np.float64)
    keep = right - left >= site - eps
    row, left, right = row[keep], left[keep], right[keep]
    row_ptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(row, minlength=n_rows), out=row_ptr[1:])
    return RowSegments(row, left, right, row_ptr, row_y)

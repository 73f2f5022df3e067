"""NLDM tables packed into flat arrays for compiled look-ups.

:class:`TablePack` stores many :class:`tapeout.tech.nldm.Table` objects as padded
arrays so that a numba kernel (:func:`lookup`) can interpolate any of them by index.
The interpolation is the one of :func:`tapeout.tech.nldm.interpolate` (bilinear inside
the grid, linear extrapolation from the two nearest index points outside it, as
OpenSTA and PrimeTime do); a 1-D table has a single ``index_2`` point.
Index 1 is the input transition (ns), index 2 the output load (pF) for delay and
slew tables, the related-pin transition (ns) for constraint tables.
"""

import numba
import numpy as np

__all__ = ["TablePack", "lookup"]


@numba.njit(cache=True, inline="always")
def _segment(index, n, x):
    """Lower point of the bracketing (or nearest end) segment of ``index[:n]`` and the fraction."""
    if n == 1:
        return 0, 0, 0.0
    i = 0
    while i < n - 2 and x >= index[i + 1]:
        i += 1
    x0 = index[i]
    return i, i + 1, (x - x0) / (index[i + 1] - x0)


@numba.njit(cache=True)
def lookup(table, x, y, index_1, size_1, index_2, size_2, values):
    """Value of packed table ``table`` at ``(x, y)`` (see :class:`TablePack` for the arrays)."""
    i, i1, t = _segment(index_1[table], size_1[table], x)
    j, j1, u = _segment(index_2[table], size_2[table], y)
    v = values[table]
    return (v[i, j] * (1.0 - t) * (1.0 - u) + v[i1, j] * t * (1.0 - u)
            + v[i, j1] * (1.0 - t) * u + v[i1, j1] * t * u)


class TablePack:
    """Padded arrays holding a list of NLDM tables; :meth:`add` returns a table's id.

    Attributes (after :meth:`freeze`)
    ---------------------------------
    index_1, index_2 : ndarray of float, shape (n_tables, max_points)
    size_1, size_2 : ndarray of int64, shape (n_tables,)
    values : ndarray of float, shape (n_tables, max_1, max_2)
    """

    def __init__(self):
        self._tables = []
        self._ids = {}

    def add(self, table) -> int:
        """Id of ``table`` (a :class:`tapeout.tech.nldm.Table`), adding it on first sight."""
        key = id(table)
        if key not in self._ids:
            self._ids[key] = len(self._tables)
            self._tables.append(table)
        return self._ids[key]

    def __len__(self):
        return len(self._tables)

    def freeze(self):
        """Build the padded arrays; call once every table has been added."""
        n = max(len(self._tables), 1)
        sizes_1 = [len(t.index_1) for t in self._tables] or [1]
        sizes_2 = [max(len(t.index_2), 1) for t in self._tables] or [1]
        m1, m2 = max(sizes_1), max(sizes_2)
        self.index_1 = np.zeros((n, m1))
        self.index_2 = np.zeros((n, m2))
        self.values = np.zeros((n, m1, m2))
        self.size_1 = np.ones(n, dtype=np.int64)
        self.size_2 = np.ones(n, dtype=np.int64)
        for k, table in enumerate(self._tables):
            n1, n2 = len(table.index_1), max(len(table.index_2), 1)
            self.index_1[k, :n1] = table.index_1
            if len(table.index_2):
                self.index_2[k, :n2] = table.index_2
            self.values[k, :n1, :n2] = np.asarray(table.values, dtype=float).reshape(n1, n2)
            self.size_1[k], self.size_2[k] = n1, n2
        return self

    @property
    def arrays(self):
        """The arguments of :func:`lookup` after the table id and query point."""
        return self.index_1, self.size_1, self.index_2, self.size_2, self.values

    def __call__(self, table, x, y=0.0):
        """Interpolate table ``table`` at ``(x, y)`` (for reports and tests)."""
        return float(lookup(table, float(x), float(y), *self.arrays))

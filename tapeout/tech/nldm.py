"""NLDM table look-up: bilinear interpolation, linear extrapolation outside the grid.

Static timing tools (OpenSTA, PrimeTime) extrapolate NLDM tables linearly from the
two nearest index points; this does the same, vectorised over numpy arrays.
"""

from dataclasses import dataclass

import numpy as np


def _segment(index: np.ndarray, x: np.ndarray):
    """Lower index of the bracketing (or nearest end) segment and the fraction in it."""
    if index.size == 1:
        return np.zeros(x.shape, dtype=np.intp), np.zeros(x.shape)
    i = np.clip(np.searchsorted(index, x, side="right") - 1, 0, index.size - 2)
    x0 = index[i]
    return i, (x - x0) / (index[i + 1] - x0)


def interpolate(index_1, index_2, values, x, y=None):
    """Value of a 1-D or 2-D table at ``x`` (and ``y``), broadcasting array inputs.

    Parameters
    ----------
    index_1 : numpy.ndarray
        Strictly increasing first index (e.g. input transition, ns).
    index_2 : numpy.ndarray or None
        Strictly increasing second index (e.g. output load, pF); None or empty for 1-D.
    values : numpy.ndarray
        Shape ``(len(index_1), len(index_2))`` or ``(len(index_1),)``.
    x, y : float or numpy.ndarray
        Query points; outside the index range the nearest segment is extended.

    Returns
    -------
    float or numpy.ndarray
    """
    index_1 = np.asarray(index_1, dtype=float)
    values = np.asarray(values, dtype=float)
    x = np.asarray(x, dtype=float)
    if index_2 is None or len(index_2) == 0:
        flat = values.reshape(-1)
        i, t = _segment(index_1, x)
        j = np.minimum(i + 1, flat.size - 1)
        result = flat[i] * (1.0 - t) + flat[j] * t
        return float(result) if result.ndim == 0 else result
    index_2 = np.asarray(index_2, dtype=float)
    x, y = np.broadcast_arrays(x, np.asarray(y, dtype=float))
    values = values.reshape(index_1.size, index_2.size)
    i, t = _segment(index_1, x)
    j, u = _segment(index_2, y)
    i1 = np.minimum(i + 1, index_1.size - 1)
    j1 = np.minimum(j + 1, index_2.size - 1)
    result = (values[i, j] * (1.0 - t) * (1.0 - u) + values[i1, j] * t * (1.0 - u)
              + values[i, j1] * (1.0 - t) * u + values[i1, j1] * t * u)
    return float(result) if result.ndim == 0 else result


@dataclass(frozen=True)
class Table:
    """An NLDM table with its indices; call it to interpolate.

    ``index_2`` is empty for 1-D tables (e.g. input-pin internal energy).
    """

    index_1: np.ndarray
    index_2: np.ndarray
    values: np.ndarray

    def __call__(self, x, y=None):
        return interpolate(self.index_1, self.index_2, self.values, x, y)

"""Analytic (quadratic) global placement with the bound-to-bound net model and
SimPL/HeAP-style spreading.

Each net is replaced, per axis, by the bound-to-bound (B2B) model of Spindler,
Schlichtmann and Johannes ("Kraftwerk2", IEEE TCAD 2008): its leftmost and rightmost
pins are connected to each other and to every other pin with weight
``2 / ((p - 1) * distance)``, so the quadratic cost equals the HPWL at the current
positions. Fixed cells (macros, I/O pins) enter as constants, anchoring the system.
The resulting sparse linear system (assembled with scipy.sparse) is solved with
Jacobi-preconditioned conjugate gradients compiled with numba (no BLAS threads to fight
over on a shared machine). Solutions collapse into dense clusters, so each iteration also spreads
the cells over the slot grid (`tapeout.pnr.place.spread`) and pulls them toward their spread
positions with anchor pseudo-nets of weight ``ANCHOR_BASE * ANCHOR_GROWTH ** k / distance``
at iteration k (Kim, Lee and Markov, "SimPL", ISPD 2010, grow it linearly; a geometric
growth converged in fewer iterations on our synthetic netlists), until
the quadratic (lower-bound) and spread (upper-bound) wirelengths are within ``gap``.
The spreading gives every free region at least ``MIN_SHARE`` of its area-proportional
share of cells, so a low-utilisation core is used up to its far corners instead of
being packed one cell per slot next to the pins that attract the cells.
"""

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sparse
from numba import njit

from tapeout.pnr.place.spread import spread_to_slots

__all__ = ["AnalyticResult", "analytic_placement", "quadratic_placement"]

ANCHOR_BASE = 0.02   # anchor weight at the first spreading iteration, 1/um
ANCHOR_GROWTH = 1.5  # its growth per iteration
MIN_SHARE = 0.5      # least fraction of its area-proportional share a region gets


@dataclass
class AnalyticResult:
    """Result of `analytic_placement`: slot of every movable cell, positions (um) of
    the spread placement, lower- and upper-bound HPWL per iteration (um)."""

    rows: np.ndarray
    cols: np.ndarray
    x: np.ndarray
    y: np.ndarray
    lower_bound: list
    upper_bound: list


class _Netlist:
    """Weighted pins of the nets that take part, in net order."""

    def __init__(self, problem, weight):
        used = (weight > 0) & (problem.fanout >= 2)
        keep = used[problem.pin_net]
        pins = problem.net_pins[keep]
        self.cell = problem.pin_cell[pins]
        self.dx = problem.pin_dx[pins]
        self.dy = problem.pin_dy[pins]
        net = problem.pin_net[keep]
        # Renumber the nets 0..m-1 in order; CSR starts of each net's pins.
        self.start = np.flatnonzero(np.r_[True, net[1:] != net[:-1]])
        self.degree = np.diff(np.r_[self.start, net.shape[0]])
        self.net = np.repeat(np.arange(self.start.shape[0]), self.degree)
        self.weight = weight[net[self.start]]


def _b2b_system(nl, pos, offset, movable_index, n_movable, min_distance):
    """Sparse matrix and right-hand side of one axis' B2B model at positions ``pos``."""
    pin_pos = pos[nl.cell] + offset
    order = np.lexsort((pin_pos, nl.net))
    low = order[nl.start]
    high = order[nl.start + nl.degree - 1]
    pins = np.arange(nl.cell.shape[0])
    net = nl.net
    # Every pin to the low bound (the low bound itself excluded); every pin that is
    # neither bound to the high bound. Together: the B2B connections of each net.
    not_low = pins != low[net]
    inner = not_low & (pins != high[net])
    p = np.concatenate([pins[not_low], pins[inner]])
    q = np.concatenate([low[net[not_low]], high[net[inner]]])
    n_of = net[p]
    distance = np.maximum(np.abs(pin_pos[p] - pin_pos[q]), min_distance)
    w = nl.weight[n_of] * 2.0 / ((nl.degree[n_of] - 1) * distance)
    a, b = nl.cell[p], nl.cell[q]
    d = offset[p] - offset[q]
    ia, ib = movable_index[a], movable_index[b]
    diag = np.zeros(n_movable)
    rhs = np.zeros(n_movable)
    ma, mb = ia >= 0, ib >= 0
    np.add.at(diag, ia[ma], w[ma])
    np.add.at(diag, ib[mb], w[mb])
    both = ma & mb & (a != b)
    # a movable: rhs += -w d (b movable) or w (X_b - d) (b fixed); symmetric for b.
    np.add.at(rhs, ia[ma & mb], -w[ma & mb] * d[ma & mb])
    np.add.at(rhs, ib[ma & mb], w[ma & mb] * d[ma & mb])
    fa = ma & ~mb
    np.add.at(rhs, ia[fa], w[fa] * (pos[b[fa]] - d[fa]))
    fb = mb & ~ma
    np.add.at(rhs, ib[fb], w[fb] * (pos[a[fb]] + d[fb]))
    same = ma & mb & (a == b)
    np.subtract.at(diag, ia[same], 2 * w[same])
    off = sparse.coo_matrix((np.concatenate([-w[both], -w[both]]),
                             (np.concatenate([ia[both], ib[both]]),
                              np.concatenate([ib[both], ia[both]]))),
                            shape=(n_movable, n_movable))
    return off.tocsr(), diag, rhs


@njit(cache=True)
def _dot(a, b):
    total = 0.0
    for i in range(a.shape[0]):
        total += a[i] * b[i]
    return total


@njit(cache=True)
def _pcg(indptr, indices, data, diag, b, x, rtol, max_iterations):
    """Solve ``(A + diag(diag)) x = b`` (A in CSR, symmetric positive definite) by
    Jacobi-preconditioned conjugate gradients from the guess ``x`` (updated)."""
    n = b.shape[0]
    r = np.empty(n)
    for i in range(n):
        acc = diag[i] * x[i]
        for k in range(indptr[i], indptr[i + 1]):
            acc += data[k] * x[indices[k]]
        r[i] = b[i] - acc
    z = r / diag
    p = z.copy()
    rz = _dot(r, z)
    target = rtol * np.sqrt(_dot(b, b))
    ap = np.empty(n)
    for _ in range(max_iterations):
        if np.sqrt(_dot(r, r)) <= target:
            break
        for i in range(n):
            acc = diag[i] * p[i]
            for k in range(indptr[i], indptr[i + 1]):
                acc += data[k] * p[indices[k]]
            ap[i] = acc
        alpha = rz / _dot(p, ap)
        rz_new = 0.0
        for i in range(n):
            x[i] += alpha * p[i]
            r[i] -= alpha * ap[i]
            z[i] = r[i] / diag[i]
            rz_new += r[i] * z[i]
        beta = rz_new / rz
        for i in range(n):
            p[i] = z[i] + beta * p[i]
        rz = rz_new
    return x


def _solve_axis(nl, pos, offset, movable_ids, movable_index, anchor, anchor_weight,
                min_distance, centre):
    n = movable_ids.shape[0]
    off, diag, rhs = _b2b_system(nl, pos, offset, movable_index, n, min_distance)
    # A weak pull to the core centre keeps unconnected cells determined.
    diag = diag + anchor_weight + 1e-9
    rhs = rhs + anchor_weight * anchor + 1e-9 * centre
    off.sum_duplicates()
    return _pcg(off.indptr, off.indices, off.data, diag, rhs, pos[movable_ids].copy(),
                1e-6, 300)


def _hpwl(nl, x, y):
    px = x[nl.cell] + nl.dx
    py = y[nl.cell] + nl.dy
    span = (np.maximum.reduceat(px, nl.start) - np.minimum.reduceat(px, nl.start)
            + np.maximum.reduceat(py, nl.start) - np.minimum.reduceat(py, nl.start))
    return float(np.sum(nl.weight * span))


def _unconstrained(problem, nl, movable_ids, movable_index, rng, iterations):
    """B2B iterations from the core centre (jittered): the unconstrained quadratic optimum."""
    x0, y0, x1, y1 = problem.core
    x = problem.x.copy()
    y = problem.y.copy()
    centre_x, centre_y = 0.5 * (x0 + x1), 0.5 * (y0 + y1)
    n = movable_ids.shape[0]
    x[movable_ids] = centre_x - problem.width[movable_ids] / 2 + rng.normal(0, 1e-3 * (x1 - x0), n)
    y[movable_ids] = centre_y - problem.height[movable_ids] / 2 + rng.normal(0, 1e-3 * (y1 - y0), n)
    min_distance = 0.5 * problem.row_height
    zero = np.zeros(n)
    for _ in range(iterations):
        x[movable_ids] = _solve_axis(nl, x, nl.dx, movable_ids, movable_index, zero, 0.0,
                                     min_distance, centre_x)
        y[movable_ids] = _solve_axis(nl, y, nl.dy, movable_ids, movable_index, zero, 0.0,
                                     min_distance, centre_y)
    return x, y


def quadratic_placement(problem, weight, rng, iterations=5):
    """The unconstrained B2B quadratic placement (overlapping), lower-left corners in um.

    Parameters
    ----------
    problem : PlacementProblem
    weight : array of float, shape (n_nets,)
        Per-net cost weights (0 = left out).
    rng : numpy.random.Generator
        Seeds the small jitter of the starting point.
    iterations : int
        B2B re-linearisations.

    Returns
    -------
    x, y : array of float, shape (n_cells,)
        Fixed cells unchanged.
    """
    nl = _Netlist(problem, weight)
    movable_ids = np.flatnonzero(problem.movable)
    movable_index = np.full(problem.n_cells, -1, dtype=np.int64)
    movable_index[movable_ids] = np.arange(movable_ids.shape[0])
    return _unconstrained(problem, nl, movable_ids, movable_index, rng, iterations)


def analytic_placement(problem, grid, weight, rng, max_iterations=20, gap=0.12,
                       progress=None, min_share=MIN_SHARE):
    """Quadratic placement of the movable cells, spread onto ``grid``'s free slots.

    Parameters
    ----------
    problem : PlacementProblem
    grid : SlotGrid
        Slots to spread onto (its occupancy is not changed).
    weight : array of float, shape (n_nets,)
        Per-net cost weights (0 = left out).
    rng : numpy.random.Generator
        Seeds the small jitter of the starting point.
    max_iterations : int
        Spreading iterations at most.
    gap : float
        Stop when ``(upper - lower) / upper`` falls below this.
    progress : callable(fraction, message) or None
    min_share : float in [0, 1]
        Least fraction of its capacity-proportional share of cells each half of a
        spreading cut receives (`tapeout.pnr.place.spread.spread_to_slots`).

    Returns
    -------
    AnalyticResult
    """
    if not isinstance(max_iterations, int) or max_iterations < 1:
        raise ValueError(f"max_iterations must be a positive integer, not {max_iterations!r}")
    nl = _Netlist(problem, weight)
    movable_ids = np.flatnonzero(problem.movable)
    movable_index = np.full(problem.n_cells, -1, dtype=np.int64)
    movable_index[movable_ids] = np.arange(movable_ids.shape[0])
    width = problem.width[movable_ids]
    height = problem.height[movable_ids]
    x, y = _unconstrained(problem, nl, movable_ids, movable_index, rng, 3)
    centre_x, centre_y = 0.5 * (problem.core[0] + problem.core[2]), 0.5 * (problem.core[1] + problem.core[3])
    min_distance = 0.5 * problem.row_height
    lower, upper = [], []
    for k in range(max_iterations):
        rows, cols = spread_to_slots(grid, x[movable_ids] + width / 2,
                                     y[movable_ids] + height / 2, min_share)
        sx = grid.x0 + (cols + 0.5) * grid.width - width / 2
        sy = grid.row_y[rows]
        spread_x, spread_y = x.copy(), y.copy()
        spread_x[movable_ids], spread_y[movable_ids] = sx, sy
        lower.append(_hpwl(nl, x, y))
        upper.append(_hpwl(nl, spread_x, spread_y))
        if progress is not None:
            progress((k + 1) / max_iterations,
                     f"quadratic iteration {k + 1}: HPWL {lower[-1]:.6g} / {upper[-1]:.6g} um")
        if upper[-1] - lower[-1] <= gap * upper[-1] or k + 1 == max_iterations:
            break
        alpha = ANCHOR_BASE * ANCHOR_GROWTH ** k
        wx = alpha / np.maximum(np.abs(x[movable_ids] - sx), min_distance)
        wy = alpha / np.maximum(np.abs(y[movable_ids] - sy), min_distance)
        x[movable_ids] = _solve_axis(nl, x, nl.dx, movable_ids, movable_index, sx, wx,
                                     min_distance, centre_x)
        y[movable_ids] = _solve_axis(nl, y, nl.dy, movable_ids, movable_index, sy, wy,
                                     min_distance, centre_y)
    return AnalyticResult(rows, cols, spread_x, spread_y, lower, upper)

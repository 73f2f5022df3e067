"""Bounding-box wirelength cost (HPWL) with incremental per-net updates.

The cost of a placement is ``sum_n weight[n] * (bbox_w[n] + bbox_h[n])`` over the nets
that take part (ignored nets have weight 0 and are never evaluated). Each net's
bounding box is cached; a move recomputes only the boxes of the nets on the moved
cells into scratch rows and returns the cost delta; `commit` makes them current once
the move is accepted (the pattern of nextpnr's ``placer1.cc``).

Memory layout is chosen for the annealer's accesses: everything a move reads about a
net is one 64-byte row of ``NetTable.net`` (box, cost, weight, first pin, pin count),
and the absolute pin positions of a net are consecutive rows of ``NetTable.pin_xy``,
kept in step with the cell positions by `sync_pins` (a move first updates the pins of
the moved cells), so a touched net costs about two cache lines. `full_cost` ignores
that cache and recomputes from the cell positions.

An optional timing term re-weights each net by its criticality (net weighting):
``weight[n] = net_weight[n] * (1 + timing_weight * criticality[n] ** exponent)``.
"""

from typing import NamedTuple

import numpy as np
from numba import njit

__all__ = ["NetTable", "net_cost_weights", "net_table", "net_bbox", "fill_boxes",
           "full_cost", "move_delta", "cells_delta", "commit", "sync_pins", "hpwl",
           "XMIN", "XMAX", "YMIN", "YMAX", "COST", "WEIGHT", "FIRST", "COUNT"]

# Columns of NetTable.net.
XMIN, XMAX, YMIN, YMAX, COST, WEIGHT, FIRST, COUNT = range(8)


class NetTable(NamedTuple):
    """Connectivity, cost weights, cached boxes and move scratch for the kernels.

    net : (n_nets, 8) float64
        Per net: xmin, xmax, ymin, ymax (um), weighted cost (um), weight, index of its
        first row in ``pin``, number of pins.
    pin : (n_net_pins, 3) float64
        Per net pin, in net order: cell index, offset from the cell's lower-left x, y (um).
    pin_xy : (n_net_pins, 2) float64
        Cached absolute pin positions, um (see `sync_pins`).
    cell_pin_ptr, cell_pins : int64, int32
        Rows of ``pin`` of each cell on weighted nets, CSR.
    cell_net_ptr, cell_nets : int64, int32
        Weighted nets of each cell, CSR, each net once per cell.
    n_touched : (1,) int64
        Nets held in the scratch rows by the pending move.
    touched : int32
        Their indices.
    new : (k, 5) float64
        Their new box and cost.
    """

    net: np.ndarray
    pin: np.ndarray
    pin_xy: np.ndarray
    cell_pin_ptr: np.ndarray
    cell_pins: np.ndarray
    cell_net_ptr: np.ndarray
    cell_nets: np.ndarray
    n_touched: np.ndarray
    touched: np.ndarray
    new: np.ndarray


def net_cost_weights(problem, criticality=None, timing_weight=0.0, exponent=1.0):
    """Per-net cost weights: net weight, times the timing term, 0 for ignored nets.

    Parameters
    ----------
    problem : PlacementProblem
    criticality : array of float in [0, 1], shape (n_nets,), or None
        Net criticality from static timing (1 = on the critical path).
    timing_weight : float
        How much a fully critical net counts over a non-critical one (0 = off).
    exponent : float
        Criticality exponent (VPR's ``td_place_exp``); higher focuses on the worst nets.
    """
    weight = problem.net_weight.copy()
    if criticality is not None:
        criticality = np.asarray(criticality, dtype=np.float64)
        if criticality.shape != (problem.n_nets,):
            raise ValueError(f"criticality must have shape ({problem.n_nets},), "
                             f"not {criticality.shape}")
        if np.any((criticality < 0) | (criticality > 1)):
            raise ValueError("criticality must lie in [0, 1]")
        if timing_weight < 0:
            raise ValueError(f"timing_weight must be non-negative, not {timing_weight!r}")
        weight *= 1.0 + timing_weight * criticality ** exponent
    weight[problem.net_ignored] = 0.0
    weight[problem.fanout < 2] = 0.0
    return weight


def net_table(problem, weight, cells_per_move=2):
    """Build the kernels' `NetTable` from a problem and per-net cost weights.

    Boxes are left empty; fill them with `fill_boxes`. Scratch is sized for moves
    of up to ``cells_per_move`` cells.
    """
    weight = np.ascontiguousarray(weight, dtype=np.float64)
    cell_net_ptr, cell_nets = problem.cell_nets(weight > 0)
    net = np.zeros((problem.n_nets, 8))
    net[:, WEIGHT] = weight
    net[:, FIRST] = problem.net_ptr[:-1]
    net[:, COUNT] = problem.fanout
    pins = problem.net_pins
    pin = np.stack([problem.pin_cell[pins].astype(np.float64), problem.pin_dx[pins],
                    problem.pin_dy[pins]], axis=1)
    scratch = int(np.diff(cell_net_ptr).max(initial=0)) * cells_per_move
    entry_cell = problem.pin_cell[pins]
    on_weighted = np.flatnonzero((weight > 0)[problem.pin_net])
    cell_pins = on_weighted[np.argsort(entry_cell[on_weighted], kind="stable")]
    cell_pin_ptr = np.zeros(problem.n_cells + 1, dtype=np.int64)
    np.cumsum(np.bincount(entry_cell[on_weighted], minlength=problem.n_cells),
              out=cell_pin_ptr[1:])
    return NetTable(net, np.ascontiguousarray(pin), np.zeros((pin.shape[0], 2)), cell_pin_ptr,
                    cell_pins.astype(np.int32), cell_net_ptr, cell_nets.astype(np.int32),
                    np.zeros(1, np.int64), np.zeros(scratch, np.int32), np.zeros((scratch, 5)))


@njit(cache=True)
def sync_pins(table, xy, c):
    """Update the cached positions of cell ``c``'s pins from ``xy`` (um)."""
    for i in range(table.cell_pin_ptr[c], table.cell_pin_ptr[c + 1]):
        k = table.cell_pins[i]
        table.pin_xy[k, 0] = xy[c, 0] + table.pin[k, 1]
        table.pin_xy[k, 1] = xy[c, 1] + table.pin[k, 2]


@njit(cache=True)
def net_bbox(table, n):
    """Bounding box ``(xmin, xmax, ymin, ymax)`` of net ``n``'s cached pins, um."""
    xmin = np.inf
    xmax = -np.inf
    ymin = np.inf
    ymax = -np.inf
    first = np.int64(table.net[n, FIRST])
    for k in range(first, first + np.int64(table.net[n, COUNT])):
        px = table.pin_xy[k, 0]
        py = table.pin_xy[k, 1]
        if px < xmin:
            xmin = px
        if px > xmax:
            xmax = px
        if py < ymin:
            ymin = py
        if py > ymax:
            ymax = py
    return xmin, xmax, ymin, ymax


@njit(cache=True)
def _fresh_net_span(table, n, xy):
    """Half-perimeter of net ``n`` from the cell positions ``xy``, cache unused, um."""
    xmin = np.inf
    xmax = -np.inf
    ymin = np.inf
    ymax = -np.inf
    first = np.int64(table.net[n, FIRST])
    for k in range(first, first + np.int64(table.net[n, COUNT])):
        c = np.int64(table.pin[k, 0])
        px = xy[c, 0] + table.pin[k, 1]
        py = xy[c, 1] + table.pin[k, 2]
        xmin = min(xmin, px)
        xmax = max(xmax, px)
        ymin = min(ymin, py)
        ymax = max(ymax, py)
    return (xmax - xmin) + (ymax - ymin)


@njit(cache=True)
def fill_boxes(table, xy):
    """Recompute every pin position, weighted net box and cost from the cell
    positions ``xy`` (um); return the total cost, um."""
    for k in range(table.pin.shape[0]):
        c = np.int64(table.pin[k, 0])
        table.pin_xy[k, 0] = xy[c, 0] + table.pin[k, 1]
        table.pin_xy[k, 1] = xy[c, 1] + table.pin[k, 2]
    total = 0.0
    for n in range(table.net.shape[0]):
        weight = table.net[n, WEIGHT]
        if weight > 0:
            xmin, xmax, ymin, ymax = net_bbox(table, n)
            table.net[n, XMIN] = xmin
            table.net[n, XMAX] = xmax
            table.net[n, YMIN] = ymin
            table.net[n, YMAX] = ymax
            table.net[n, COST] = weight * ((xmax - xmin) + (ymax - ymin))
            total += table.net[n, COST]
        else:
            table.net[n, COST] = 0.0
    return total


@njit(cache=True)
def full_cost(table, xy):
    """Total weighted cost recomputed from scratch, cache untouched, um."""
    total = 0.0
    for n in range(table.net.shape[0]):
        weight = table.net[n, WEIGHT]
        if weight > 0:
            total += weight * _fresh_net_span(table, n, xy)
    return total


@njit(cache=True)
def _add_cell_nets(table, c, count, check_from):
    """Recompute the nets of cell ``c`` into scratch rows from ``count`` on, skipping
    nets already held in rows ``check_from:count``; return (new count, cost delta)."""
    delta = 0.0
    end_of_check = count
    for k in range(table.cell_net_ptr[c], table.cell_net_ptr[c + 1]):
        n = table.cell_nets[k]
        shared = False
        for i in range(check_from, end_of_check):
            if table.touched[i] == n:
                shared = True
                break
        if shared:
            continue
        xmin, xmax, ymin, ymax = net_bbox(table, n)
        cost = table.net[n, WEIGHT] * ((xmax - xmin) + (ymax - ymin))
        table.touched[count] = n
        table.new[count, 0] = xmin
        table.new[count, 1] = xmax
        table.new[count, 2] = ymin
        table.new[count, 3] = ymax
        table.new[count, 4] = cost
        delta += cost - table.net[n, COST]
        count += 1
    return count, delta


@njit(cache=True)
def move_delta(table, xy, a, b):
    """Cost change (um) of the nets on cells ``a`` and ``b`` (``b`` < 0: one cell).

    ``xy`` must already hold the moved positions; the moved cells' pins are synced
    from it. New boxes go to the scratch rows; call `commit` to keep them, or undo
    the move in ``xy`` and `sync_pins` the cells to drop them.
    """
    sync_pins(table, xy, a)
    if b >= 0:
        sync_pins(table, xy, b)
    count, delta = _add_cell_nets(table, a, 0, 0)
    if b >= 0:
        count, more = _add_cell_nets(table, b, count, 0)
        delta += more
    table.n_touched[0] = count
    return delta


@njit(cache=True)
def cells_delta(table, xy, cells, n_cells):
    """Cost change (um) of the nets on ``cells[:n_cells]``, moved already in ``xy``;
    like `move_delta` for any number of cells (scratch must be large enough)."""
    for i in range(n_cells):
        sync_pins(table, xy, cells[i])
    count = 0
    delta = 0.0
    for i in range(n_cells):
        count, more = _add_cell_nets(table, cells[i], count, 0)
        delta += more
    table.n_touched[0] = count
    return delta


@njit(cache=True)
def commit(table):
    """Make the boxes of the pending move current."""
    for i in range(table.n_touched[0]):
        n = table.touched[i]
        for j in range(5):
            table.net[n, j] = table.new[i, j]
    table.n_touched[0] = 0


def hpwl(problem, x, y, include_ignored=True):
    """Half-perimeter wirelength of a placement, um (unweighted, the contest metric).

    Parameters
    ----------
    problem : PlacementProblem
    x, y : array of float, shape (n_cells,)
        Lower-left corners, um.
    include_ignored : bool
        Count the nets left out of the placement cost too (as ISPD scoring does).
    """
    pins = problem.net_pins
    if pins.size == 0:
        return 0.0
    cells = problem.pin_cell[pins]
    px = np.asarray(x, dtype=np.float64)[cells] + problem.pin_dx[pins]
    py = np.asarray(y, dtype=np.float64)[cells] + problem.pin_dy[pins]
    keep = problem.fanout > 0
    starts = problem.net_ptr[:-1][keep]
    span = (np.maximum.reduceat(px, starts) - np.minimum.reduceat(px, starts)
            + np.maximum.reduceat(py, starts) - np.minimum.reduceat(py, starts))
    if not include_ignored:
        span = span[~problem.net_ignored[keep]]
    return float(span.sum())

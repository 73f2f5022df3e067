"""Routing congestion estimate of a placement: RUDY, and the cell inflation it asks for.

RUDY (Spindler and Johannes, "Fast and accurate routing demand estimation for efficient
routability-driven placement", DATE 2007) spreads each net's wire uniformly over its bounding
box: a net of box ``w`` x ``h`` needs about ``q(k) w`` um of horizontal and ``q(k) h`` um of
vertical wire, ``q(k)`` being the mean Steiner-tree over HPWL ratio of a ``k``-pin net (Cheng,
"RISA", ICCAD 1994). Per bin, horizontal wire per um^2 over the horizontal tracks per um gives
the share of the horizontal tracks the placement asks for (1: all of them); the same vertically.
Boxes thinner than a bin are widened to one bin (a straight net still uses tracks).

Routing capacity per um comes from the metal stack (`tapeout.tech.layers`): the usable tracks
of each preferred-direction layer; over fixed macros only the layers above them count. Bins that
are mostly macro are left out (ratio 0): no cell can move there, and nets cross them on the
layers above or detour.

`inflation` turns the estimate into area factors for a second global-placement round
(RePlAce-style): a cell in a bin over ``CONGESTION_LIMIT`` grows by the ratio to the power
``INFLATION_EXPONENT``, at most ``MAX_INFLATION``.
"""

from typing import NamedTuple

import numpy as np
from numba import njit

from tapeout.pnr.place.density import BinGrid, spread
from tapeout.tech.layers import METAL_STACK

__all__ = ["RoutingCapacity", "Congestion", "stack_capacity", "rudy", "inflation", "steiner_factor",
           "routing_grid"]

ROUTING_BIN_ROWS = 15  # bin side in row heights: the global router's default gcell
CONGESTION_LIMIT = 1.8
INFLATION_EXPONENT = 2.0
MAX_INFLATION = 2.5
_RISA = (1.0, 1.0, 1.0, 1.0828, 1.1536, 1.2206, 1.2823, 1.3385, 1.3991, 1.4493)


class RoutingCapacity(NamedTuple):
    """Routing tracks per um: horizontal and vertical, in the open and over fixed macros."""

    h_per_um: float
    v_per_um: float
    h_over_macro_per_um: float
    v_over_macro_per_um: float


def stack_capacity(layers=METAL_STACK, macro_top_layer="met4"):
    """`RoutingCapacity` of a metal stack whose macros block every layer up to ``macro_top_layer``."""
    names = [layer.name for layer in layers]
    top = names.index(macro_top_layer) if macro_top_layer in names else -1
    sums = {"H": [0.0, 0.0], "V": [0.0, 0.0]}
    for k, layer in enumerate(layers):
        tracks = layer.usable_fraction * layer.tracks_per_um
        sums[layer.axis][0] += tracks
        if k > top:
            sums[layer.axis][1] += tracks
    return RoutingCapacity(sums["H"][0], sums["V"][0], sums["H"][1], sums["V"][1])


class Congestion(NamedTuple):
    """RUDY demand over capacity per bin (horizontal, vertical), and summaries."""

    grid: BinGrid
    ratio_h: np.ndarray
    ratio_v: np.ndarray

    @property
    def ratio(self):
        """The larger of the two directions per bin."""
        return np.maximum(self.ratio_h, self.ratio_v)

    @property
    def max_ratio(self):
        return float(self.ratio.max()) if self.ratio.size else 0.0

    @property
    def overflow_share(self):
        """Share of the bins asking for more tracks than there are."""
        return float(np.mean(self.ratio > 1.0)) if self.ratio.size else 0.0


def routing_grid(core, row_height, bin_rows=ROUTING_BIN_ROWS):
    """Bins of about ``bin_rows`` row heights square over ``core`` (the estimate's resolution)."""
    x0, y0, x1, y1 = core
    side = bin_rows * row_height
    nx, ny = max(1, int(round((x1 - x0) / side))), max(1, int(round((y1 - y0) / side)))
    return BinGrid(float(x0), float(y0), nx, ny, (x1 - x0) / nx, (y1 - y0) / ny)


def steiner_factor(degree):
    """Mean Steiner-tree length over HPWL for nets of ``degree`` pins (RISA table; linear beyond 10)."""
    degree = np.asarray(degree)
    table = np.asarray(_RISA)
    return np.where(degree < len(_RISA), table[np.minimum(degree, len(_RISA) - 1)],
                    table[-1] + 0.0297 * (degree - (len(_RISA) - 1)))


@njit(cache=True)
def _boxes(px, py, start):
    n = start.shape[0] - 1
    box = np.empty((n, 4))
    for k in range(n):
        s, e = start[k], start[k + 1]
        box[k, 0] = px[s:e].min()
        box[k, 1] = px[s:e].max()
        box[k, 2] = py[s:e].min()
        box[k, 3] = py[s:e].max()
    return box


def rudy(problem, x, y, grid, net_mask, capacity):
    """RUDY `Congestion` of the nets in ``net_mask`` with cells at lower-left ``(x, y)`` (um).

    Parameters
    ----------
    problem : PlacementProblem
    x, y : array of float, shape (n_cells,)
    grid : BinGrid
    net_mask : array of bool, shape (n_nets,)
        Nets to count (routed nets: not clock or constants, at least two pins).
    capacity : RoutingCapacity
    """
    nets = np.flatnonzero(net_mask & (problem.fanout >= 2))
    if nets.size == 0:
        zero = np.zeros((grid.nx, grid.ny))
        return Congestion(grid, zero, zero.copy())
    starts = problem.net_ptr[nets]
    counts = problem.fanout[nets]
    pins = problem.net_pins[np.repeat(starts - np.cumsum(np.r_[0, counts[:-1]]), counts)
                            + np.arange(int(counts.sum()))]
    cells = problem.pin_cell[pins]
    px = np.asarray(x, dtype=np.float64)[cells] + problem.pin_dx[pins]
    py = np.asarray(y, dtype=np.float64)[cells] + problem.pin_dy[pins]
    box = _boxes(px, py, np.r_[0, np.cumsum(counts)].astype(np.int64))
    factor = steiner_factor(counts)
    w = np.maximum(box[:, 1] - box[:, 0], grid.bin_w)
    h = np.maximum(box[:, 3] - box[:, 2], grid.bin_h)
    cx, cy = 0.5 * (box[:, 0] + box[:, 1]), 0.5 * (box[:, 2] + box[:, 3])
    # A box spreads q w of horizontal wire over w h: per um^2, q / h; spread() adds that times overlap.
    wire_h = spread(grid, cx, cy, w, h, factor * (box[:, 1] - box[:, 0]) / (w * h))
    wire_v = spread(grid, cx, cy, w, h, factor * (box[:, 3] - box[:, 2]) / (w * h))
    fixed = ~problem.movable & (problem.width > 0) & (problem.height > 0)
    macro = spread(grid, problem.x[fixed] + 0.5 * problem.width[fixed], problem.y[fixed] + 0.5 * problem.height[fixed],
                   problem.width[fixed], problem.height[fixed])
    macro = np.minimum(macro, grid.bin_area)
    open_area = grid.bin_area - macro
    tracks_h = capacity.h_per_um * open_area + capacity.h_over_macro_per_um * macro
    tracks_v = capacity.v_per_um * open_area + capacity.v_over_macro_per_um * macro
    counted = (open_area >= 0.5 * grid.bin_area) & (tracks_h > 0) & (tracks_v > 0)
    ratio_h = np.divide(wire_h, tracks_h, out=np.zeros_like(wire_h), where=counted)
    ratio_v = np.divide(wire_v, tracks_v, out=np.zeros_like(wire_v), where=counted)
    return Congestion(grid, ratio_h, ratio_v)


def inflation(congestion, cx, cy):
    """Area factor (>= 1) of cells centred at ``(cx, cy)`` from the congestion of their bin."""
    grid = congestion.grid
    ix = np.clip(((np.asarray(cx) - grid.x0) / grid.bin_w).astype(np.int64), 0, grid.nx - 1)
    iy = np.clip(((np.asarray(cy) - grid.y0) / grid.bin_h).astype(np.int64), 0, grid.ny - 1)
    ratio = np.minimum(congestion.ratio[ix, iy], 1e6) / CONGESTION_LIMIT
    return np.where(ratio > 1.0, np.minimum(ratio ** INFLATION_EXPONENT, MAX_INFLATION), 1.0)

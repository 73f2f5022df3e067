"""Routing congestion of a placement from the global router, and the cell inflation it asks for.

The placement problem is routed as the route stage would route it (`tapeout.pnr.route`): gcells
of ``gcell_rows`` row heights over the core and the fixed pins, fixed cells with area blocking
the layers up to ``macro_top_layer``, every counted net (not left out of the cost, two pins or
more), pattern routing then ``iterations`` rounds of negotiated rip-up and reroute, with only
``CAPACITY_MARGIN`` of each layer's usable tracks: legalisation, driver sizing and the clock
tree still change the placement, so what overflows the estimate is what the route stage would
likely fail on.

`inflation` turns the router's per-gcell usage over capacity into area factors for another
global-placement round (RePlAce's routability mode, with the router's map in place of
FastRoute's): a cell in a gcell over ``CONGESTION_LIMIT`` grows by the ratio to the power
``INFLATION_EXPONENT``, at most ``MAX_INFLATION``.
"""

import dataclasses
from typing import NamedTuple

import numpy as np

from tapeout.pnr.route.grid import Blockage, RoutingGrid
from tapeout.pnr.route.negotiated import RoutingProblem, global_route
from tapeout.tech.layers import METAL_STACK

__all__ = ["RouteEstimate", "route_estimate", "inflation"]

GCELL_ROWS = 15          # the route stage's default gcell
ITERATIONS = 10          # negotiation rounds of the estimate
CAPACITY_MARGIN = 0.9    # share of the tracks the estimate may use
CONGESTION_LIMIT = 1.0
INFLATION_EXPONENT = 2.0
MAX_INFLATION = 2.5


class RouteEstimate(NamedTuple):
    """Overflow (tracks over capacity) after the estimate's rounds, and per gcell the larger of
    its horizontal and vertical usage over capacity (``ratio[iy, ix]``, cuts in um)."""

    overflow: int
    ratio: np.ndarray
    x_cuts: np.ndarray
    y_cuts: np.ndarray

    @property
    def max_ratio(self):
        finite = self.ratio[np.isfinite(self.ratio)]
        return float(finite.max()) if finite.size else 0.0

    @property
    def overflow_share(self):
        """Share of the gcells that touch an edge used beyond its tracks."""
        return float(np.mean(self.ratio > 1.0)) if self.ratio.size else 0.0


def route_estimate(problem, x, y, gcell_rows=GCELL_ROWS, iterations=ITERATIONS, layers=METAL_STACK,
                   macro_top_layer="met4", capacity_margin=CAPACITY_MARGIN):
    """Route ``problem`` with cells at lower-left ``(x, y)`` (um), with ``capacity_margin`` of each
    layer's usable tracks; return a `RouteEstimate`."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    x0, y0, x1, y1 = problem.core
    area = (min(x0, float(x.min())), min(y0, float(y.min())),
            max(x1, float((x + problem.width).max())), max(y1, float((y + problem.height).max())))
    fixed = np.flatnonzero(~problem.movable & (problem.width > 0) & (problem.height > 0))
    blocks = [Blockage(x[c], y[c], x[c] + problem.width[c], y[c] + problem.height[c], macro_top_layer)
              for c in fixed]
    layers = [dataclasses.replace(layer, usable_fraction=capacity_margin * layer.usable_fraction) for layer in layers]
    # At least 2 x 2 gcells, so that there are edges to route on (small cores).
    gcell = min(gcell_rows * problem.row_height, 0.5 * min(area[2] - area[0], area[3] - area[1]))
    grid = RoutingGrid(area, gcell, layers=layers, blockages=blocks)
    pins = problem.net_pins
    cells = problem.pin_cell[pins]
    skip = problem.net_ignored | (problem.fanout < 2)
    routing = RoutingProblem(grid, problem.net_ptr, x[cells] + problem.pin_dx[pins], y[cells] + problem.pin_dy[pins],
                             skip)
    result = global_route(routing, max_iterations=iterations)
    return RouteEstimate(int(result.overflow_total), result.gcell_congestion(), grid.x_cuts, grid.y_cuts)


def inflation(estimate, cx, cy):
    """Area factor (>= 1) of cells centred at ``(cx, cy)`` (um) from the congestion of their gcell."""
    ix = np.clip(np.searchsorted(estimate.x_cuts, cx, side="right") - 1, 0, estimate.ratio.shape[1] - 1)
    iy = np.clip(np.searchsorted(estimate.y_cuts, cy, side="right") - 1, 0, estimate.ratio.shape[0] - 1)
    ratio = np.minimum(estimate.ratio[iy, ix], 1e6) / CONGESTION_LIMIT
    return np.where(ratio > 1.0, np.minimum(ratio ** INFLATION_EXPONENT, MAX_INFLATION), 1.0)

"""Global routing driver: pattern routing, then PathFinder negotiated rip-up and reroute.

1. Pins are mapped to gcells; every net not skipped is decomposed into two-pin
   segments (``steiner.decompose_nets``) and pattern-routed (``route_pattern``),
   nets in order of growing bounding box (ties by index).
2. While edges overflow and iterations remain: the history cost of every
   overflowed edge grows by ``history_factor`` times its overflow, each net
   crossing an overflowed edge is ripped up and maze-routed again
   (``route_maze``) against the present usage, and the present-congestion factor
   is multiplied by ``present_growth`` (McMurchie & Ebeling, "PathFinder: a
   negotiation-based performance-driven router for FPGAs", FPGA 1995).
3. The 2-D routes get metal layers and become trees (``route_result``).
"""

from dataclasses import dataclass

import numpy as np

from tapeout.pnr.route.grid import RoutingGrid
from tapeout.pnr.route.maze import MazeRouter
from tapeout.pnr.route.pattern import pattern_route
from tapeout.pnr.route.result import build_route_result
from tapeout.pnr.route.steiner import decompose_nets

__all__ = ["RoutingProblem", "global_route"]


@dataclass(frozen=True)
class RoutingProblem:
    """Placed nets to route on a grid.

    Parameters
    ----------
    grid : RoutingGrid
        GCells, metal stack, capacities.
    net_ptr : ndarray of int
        CSR pointer: pins of net ``i`` are ``net_ptr[i]:net_ptr[i + 1]``; a
        net's first pin is its driver.
    pin_x, pin_y : ndarray of float
        Pin positions (um).
    skip : ndarray of bool, optional
        Nets not to route (clock, power).
    """

    grid: RoutingGrid
    net_ptr: np.ndarray
    pin_x: np.ndarray
    pin_y: np.ndarray
    skip: np.ndarray = None

    def __post_init__(self):
        if not isinstance(self.grid, RoutingGrid):
            raise TypeError(f"grid must be a RoutingGrid, not {self.grid!r}")
        net_ptr = np.asarray(self.net_ptr)
        if net_ptr.ndim != 1 or len(net_ptr) < 1 or not np.issubdtype(net_ptr.dtype, np.integer):
            raise ValueError(f"net_ptr must be a 1-D integer array, not {self.net_ptr!r}")
        pin_x = np.asarray(self.pin_x, dtype=np.float64)
        pin_y = np.asarray(self.pin_y, dtype=np.float64)
        if pin_x.shape != pin_y.shape or pin_x.ndim != 1:
            raise ValueError(f"pin_x and pin_y must be 1-D arrays of one length, not shapes "
                             f"{pin_x.shape} and {pin_y.shape}")
        if net_ptr[0] != 0 or net_ptr[-1] != len(pin_x) or np.any(np.diff(net_ptr) < 0):
            raise ValueError(f"net_ptr must rise from 0 to the pin count {len(pin_x)}, not "
                             f"{net_ptr[0]}..{net_ptr[-1]}")
        if not (np.all(np.isfinite(pin_x)) and np.all(np.isfinite(pin_y))):
            raise ValueError("pin_x and pin_y must be finite")
        n_nets = len(net_ptr) - 1
        skip = np.zeros(n_nets, dtype=bool) if self.skip is None else np.asarray(self.skip)
        if skip.shape != (n_nets,) or skip.dtype != np.bool_:
            raise ValueError(f"skip must be a boolean array of {n_nets} nets, not {self.skip!r}")
        object.__setattr__(self, "net_ptr", net_ptr.astype(np.int64))
        object.__setattr__(self, "pin_x", pin_x)
        object.__setattr__(self, "pin_y", pin_y)
        object.__setattr__(self, "skip", skip)

    @property
    def n_nets(self):
        return len(self.net_ptr) - 1


def _check(name, value, kind, low):
    if not (isinstance(value, kind) and not isinstance(value, bool) and value >= low):
        noun = "integer" if kind is int else "number"
        raise ValueError(f"{name} must be a {noun} >= {low}, not {value!r}")


def global_route(problem, max_iterations=50, *, present_factor=0.5, present_growth=1.5,
                 history_factor=1.0, margin=5, max_steiner_pins=10, pin_layer=None, progress=None):
    """Route every net of ``problem`` on its gcell grid.

    Parameters
    ----------
    problem : RoutingProblem
        Grid and nets.
    max_iterations : int
        Negotiation iterations at most (0 keeps the pattern routes).
    present_factor : float
        Present-congestion factor of the first iteration (and of pattern routing).
    present_growth : float
        Factor the present-congestion factor is multiplied by per iteration.
    history_factor : float
        History cost added per wire of overflow on an edge per iteration.
    margin : int
        GCells a maze search may leave the net's bounding box by; grows by one
        per iteration.
    max_steiner_pins : int
        Nets up to this many distinct pin gcells get Steiner trees, bigger ones MSTs.
    pin_layer : str, optional
        Layer the pins are on (via counts, route guides); the lowest layer of
        the stack by default (``li1`` for SKY130 standard cells).
    progress : callable, optional
        Called as ``progress(fraction, message)``.

    Returns
    -------
    RouteResult
    """
    if not isinstance(problem, RoutingProblem):
        raise TypeError(f"problem must be a RoutingProblem, not {problem!r}")
    _check("max_iterations", max_iterations, int, 0)
    _check("present_factor", present_factor, (int, float), 0)
    _check("present_growth", present_growth, (int, float), 1)
    _check("history_factor", history_factor, (int, float), 0)
    _check("margin", margin, int, 0)
    grid = problem.grid
    pin_layer_index = 0 if pin_layer is None else grid.layer_index(pin_layer)
    report = progress if progress is not None else (lambda fraction, message: None)

    gx, gy = grid.gcell_of(problem.pin_x, problem.pin_y)
    pin_g = gy.astype(np.int64) * grid.nx + gx
    net_ptr = problem.net_ptr
    sizes = np.diff(net_ptr)
    routed = ~problem.skip & (sizes > 0)
    net_of_pin = np.repeat(np.arange(problem.n_nets), sizes)
    span = np.zeros(problem.n_nets, dtype=np.int64)
    for coord in (gx, gy):
        if len(coord):
            hi = np.full(problem.n_nets, np.iinfo(np.int64).min)
            lo = np.full(problem.n_nets, np.iinfo(np.int64).max)
            np.maximum.at(hi, net_of_pin, coord)
            np.minimum.at(lo, net_of_pin, coord)
            span += np.where(sizes > 0, hi - lo, 0)
    order = np.flatnonzero(routed)[np.argsort(span[routed], kind="stable")]

    usage = np.zeros(grid.n_edges, dtype=np.int32)
    history = np.zeros(grid.n_edges, dtype=np.float64)
    segments = decompose_nets(net_ptr, gx, gy, ~routed, max_steiner_pins)
    routes = pattern_route(order, *segments, net_ptr, gx, gy, grid.nx, grid.ny, usage, grid.capacity,
                           history, present_factor)
    overflow = [int(np.maximum(usage - grid.capacity, 0).sum())]
    report(0.1, f"pattern routing: overflow {overflow[-1]}")

    maze = MazeRouter(grid.nx, grid.ny)
    factor = float(present_factor)
    rank = np.empty(problem.n_nets, dtype=np.int64)
    rank[order] = np.arange(len(order))
    for iteration in range(max_iterations):
        over = usage > grid.capacity
        if not over.any():
            break
        history[over] += history_factor * (usage[over] - grid.capacity[over])
        lengths = np.array([len(r) for r in routes])
        edge_net = np.repeat(np.arange(problem.n_nets), lengths)
        all_edges = np.concatenate(routes) if lengths.sum() else np.zeros(0, dtype=np.int64)
        victims = np.unique(edge_net[over[all_edges]])
        for net in victims[np.argsort(rank[victims], kind="stable")]:
            usage[routes[net]] -= 1  # a route never repeats an edge
            routes[net] = maze.route(pin_g[net_ptr[net]:net_ptr[net + 1]], usage, grid.capacity, history,
                                     factor, margin + iteration)
            usage[routes[net]] += 1
        factor *= present_growth
        overflow.append(int(np.maximum(usage - grid.capacity, 0).sum()))
        report(0.1 + 0.85 * (iteration + 1) / max_iterations,
               f"negotiation iteration {iteration + 1}: {len(victims)} nets rerouted, overflow {overflow[-1]}")

    result = build_route_result(grid, net_ptr, problem.pin_x, problem.pin_y, routed, routes, usage,
                                pin_layer_index, overflow)
    report(1.0, f"routed {int(routed.sum())} nets, {result.wirelength_um:.0f} um, overflow {overflow[-1]}")
    return result

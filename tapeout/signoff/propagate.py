"""Levelised propagation of arrival times over the timing graph (numba).

:func:`build_edges` turns a :class:`~tapeout.signoff.graph.TimingGraph` into
incoming-edge CSR arrays (net edges driver -> sink, cell arcs input -> output),
leaving out every edge into a *source* pin (input ports with an input delay, flop
clock pins) and every edge out of the clock network, then orders the pins level by
level (Kahn). :func:`propagate` walks that order once, for both edges (0 rise,
1 fall), adding the delays found beforehand by :mod:`tapeout.signoff.delay_calc`
(wire delay of the load for a net edge, the arc's delay for its input and output
edge for a cell arc, following the arc's sense; edge-triggered arcs launch on the
clock's rise or fall only).

``is_max`` keeps the latest arrival (setup), otherwise the earliest (hold). The
predecessor of each (pin, edge) is kept for path reports.
"""

import numba
import numpy as np

from tapeout.errors import TapeoutError

from .graph import ARC_COMBINATIONAL, ARC_RISING_EDGE

__all__ = ["EdgeSet", "build_edges", "propagate", "LoopError"]

EDGE_NET, EDGE_ARC, EDGE_LAUNCH_RISE, EDGE_LAUNCH_FALL = 0, 1, 2, 3


class LoopError(TapeoutError):
    """The data network has a combinational loop."""


class EdgeSet:
    """Incoming edges per pin (CSR) and a topological pin order.

    Attributes
    ----------
    order : ndarray of int64
        Pins in topological order.
    level : ndarray of int64
        Logic level of each pin (0 for pins without incoming edges).
    in_ptr, in_src, in_kind, in_arc : ndarray of int64
        Edges into pin ``p`` are ``in_ptr[p]:in_ptr[p + 1]``: their source pin, kind
        (net, arc, rising/falling launch) and arc index (-1 for net edges).
    """

    def __init__(self, n_pins, src, dst, kind, arc):
        by_dst = np.argsort(dst, kind="stable")
        self.in_src, self.in_kind, self.in_arc = src[by_dst], kind[by_dst], arc[by_dst]
        self.in_ptr = np.zeros(n_pins + 1, dtype=np.int64)
        self.in_ptr[1:] = np.cumsum(np.bincount(dst, minlength=n_pins))
        by_src = np.argsort(src, kind="stable")
        out_dst = dst[by_src]
        out_ptr = np.zeros(n_pins + 1, dtype=np.int64)
        out_ptr[1:] = np.cumsum(np.bincount(src, minlength=n_pins))
        self.order, self.level = _levelise(n_pins, self.in_ptr, out_ptr, out_dst)


def _levelise(n_pins, in_ptr, out_ptr, out_dst):
    indegree = np.diff(in_ptr).copy()
    level = np.zeros(n_pins, dtype=np.int64)
    frontier = np.flatnonzero(indegree == 0)
    order, depth = [], 0
    while len(frontier):
        order.append(frontier)
        level[frontier] = depth
        counts = out_ptr[frontier + 1] - out_ptr[frontier]
        starts = np.repeat(out_ptr[frontier] - np.cumsum(counts) + counts, counts)
        targets = out_dst[starts + np.arange(counts.sum())]
        indegree -= np.bincount(targets, minlength=n_pins)
        touched = np.unique(targets)
        frontier = touched[indegree[touched] == 0]
        depth += 1
    order = np.concatenate(order) if order else np.zeros(0, dtype=np.int64)
    if len(order) < n_pins:
        stuck = np.flatnonzero(indegree > 0)
        raise LoopError(f"combinational loop: {len(stuck)} pins never become ready "
                        f"(first: pin {int(stuck[0])})")
    return order, level


def build_edges(graph, clock_network, sources):
    """The data edges of ``graph``.

    Parameters
    ----------
    graph : TimingGraph
    clock_network : array of bool, shape (n_pins,)
        Pins of the clock distribution; edges out of them are not data edges
        (edge-triggered arcs out of flop clock pins excepted).
    sources : array of bool, shape (n_pins,)
        Pins whose arrival is given (no incoming edges kept).
    """
    slots = np.repeat(np.arange(graph.n_nets), np.diff(graph.net_ptr))
    sink = graph.net_pins
    driver = graph.net_driver[slots]
    keep = (driver >= 0) & (sink != driver)
    keep &= ~clock_network[np.maximum(driver, 0)] & ~sources[sink] & ~graph.pin_is_driver[sink]
    net_src, net_dst = driver[keep], sink[keep]
    comb = graph.arc_kind == ARC_COMBINATIONAL
    arc_ok = (~comb | ~clock_network[graph.arc_from]) \
        & ~sources[graph.arc_to]
    arcs = np.flatnonzero(arc_ok)
    arc_kind = np.where(graph.arc_kind[arcs] == ARC_COMBINATIONAL, EDGE_ARC,
                        np.where(graph.arc_kind[arcs] == ARC_RISING_EDGE, EDGE_LAUNCH_RISE,
                                 EDGE_LAUNCH_FALL))
    src = np.concatenate([net_src, graph.arc_from[arcs]]).astype(np.int64)
    dst = np.concatenate([net_dst, graph.arc_to[arcs]]).astype(np.int64)
    kind = np.concatenate([np.full(len(net_src), EDGE_NET), arc_kind]).astype(np.int64)
    arc = np.concatenate([np.full(len(net_src), -1), arcs]).astype(np.int64)
    return EdgeSet(graph.n_pins, src, dst, kind, arc)


@numba.njit(cache=True)
def _propagate(order, in_ptr, in_src, in_kind, in_arc, arc_sense, arc_delay, wire_delay, arrival,
               prev_pin, prev_edge, is_max):
    for p in order:
        for e in range(in_ptr[p], in_ptr[p + 1]):
            src = in_src[e]
            kind = in_kind[e]
            a = in_arc[e]
            for oe in range(2):
                if kind == EDGE_NET:
                    lo_ie, hi_ie = oe, oe + 1
                elif kind == EDGE_LAUNCH_RISE:
                    lo_ie, hi_ie = 0, 1
                elif kind == EDGE_LAUNCH_FALL:
                    lo_ie, hi_ie = 1, 2
                elif arc_sense[a] == 0:
                    lo_ie, hi_ie = oe, oe + 1
                elif arc_sense[a] == 1:
                    lo_ie, hi_ie = 1 - oe, 2 - oe
                else:
                    lo_ie, hi_ie = 0, 2
                for ie in range(lo_ie, hi_ie):
                    t_in = arrival[src, ie]
                    if not np.isfinite(t_in):
                        continue
                    d = wire_delay[p, oe] if kind == EDGE_NET else arc_delay[a, ie, oe]
                    if np.isnan(d):
                        continue
                    t = t_in + d
                    if (t > arrival[p, oe]) if is_max else (t < arrival[p, oe]):
                        arrival[p, oe] = t
                        prev_pin[p, oe] = src
                        prev_edge[p, oe] = ie


class Propagation:
    """Arrival (ns), slew (ns) and predecessors of every (pin, edge) for one mode.

    Attributes
    ----------
    arrival, slew : ndarray, shape (n_pins, 2)
        +-inf arrival where no launched path reaches.
    prev_pin, prev_edge : ndarray of int64, shape (n_pins, 2)
        Predecessor on the worst path, -1 at sources.
    is_max : bool
    """

    def __init__(self, arrival, slew, prev_pin, prev_edge, is_max):
        self.arrival, self.slew = arrival, slew
        self.prev_pin, self.prev_edge = prev_pin, prev_edge
        self.is_max = is_max


def propagate(graph, edges, delays, source_arrival, is_max):
    """Propagate arrival times from the sources through ``edges``.

    Parameters
    ----------
    graph : TimingGraph
    edges : EdgeSet
    delays : tapeout.signoff.delay_calc.Delays
        Arc and wire delays and slews (one set for setup and hold, as a single-corner analysis).
    source_arrival : ndarray, shape (n_pins, 2)
        Arrival (ns) at the sources; -inf (max) or +inf (min) elsewhere.
    is_max : bool
        Latest arrival (setup) or earliest (hold).

    Returns
    -------
    Propagation
    """
    arrival = np.array(source_arrival, dtype=float)
    prev_pin = np.full((graph.n_pins, 2), -1, dtype=np.int64)
    prev_edge = np.full((graph.n_pins, 2), -1, dtype=np.int64)
    _propagate(edges.order, edges.in_ptr, edges.in_src, edges.in_kind, edges.in_arc, graph.arc_sense,
               delays.arc_delay, delays.wire_delay, arrival, prev_pin, prev_edge, bool(is_max))
    return Propagation(arrival, delays.slew, prev_pin, prev_edge, bool(is_max))

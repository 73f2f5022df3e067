"""Levelised propagation of arrival time and slew over the timing graph (numba).

:func:`build_edges` turns a :class:`~tapeout.signoff.graph.TimingGraph` into
incoming-edge CSR arrays (net edges driver -> sink, cell arcs input -> output),
leaving out every edge into a *source* pin (input ports with an input delay, flop
clock pins) and every edge out of the clock network, then orders the pins level by
level (Kahn). :func:`propagate` walks that order once, for both edges (0 rise,
1 fall):

* net edge: arrival + Elmore delay of the sink; slew degraded as
  ``sqrt(s_in**2 + (ln(4) * elmore)**2)`` (PERI, Kashyap et al., "Closed-form
  expressions for extending step delay and slew metrics to ramp inputs for RC trees",
  ISPD 2003, with the 20-80 % step slew ``ln(4)`` RC of a single pole);
* cell arc: NLDM delay and output slew at (input slew, net load), following the
  arc's sense; edge-triggered arcs launch on the clock's rise (or fall) only.

``is_max`` keeps the latest arrival and the largest slew (setup), otherwise the
earliest arrival and the smallest slew (hold). The predecessor of each
(pin, edge) is kept for path reports.
"""

import numba
import numpy as np

from tapeout.errors import TapeoutError

from .delay import lookup
from .graph import ARC_COMBINATIONAL, ARC_RISING_EDGE

__all__ = ["EdgeSet", "build_edges", "propagate", "LoopError", "SLEW_STEP_FACTOR"]

SLEW_STEP_FACTOR = float(np.log(4.0))
"""20-80 % transition of a single-pole RC step response, in units of its time constant."""

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
def _propagate(order, in_ptr, in_src, in_kind, in_arc, arc_sense, arc_tables, pin_load,
               wire_delay, slew_factor, index_1, size_1, index_2, size_2, values,
               arrival, slew, prev_pin, prev_edge, is_max):
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
                if kind != EDGE_NET and arc_tables[a, oe] < 0:
                    continue
                for ie in range(lo_ie, hi_ie):
                    t_in = arrival[src, ie]
                    if not np.isfinite(t_in):
                        continue
                    s_in = slew[src, ie]
                    if kind == EDGE_NET:
                        d = wire_delay[p]
                        s = np.sqrt(s_in * s_in + (slew_factor * d) ** 2)
                    else:
                        load = pin_load[p]
                        d = lookup(arc_tables[a, oe], s_in, load, index_1, size_1, index_2,
                                   size_2, values)
                        st = arc_tables[a, 2 + oe]
                        s = s_in if st < 0 else lookup(st, s_in, load, index_1, size_1,
                                                       index_2, size_2, values)
                        s = max(s, 0.0)
                    t = t_in + d
                    if is_max:
                        if t > arrival[p, oe]:
                            arrival[p, oe] = t
                            prev_pin[p, oe] = src
                            prev_edge[p, oe] = ie
                        if s > slew[p, oe]:
                            slew[p, oe] = s
                    else:
                        if t < arrival[p, oe]:
                            arrival[p, oe] = t
                            prev_pin[p, oe] = src
                            prev_edge[p, oe] = ie
                        if s < slew[p, oe]:
                            slew[p, oe] = s


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


def propagate(graph, edges, pin_load_pf, wire_delay_ns, source_arrival, source_slew, is_max):
    """Propagate from the sources through ``edges``.

    Parameters
    ----------
    graph : TimingGraph
    edges : EdgeSet
    pin_load_pf : ndarray, shape (n_pins,)
        Load seen by each driver pin (pF).
    wire_delay_ns : ndarray, shape (n_pins,)
        Elmore delay from the driver to each sink pin (ns).
    source_arrival, source_slew : ndarray, shape (n_pins, 2)
        Arrival (ns, +-inf where not a source: -inf for max, +inf for min) and slew (ns).
    is_max : bool
        Latest arrival / largest slew (setup) or earliest / smallest (hold).

    Returns
    -------
    Propagation
    """
    arrival = np.array(source_arrival, dtype=float)
    slew = np.array(source_slew, dtype=float)
    prev_pin = np.full((graph.n_pins, 2), -1, dtype=np.int64)
    prev_edge = np.full((graph.n_pins, 2), -1, dtype=np.int64)
    _propagate(edges.order, edges.in_ptr, edges.in_src, edges.in_kind, edges.in_arc,
               graph.arc_sense, graph.arc_tables, np.asarray(pin_load_pf, dtype=float),
               np.asarray(wire_delay_ns, dtype=float), SLEW_STEP_FACTOR, *graph.tables.arrays,
               arrival, slew, prev_pin, prev_edge, bool(is_max))
    return Propagation(arrival, slew, prev_pin, prev_edge, bool(is_max))

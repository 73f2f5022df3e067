"""Delay calculation over the whole timing graph: slews, cell-arc delays and wire delays (numba).

One levelised pass over every pin (data and clock network alike), before any arrival time is
propagated, as a graph-based STA does in a single-corner ("single") analysis:

* a cell output's arcs get their delay and driver slew from :mod:`tapeout.signoff.dmp` (effective
  capacitance into the net's pi model, :mod:`tapeout.signoff.pi_model`), at the slew of the arc's
  input pin; each arc also gives a wire delay and slew at every load of the net;
* a top-level input port drives its net with its input transition (``set_input_transition``,
  default 0): wire delay ``ln 2 x Elmore``, slew ``port slew + ln 4 x Elmore``;
* slews, and the wire delay of each (load, edge), keep the largest over the arcs that produce them
  for late (setup) analysis, the smallest for early (hold) analysis, as OpenSTA's default on-chip
  variation mode keeps a max and a min delay calculation;
* a flop's clock-to-output arc takes the clock pin's slew, or the clock's ideal transition
  (``clock_slew``) when the clock is not propagated.

Edges are indexed 0 rise, 1 fall.
"""

from dataclasses import dataclass

import numba
import numpy as np

from .dmp import S_CEFF, STATE_SIZE, gate_delay_slew, load_delay_slew, port_load_delay_slew
from .graph import ARC_COMBINATIONAL, ARC_RISING_EDGE
from .propagate import EdgeSet

__all__ = ["Delays", "all_edges", "calculate_delays"]

EDGE_NET, EDGE_ARC, EDGE_LAUNCH_RISE, EDGE_LAUNCH_FALL = 0, 1, 2, 3


@dataclass(frozen=True)
class Delays:
    """Results of :func:`calculate_delays` (ns).

    slew      -- (n_pins, 2) slew at every pin
    arc_delay -- (n_arcs, 2, 2) delay of arc a from input edge ie to output edge oe (nan if none)
    wire_delay -- (n_pins, 2) delay from the net's driver to each load pin
    ceff_pf   -- (n_pins, 2) effective capacitance each driver pin saw (largest over its arcs)
    """

    slew: np.ndarray
    arc_delay: np.ndarray
    wire_delay: np.ndarray
    ceff_pf: np.ndarray


def all_edges(graph):
    """Every net edge (driver -> load) and every cell arc, for delay calculation."""
    slots = np.repeat(np.arange(graph.n_nets), np.diff(graph.net_ptr))
    sink = graph.net_pins
    driver = graph.net_driver[slots]
    keep = (driver >= 0) & (sink != driver) & ~graph.pin_is_driver[sink]
    arcs = np.arange(graph.n_arcs)
    kind = np.where(graph.arc_kind == ARC_COMBINATIONAL, EDGE_ARC,
                    np.where(graph.arc_kind == ARC_RISING_EDGE, EDGE_LAUNCH_RISE, EDGE_LAUNCH_FALL))
    src = np.concatenate([driver[keep], graph.arc_from]).astype(np.int64)
    dst = np.concatenate([sink[keep], graph.arc_to]).astype(np.int64)
    kinds = np.concatenate([np.full(int(keep.sum()), EDGE_NET), kind]).astype(np.int64)
    arc = np.concatenate([np.full(int(keep.sum()), -1), arcs]).astype(np.int64)
    return EdgeSet(graph.n_pins, src, dst, kinds, arc)


@numba.njit(cache=True)
def _input_edges(kind, sense, oe):
    if kind == EDGE_LAUNCH_RISE:
        return 0, 1
    if kind == EDGE_LAUNCH_FALL:
        return 1, 2
    if sense == 0:
        return oe, oe + 1
    if sense == 1:
        return 1 - oe, 2 - oe
    return 0, 2


@numba.njit(cache=True)
def _calculate(order, in_ptr, in_src, in_kind, in_arc, arc_sense, arc_tables, pin_cell, pin_net,
               pin_is_driver, net_driver, net_ptr, net_pins, c2, rpi, c1, has_rc, elmore, port_slew,
               clock_slew, i1, s1, i2, s2, values, is_max, slew, arc_delay, wire_delay, ceff):
    st = np.zeros(STATE_SIZE)
    init = 0.0 if is_max else np.inf
    load_slew = np.full_like(slew, init)
    wire_delay[:] = init
    for p in order:
        net = pin_net[p]
        drives = pin_is_driver[p] and (net < 0 or net_driver[net] == p)
        if not drives:
            if net >= 0 and net_driver[net] >= 0:
                slew[p, 0], slew[p, 1] = load_slew[p, 0], load_slew[p, 1]
            for e in range(2):
                if not np.isfinite(slew[p, e]):
                    slew[p, e] = 0.0
                if not np.isfinite(wire_delay[p, e]):
                    wire_delay[p, e] = 0.0
            continue
        if pin_cell[p] < 0:
            slew[p, 0] = slew[p, 1] = port_slew[p]
            if net < 0:
                continue
            for s in range(net_ptr[net], net_ptr[net + 1]):
                q = net_pins[s]
                if q == p:
                    continue
                for oe in range(2):
                    if has_rc[net]:
                        d, ls = port_load_delay_slew(port_slew[p], elmore[oe, q])
                    else:
                        d, ls = 0.0, port_slew[p]
                    wire_delay[q, oe] = d
                    load_slew[q, oe] = ls
            continue
        slew[p, 0] = slew[p, 1] = init
        for e in range(in_ptr[p], in_ptr[p + 1]):
            kind = in_kind[e]
            if kind == EDGE_NET:
                continue
            a = in_arc[e]
            src = in_src[e]
            for oe in range(2):
                table = arc_tables[a, oe]
                if table < 0:
                    continue
                lo, hi = _input_edges(kind, arc_sense[a], oe)
                n2 = c2[oe, net] if net >= 0 else 0.0
                nr = rpi[oe, net] if net >= 0 else 0.0
                n1 = c1[oe, net] if net >= 0 else 0.0
                for ie in range(lo, hi):
                    s_in = slew[src, ie]
                    if kind != EDGE_ARC and not np.isnan(clock_slew[src]):
                        s_in = clock_slew[src]
                    d, s = gate_delay_slew(st, table, arc_tables[a, 2 + oe], s_in, n2, nr, n1,
                                           i1, s1, i2, s2, values)
                    s = max(s, 0.0)
                    arc_delay[a, ie, oe] = d
                    if (s > slew[p, oe]) if is_max else (s < slew[p, oe]):
                        slew[p, oe] = s
                    if st[S_CEFF] > ceff[p, oe]:
                        ceff[p, oe] = st[S_CEFF]
                    if net < 0:
                        continue
                    for k in range(net_ptr[net], net_ptr[net + 1]):
                        q = net_pins[k]
                        if q == p:
                            continue
                        if has_rc[net]:
                            wd, ls = load_delay_slew(st, elmore[oe, q])
                        else:
                            wd, ls = 0.0, s
                        if (wd > wire_delay[q, oe]) if is_max else (wd < wire_delay[q, oe]):
                            wire_delay[q, oe] = wd
                        if (ls > load_slew[q, oe]) if is_max else (ls < load_slew[q, oe]):
                            load_slew[q, oe] = ls
        for e in range(2):
            if not np.isfinite(slew[p, e]):
                slew[p, e] = 0.0


def calculate_delays(graph, edges, pi, port_slew_ns=None, clock_slew_ns=None, is_max=True):
    """Slews, arc delays and wire delays of ``graph``.

    Parameters
    ----------
    graph : TimingGraph
    edges : EdgeSet
        From :func:`all_edges`.
    pi : PiModels or (PiModels, PiModels)
        Each net's pi model and its loads' Elmore delays; a pair gives them for rising and for
        falling transitions (the loads' rise and fall capacitances).
    port_slew_ns : array, shape (n_pins,), optional
        Input transition of each input port pin (default 0).
    clock_slew_ns : array, shape (n_pins,), optional
        Ideal clock transition at flop clock pins of ideal clocks (nan elsewhere).
    is_max : bool
        Keep the largest slews and wire delays (late analysis) or the smallest (early).
    """
    n = graph.n_pins
    port_slew = np.zeros(n) if port_slew_ns is None else np.asarray(port_slew_ns, dtype=float)
    clock_slew = np.full(n, np.nan) if clock_slew_ns is None else np.asarray(clock_slew_ns, dtype=float)
    slew = np.zeros((n, 2))
    arc_delay = np.full((graph.n_arcs, 2, 2), np.nan)
    wire_delay = np.zeros((n, 2))
    ceff = np.zeros((n, 2))
    rise, fall = pi if isinstance(pi, tuple) else (pi, pi)
    c2, rpi, c1, elmore = (np.ascontiguousarray(np.stack([getattr(rise, k), getattr(fall, k)]))
                           for k in ("c2_pf", "rpi_kohm", "c1_pf", "elmore_ns"))
    _calculate(edges.order, edges.in_ptr, edges.in_src, edges.in_kind, edges.in_arc, graph.arc_sense,
               graph.arc_tables, graph.pin_cell, graph.pin_net, graph.pin_is_driver, graph.net_driver,
               graph.net_ptr, graph.net_pins, c2, rpi, c1, rise.has_rc, elmore,
               port_slew, clock_slew, *graph.tables.arrays, bool(is_max), slew, arc_delay, wire_delay, ceff)
    return Delays(slew, arc_delay, wire_delay, ceff)

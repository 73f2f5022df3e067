"""Driving-point reduction of each net's RC tree: a pi model seen by the driver, Elmore delay to each load.

The admittance of an RC tree seen from its driver is expanded in moments, ``Y(s) = y1 s + y2 s^2 +
y3 s^3 + ...``, found bottom-up from the leaves: a node's capacitance adds ``C s``; a series resistor
R in front of a subtree with moments (a1, a2, a3) turns them into (a1, a2 - R a1^2,
a3 - 2 R a1 a2 + R^2 a1^3); parallel branches add. The pi model (C2 at the driver, Rpi, C1 behind
it) with the same three moments is ``C1 = y2^2 / y3``, ``C2 = y1 - C1``, ``Rpi = -y3^2 / y2^3``
(O'Brien & Savarino, "Modeling the driving-point characteristic of resistive interconnect for
accurate delay estimation", ICCAD 1989). A tree without resistance is a lumped C1 = y1.

Pin capacitances count at their nodes (the SPEF holds wire capacitance only). The Elmore delay to
a load sums, along the path from the driver, each resistor times the capacitance beyond it.
Units: kohm, pF, ns.
"""

from dataclasses import dataclass

import numba
import numpy as np

__all__ = ["PiModels", "reduce_to_pi"]


@dataclass(frozen=True)
class PiModels:
    """Per net: ``c2_pf`` (near the driver), ``rpi_kohm``, ``c1_pf`` (far); per pin: ``elmore_ns``
    from its net's driver (0 for drivers and nets without parasitics); ``has_rc`` per net."""

    c2_pf: np.ndarray
    rpi_kohm: np.ndarray
    c1_pf: np.ndarray
    elmore_ns: np.ndarray
    has_rc: np.ndarray


@numba.njit(cache=True)
def _reduce(node_ptr, parent, res, cap, slot_node, net_ptr, net_pins, pin_cap, driver_slot,
            c2, rpi, c1, elmore, has_rc):
    n_all = len(parent)
    node_c = cap.copy()
    for net in range(len(node_ptr) - 1):
        for s in range(net_ptr[net], net_ptr[net + 1]):
            if slot_node[s] >= 0:
                node_c[node_ptr[net] + slot_node[s]] += pin_cap[net_pins[s]]
    # children lists (CSR) of the stored orientation
    child_count = np.zeros(n_all + 1, dtype=np.int64)
    for net in range(len(node_ptr) - 1):
        lo = node_ptr[net]
        for k in range(lo, node_ptr[net + 1]):
            if parent[k] >= 0:
                child_count[lo + parent[k] + 1] += 1
    child_ptr = np.cumsum(child_count)
    fill = child_ptr[:-1].copy()
    children = np.zeros(max(n_all, 1), dtype=np.int64)
    for net in range(len(node_ptr) - 1):
        lo = node_ptr[net]
        for k in range(lo, node_ptr[net + 1]):
            if parent[k] >= 0:
                children[fill[lo + parent[k]]] = k
                fill[lo + parent[k]] += 1
    up = np.full(n_all, -1, dtype=np.int64)      # parent seen from the driver
    up_r = np.zeros(n_all)
    order = np.zeros(max(n_all, 1), dtype=np.int64)
    y1 = np.zeros(n_all)
    y2 = np.zeros(n_all)
    y3 = np.zeros(n_all)
    delay = np.zeros(n_all)
    for net in range(len(node_ptr) - 1):
        lo, hi = node_ptr[net], node_ptr[net + 1]
        ds = driver_slot[net]
        if hi == lo or ds < 0 or slot_node[ds] < 0:
            continue
        has_rc[net] = True
        root = lo + slot_node[ds]
        # depth-first order from the driver over the undirected tree
        order[0] = root
        up[root] = -1
        n = 1
        i = 0
        while i < n:
            v = order[i]
            i += 1
            if parent[v] >= 0:
                w = lo + parent[v]
                if w != up[v]:
                    up[w] = v
                    up_r[w] = res[v]
                    order[n] = w
                    n += 1
            for c in range(child_ptr[v], child_ptr[v + 1]):
                w = children[c]
                if w != up[v]:
                    up[w] = v
                    up_r[w] = res[w]
                    order[n] = w
                    n += 1
        for j in range(n):
            v = order[j]
            y1[v] = node_c[v]
            y2[v] = 0.0
            y3[v] = 0.0
        for j in range(n - 1, 0, -1):
            v = order[j]
            p = up[v]
            r = up_r[v]
            a1, a2, a3 = y1[v], y2[v], y3[v]
            y1[p] += a1
            y2[p] += a2 - r * a1 * a1
            y3[p] += a3 - 2.0 * r * a1 * a2 + r * r * a1 * a1 * a1
        if y2[root] == 0.0 and y3[root] == 0.0:
            c1[net], c2[net], rpi[net] = y1[root], 0.0, 0.0
        else:
            c1[net] = y2[root] * y2[root] / y3[root]
            c2[net] = y1[root] - c1[net]
            rpi[net] = -y3[root] * y3[root] / (y2[root] * y2[root] * y2[root])
        delay[root] = 0.0
        for j in range(1, n):
            v = order[j]
            delay[v] = delay[up[v]] + up_r[v] * y1[v]
        for s in range(net_ptr[net], net_ptr[net + 1]):
            if s != ds and slot_node[s] >= 0:
                elmore[net_pins[s]] = delay[lo + slot_node[s]]


def reduce_to_pi(parasitics, graph, edge=None):
    """The pi model of every net of ``graph`` seen from its driver, and the Elmore delay of each load,
    with the load pins' capacitance for a rising (``edge`` 0) or falling (1) transition, or their
    single ``capacitance`` (``edge`` None)."""
    pin_cap = graph.pin_cap_pf if edge is None else np.ascontiguousarray(graph.pin_edge_cap_pf[:, edge])
    n = graph.n_nets
    c2, rpi, c1 = np.zeros(n), np.zeros(n), np.zeros(n)
    elmore = np.zeros(graph.n_pins)
    has_rc = np.zeros(n, dtype=bool)
    if parasitics is None:
        return PiModels(c2, rpi, graph.net_sink_cap_pf(edge), elmore, has_rc)
    if parasitics.n_nets != n or len(parasitics.slot_node) != len(graph.net_pins):
        raise ValueError(f"parasitics must describe {n} nets and {len(graph.net_pins)} pin slots, not "
                         f"{parasitics.n_nets} and {len(parasitics.slot_node)}")
    slot_of_pin = np.full(graph.n_pins, -1, dtype=np.int64)
    slot_of_pin[graph.net_pins] = np.arange(len(graph.net_pins))
    driver_slot = np.where(graph.net_driver >= 0, slot_of_pin[np.maximum(graph.net_driver, 0)], -1)
    _reduce(parasitics.node_ptr, parasitics.node_parent, parasitics.node_res_kohm, parasitics.node_cap_pf,
            parasitics.slot_node, graph.net_ptr, graph.net_pins, pin_cap, driver_slot,
            c2, rpi, c1, elmore, has_rc)
    lumped = ~has_rc
    c1[lumped] = graph.net_sink_cap_pf(edge)[lumped] + parasitics.net_wire_cap_pf()[lumped]
    return PiModels(c2, rpi, c1, elmore, has_rc)

"""Wire parasitics as RC trees per net; Elmore delay per sink and lumped load per driver.

Each net owns a tree of nodes (CSR ``node_ptr``): node ``k`` hangs from
``node_parent[k]`` (local index, -1 for the root) through ``node_res_kohm[k]`` and
holds ``node_cap_pf[k]`` of wire capacitance (pi model: half of each segment's C at
each end). Every pin slot of the net (``net_pins`` order) sits on one node
(``slot_node``). Units: kohm x pF = ns.

The driver need not sit on the root: the Elmore delay from driver ``d`` to sink
``s`` sums, over the tree edges of the path, the edge resistance times the
capacitance beyond that edge seen from ``d`` (Elmore 1948; Rubinstein, Penfield &
Horowitz, "Signal delay in RC tree networks", IEEE TCAD 1983). :func:`wire_timing` gives the
whole net as a lumped load (wire + pin capacitance) for max-capacitance checks and power; delay
calculation reduces the tree to a pi model instead (:mod:`tapeout.signoff.pi_model`).

Trees come from the global router (:func:`parasitics_from_routes`) or, for unrouted
nets, from a rectilinear minimum spanning tree over the pins
(:func:`estimate_parasitics`). Via resistance is not modelled.
"""

from dataclasses import dataclass

import numba
import numpy as np

from tapeout.pnr.route.steiner import rectilinear_mst
from tapeout.tech.layers import routing_layer

__all__ = ["Parasitics", "WireTiming", "wire_timing", "estimate_parasitics",
           "parasitics_from_routes"]


@dataclass(frozen=True)
class Parasitics:
    """RC trees of every net (see the module docstring).

    Attributes
    ----------
    node_ptr : ndarray of int64, shape (n_nets + 1,)
    node_parent : ndarray of int64
        Local parent of each node, -1 for the root; parents precede children.
    node_res_kohm : ndarray of float
        Resistance from the node to its parent (kohm).
    node_cap_pf : ndarray of float
        Wire capacitance at the node (pF).
    slot_node : ndarray of int64, shape (len(net_pins),)
        Local node of each pin slot.
    """

    node_ptr: np.ndarray
    node_parent: np.ndarray
    node_res_kohm: np.ndarray
    node_cap_pf: np.ndarray
    slot_node: np.ndarray

    def __post_init__(self):
        n = int(self.node_ptr[-1])
        for name in ("node_parent", "node_res_kohm", "node_cap_pf"):
            if len(getattr(self, name)) != n:
                raise ValueError(f"{name} must have {n} entries, not {len(getattr(self, name))}")
        local = np.arange(n) - np.repeat(self.node_ptr[:-1], np.diff(self.node_ptr))
        bad = (self.node_parent >= local) | ((self.node_parent < 0) != (local == 0))
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            raise ValueError(f"node_parent must put the root first and parents before children, "
                             f"not parent {int(self.node_parent[k])} at node {k}")

    @property
    def n_nets(self):
        return len(self.node_ptr) - 1

    def net_wire_cap_pf(self):
        """Total wire capacitance of each net (pF)."""
        net_of = np.repeat(np.arange(self.n_nets), np.diff(self.node_ptr))
        return np.bincount(net_of, weights=self.node_cap_pf, minlength=self.n_nets)

    def net_wire_res_kohm(self):
        """Total wire resistance of each net (kohm)."""
        net_of = np.repeat(np.arange(self.n_nets), np.diff(self.node_ptr))
        return np.bincount(net_of, weights=self.node_res_kohm, minlength=self.n_nets)


@dataclass(frozen=True)
class WireTiming:
    """Per-net load and per-pin wire delay the propagation uses.

    Attributes
    ----------
    net_load_pf : ndarray, shape (n_nets,)
        Wire plus sink-pin capacitance each driver sees (pF).
    net_wire_cap_pf : ndarray, shape (n_nets,)
        Wire capacitance alone (pF).
    pin_delay_ns : ndarray, shape (n_pins,)
        Elmore delay from the net's driver to each pin (ns); 0 for drivers.
    """

    net_load_pf: np.ndarray
    net_wire_cap_pf: np.ndarray
    pin_delay_ns: np.ndarray


@numba.njit(cache=True)
def _elmore(node_ptr, parent, res, cap, slot_node, net_ptr, net_pins, pin_cap, driver_slot,
            pin_delay):
    n_nodes = len(parent)
    cdown = cap.copy()
    for net in range(len(node_ptr) - 1):
        lo = node_ptr[net]
        for s in range(net_ptr[net], net_ptr[net + 1]):
            if slot_node[s] >= 0:
                cdown[lo + slot_node[s]] += pin_cap[net_pins[s]]
    down_sum = np.zeros(n_nodes)
    up_sum = np.zeros(n_nodes)
    mark = np.full(n_nodes, -1, dtype=np.int64)
    for net in range(len(node_ptr) - 1):
        lo, hi = node_ptr[net], node_ptr[net + 1]
        if hi == lo:
            continue
        for k in range(hi - 1, lo, -1):
            cdown[lo + parent[k]] += cdown[k]
        total = cdown[lo]
        for k in range(lo + 1, hi):
            p = lo + parent[k]
            down_sum[k] = down_sum[p] + res[k] * cdown[k]
            up_sum[k] = up_sum[p] + res[k] * (total - cdown[k])
        ds = driver_slot[net]
        if ds < 0 or slot_node[ds] < 0:
            continue
        d = lo + slot_node[ds]
        v = d
        while True:
            mark[v] = net
            if parent[v] < 0:
                break
            v = lo + parent[v]
        for s in range(net_ptr[net], net_ptr[net + 1]):
            if s == ds or slot_node[s] < 0:
                continue
            sink = lo + slot_node[s]
            a = sink
            while mark[a] != net:
                a = lo + parent[a]
            pin_delay[net_pins[s]] = (up_sum[d] - up_sum[a]) + (down_sum[sink] - down_sum[a])


def wire_timing(parasitics, graph):
    """Lumped load per net and Elmore delay per pin of ``graph`` under ``parasitics``.

    ``parasitics`` may be None: no wires (zero delay, pin loads only).
    """
    sink_cap = graph.net_sink_cap_pf()
    pin_delay = np.zeros(graph.n_pins)
    if parasitics is None:
        return WireTiming(sink_cap, np.zeros(graph.n_nets), pin_delay)
    if parasitics.n_nets != graph.n_nets or len(parasitics.slot_node) != len(graph.net_pins):
        raise ValueError(f"parasitics must describe {graph.n_nets} nets and "
                         f"{len(graph.net_pins)} pin slots, not {parasitics.n_nets} and "
                         f"{len(parasitics.slot_node)}")
    slot_of_pin = np.full(graph.n_pins, -1, dtype=np.int64)
    slot_of_pin[graph.net_pins] = np.arange(len(graph.net_pins))
    driver_slot = np.where(graph.net_driver >= 0, slot_of_pin[np.maximum(graph.net_driver, 0)], -1)
    _elmore(parasitics.node_ptr, parasitics.node_parent, parasitics.node_res_kohm,
            parasitics.node_cap_pf, parasitics.slot_node, graph.net_ptr, graph.net_pins,
            graph.pin_cap_pf, driver_slot, pin_delay)
    wire_cap = parasitics.net_wire_cap_pf()
    return WireTiming(sink_cap + wire_cap, wire_cap, pin_delay)


def _segment_rc(length_um, r_ohm_per_um, c_ff_per_um):
    """Resistance (kohm) and capacitance (pF) of wires of ``length_um``."""
    return length_um * r_ohm_per_um * 1e-3, length_um * c_ff_per_um * 1e-3


def _pi_caps(node_ptr, parent, seg_cap):
    """Node capacitances of the pi model: half of each segment's C at each end."""
    cap = 0.5 * seg_cap
    has_parent = parent >= 0
    start = np.repeat(node_ptr[:-1], np.diff(node_ptr))
    np.add.at(cap, (start + parent)[has_parent], 0.5 * seg_cap[has_parent])
    return cap


def estimate_parasitics(graph, pin_x_um, pin_y_um, layer=None, nets=None):
    """RC trees from a rectilinear minimum spanning tree over each net's pins.

    Parameters
    ----------
    graph : TimingGraph
    pin_x_um, pin_y_um : array of float, shape (n_pins,)
        Pin positions (um).
    layer : RoutingLayer, optional
        Layer whose R and C per um the wires get (default ``met2``).
    nets : array of bool, optional
        Nets to estimate; the others get no wire.

    Returns
    -------
    Parasitics
        One node per pin slot, rooted at the net's first pin.
    """
    layer = routing_layer("met2") if layer is None else layer
    x_nm = np.rint(np.asarray(pin_x_um, dtype=float) * 1000).astype(np.int64)
    y_nm = np.rint(np.asarray(pin_y_um, dtype=float) * 1000).astype(np.int64)
    if x_nm.shape != (graph.n_pins,) or y_nm.shape != (graph.n_pins,):
        raise ValueError(f"pin_x_um and pin_y_um must have {graph.n_pins} entries, "
                         f"not shapes {x_nm.shape} and {y_nm.shape}")
    chosen = np.ones(graph.n_nets, dtype=bool) if nets is None else np.asarray(nets, dtype=bool)
    counts = np.where(chosen, np.diff(graph.net_ptr), 0)
    node_ptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    parent = np.empty(node_ptr[-1], dtype=np.int64)
    length = np.zeros(node_ptr[-1])
    slot_node = np.full(len(graph.net_pins), -1, dtype=np.int64)
    # two-pin nets (most of them) at once: the second pin hangs from the first
    first, node = graph.net_ptr[:-1][counts == 2], node_ptr[:-1][counts == 2]
    a, b = graph.net_pins[first], graph.net_pins[first + 1]
    parent[node], parent[node + 1] = -1, 0
    length[node + 1] = (np.abs(x_nm[b] - x_nm[a]) + np.abs(y_nm[b] - y_nm[a])) * 1e-3
    slot_node[first], slot_node[first + 1] = 0, 1
    for net in np.flatnonzero((counts > 0) & (counts != 2)):
        lo, hi = graph.net_ptr[net], graph.net_ptr[net + 1]
        pins = graph.net_pins[lo:hi]
        p, _ = rectilinear_mst(x_nm[pins], y_nm[pins])
        wire = np.zeros(len(p))
        has = p >= 0
        wire[has] = (np.abs(x_nm[pins][has] - x_nm[pins][p[has]])
                     + np.abs(y_nm[pins][has] - y_nm[pins][p[has]])) * 1e-3
        order, new_parent = _parents_first(p)
        parent[node_ptr[net]:node_ptr[net + 1]] = new_parent
        length[node_ptr[net]:node_ptr[net + 1]] = wire[order]
        slot_node[lo:hi] = np.argsort(order)
    res, seg_cap = _segment_rc(length, layer.r_ohm_per_um, layer.c_ff_per_um)
    return Parasitics(node_ptr, parent, res, _pi_caps(node_ptr, parent, seg_cap), slot_node)


def _parents_first(parent):
    """Renumber one tree so that parents precede children (root first).

    Returns ``order`` (old index of each new node) and the new parent array.
    """
    depth = np.zeros(len(parent), dtype=np.int64)
    up = parent.copy()
    while (up >= 0).any():
        depth += up >= 0
        up = np.where(up >= 0, parent[np.maximum(up, 0)], -1)
    order = np.argsort(depth, kind="stable")
    new_of_old = np.argsort(order)
    old_parent = parent[order]
    return order, np.where(old_parent >= 0, new_of_old[np.maximum(old_parent, 0)], -1)


def parasitics_from_routes(route, graph, layers, pin_x_um=None, pin_y_um=None, fallback_layer=None):
    """RC trees from the global router's layered trees, with a pin stub per pin.

    Each tree segment gets the R and C per um of its layer; each pin hangs from its
    tree node by a stub of its distance to the gcell centre on the pin layer. Nets
    the router skipped are estimated by :func:`estimate_parasitics` when pin
    positions are given, else left without wire.

    Parameters
    ----------
    route : tapeout.pnr.route.result.RouteResult
        Its nets and pin order must be those of ``graph``.
    graph : TimingGraph
    layers : sequence of RoutingLayer
        Electrical data of the router's layers, in its layer order
        (e.g. ``tapeout.tech.layers.METAL_STACK`` filtered by the grid's layer names).
    pin_x_um, pin_y_um : array of float, optional
        Pin positions for the fallback estimate (default: the route's).
    fallback_layer : RoutingLayer, optional
        Layer of estimated wires.
    """
    if not np.array_equal(np.asarray(route.net_ptr), graph.net_ptr):
        raise ValueError("route must have the nets and pin counts of the timing graph")
    r_um = np.array([l.r_ohm_per_um for l in layers])
    c_um = np.array([l.c_ff_per_um for l in layers])
    n_nets = graph.n_nets
    n_tree = np.diff(route.node_ptr)
    n_slots = np.diff(graph.net_ptr)
    routed = np.asarray(route.routed, dtype=bool) & (n_tree > 0)
    counts = np.where(routed, n_tree + n_slots, 0)
    node_ptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    parent = np.empty(node_ptr[-1], dtype=np.int64)
    length = np.zeros(node_ptr[-1])
    layer = np.zeros(node_ptr[-1], dtype=np.int64)
    net_of_node = np.repeat(np.arange(n_nets), n_tree)
    keep = routed[net_of_node]
    tree_local = np.arange(len(route.node_parent)) - route.node_ptr[net_of_node]
    dest = node_ptr[net_of_node] + tree_local
    parent[dest[keep]] = route.node_parent[keep]
    length[dest[keep]] = route.node_wire_um[keep]
    layer[dest[keep]] = np.maximum(route.node_layer[keep], 0)
    net_of_slot = np.repeat(np.arange(n_nets), n_slots)
    slot_keep = routed[net_of_slot]
    slot_local = n_tree[net_of_slot] + np.arange(len(graph.net_pins)) - graph.net_ptr[net_of_slot]
    slot_dest = node_ptr[net_of_slot] + slot_local
    gx, gy = route.grid.gcell_of(route.pin_x_um, route.pin_y_um)
    stub = (np.abs(route.pin_x_um - route.grid.x_centers[gx])
            + np.abs(route.pin_y_um - route.grid.y_centers[gy]))
    pin_node = np.where(route.pin_node >= 0, route.pin_node, 0)
    parent[slot_dest[slot_keep]] = pin_node[slot_keep]
    length[slot_dest[slot_keep]] = stub[slot_keep]
    layer[slot_dest[slot_keep]] = route.pin_layer
    res, seg_cap = _segment_rc(length, r_um[layer], c_um[layer])
    cap = _pi_caps(node_ptr, parent, seg_cap)
    slot_node = np.where(slot_keep, slot_local, -1)
    routed_part = Parasitics(node_ptr, parent, res, cap, slot_node)
    unrouted = ~routed & (n_slots > 1)
    if not unrouted.any():
        return routed_part
    if pin_x_um is None:
        pin_x_um, pin_y_um = np.zeros(graph.n_pins), np.zeros(graph.n_pins)
        pin_x_um[graph.net_pins], pin_y_um[graph.net_pins] = route.pin_x_um, route.pin_y_um
    estimate = estimate_parasitics(graph, pin_x_um, pin_y_um, fallback_layer, nets=unrouted)
    return merge_parasitics(graph, routed_part, estimate, unrouted)


def merge_parasitics(graph, base, other, take_other):
    """Nets of ``base``, except those flagged in ``take_other`` which come from ``other``."""
    take_other = np.asarray(take_other, dtype=bool)
    counts = np.where(take_other, np.diff(other.node_ptr), np.diff(base.node_ptr))
    node_ptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    net_of = np.repeat(np.arange(len(counts)), counts)
    src_start = np.where(take_other, other.node_ptr[:-1], base.node_ptr[:-1])
    gather = src_start[net_of] + np.arange(node_ptr[-1]) - node_ptr[net_of]
    from_other = take_other[net_of]

    def pick(a, b):
        out = np.empty(node_ptr[-1], dtype=a.dtype)
        out[~from_other] = a[gather[~from_other]]
        out[from_other] = b[gather[from_other]]
        return out

    slot_other = take_other[np.repeat(np.arange(graph.n_nets), np.diff(graph.net_ptr))]
    return Parasitics(node_ptr, pick(base.node_parent, other.node_parent),
                      pick(base.node_res_kohm, other.node_res_kohm),
                      pick(base.node_cap_pf, other.node_cap_pf),
                      np.where(slot_other, other.slot_node, base.slot_node))

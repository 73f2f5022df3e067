"""Parasitics extracted from the detailed router's wires and vias (the `droute` stage's `routes.json`).

Each net's geometry becomes a resistor network: a node wherever a wire ends, a via lands or two wires
of one layer meet (a wire is split at every such point on it); a wire segment of length L on a layer of
sheet resistance R_sq (ohm/square), width W, area capacitance C_a (pF/um2) and edge capacitance C_e
(pF/um, the tech LEF's EDGECAPACITANCE: fringe and sidewall, neighbours' coupling lumped to ground)
has R = R_sq L / W and C = C_a W L + 2 C_e L; a via has its cut layer's resistance per cut (the
router's vias have one cut) and no capacitance; a same-net patch (DEF RECT) adds its area and edge
capacitance to the nearest node of its layer. A pin sits on the node where its wire reaches it: a node
on one of the pin's layers inside one of its shapes, widened by `REACH_UM` (the router's access vias lie
at most that far outside the shape). The network becomes a tree (`tapeout.signoff.parasitics`) by a
breadth-first walk from the net's first pin; an edge that closes a loop keeps its capacitance (half at
each end) and loses its resistance. Units of the trees: kohm, pF.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from tapeout.errors import TapeoutError
from tapeout.pnr.formats.layout import RoutedRect, RoutedVia, RoutedWire
from tapeout.signoff.parasitics import Parasitics, merge_parasitics

REACH_UM = 0.17
"""How far outside a pin's shape the route may end and still reach the pin (um)."""


class ExtractionError(TapeoutError):
    """Routed geometry that does not connect a net's pins."""


def _nm(v: float) -> int:
    return int(round(v * 1000))


def _wire_points(wire: RoutedWire):
    return (_nm(wire.x0), _nm(wire.y0)), (_nm(wire.x1), _nm(wire.y1))


def _on(point, a, b) -> bool:
    """Whether `point` lies on the axis-parallel segment a-b (nm)."""
    (x, y), (x0, y0), (x1, y1) = point, a, b
    return min(x0, x1) <= x <= max(x0, x1) and min(y0, y1) <= y <= max(y0, y1) and (x0 == x1 or y0 == y1)


class _Network:
    """Nodes (layer, x nm, y nm) and edges (a, b, R kohm, C pF) of one net."""

    def __init__(self):
        self.index: dict[tuple[str, int, int], int] = {}
        self.edges: list[tuple[int, int, float, float]] = []
        self.extra_cap: dict[int, float] = {}

    def node(self, layer: str, x: int, y: int) -> int:
        return self.index.setdefault((layer, x, y), len(self.index))


def net_network(items, layers, cuts, pin_shapes=()) -> _Network:
    """The resistor network of one net's routed `items`; `layers` maps a routing layer's name to its
    RoutingLayer, `cuts` a bottom layer's name to the CutLayer above it. A wire crossing one of the
    `pin_shapes` (layer, rect um) widened by REACH_UM gets a node there (a pin of metal on a routing
    layer is touched by the wire passing over it)."""
    net = _Network()
    wires: dict[str, list] = {}
    points: dict[str, set] = {}
    for item in items:
        if isinstance(item, RoutedWire):
            a, b = _wire_points(item)
            wires.setdefault(item.layer, []).append((a, b))
            points.setdefault(item.layer, set()).update((a, b))
        elif isinstance(item, RoutedVia):
            cut = cuts[item.layer]
            p = (_nm(item.x), _nm(item.y))
            points.setdefault(item.layer, set()).add(p)
            points.setdefault(cut.above, set()).add(p)
            net.edges.append((net.node(item.layer, *p), net.node(cut.above, *p), cut.r_ohm_per_cut * 1e-3, 0.0))
    reach = _nm(REACH_UM)
    for layer, (x0, y0, x1, y1) in pin_shapes:
        for a, b in wires.get(layer, ()):
            for grow in (0, reach):  # on the shape, else beside it
                lo = (max(min(a[0], b[0]), _nm(x0) - grow), max(min(a[1], b[1]), _nm(y0) - grow))
                hi = (min(max(a[0], b[0]), _nm(x1) + grow), min(max(a[1], b[1]), _nm(y1) + grow))
                if lo[0] <= hi[0] and lo[1] <= hi[1]:  # the wire's centre line runs over the shape
                    points[layer].add(lo)
                    break
    for layer, segs in wires.items():  # a horizontal and a vertical wire of one layer meet where they cross
        flat = [s for s in segs if s[0][1] == s[1][1]]
        upright = [s for s in segs if s[0][0] == s[1][0] and s[0][1] != s[1][1]]
        for (h0, h1) in flat:
            for (v0, v1) in upright:
                cross = (v0[0], h0[1])
                if _on(cross, h0, h1) and _on(cross, v0, v1):
                    points[layer].add(cross)
    for layer, segs in wires.items():
        rc = layers[layer]
        for a, b in segs:
            on = sorted((p for p in points[layer] if _on(p, a, b)), key=lambda p: (p[0], p[1]))
            for p, q in zip(on[:-1], on[1:]):
                length = (abs(q[0] - p[0]) + abs(q[1] - p[1])) * 1e-3
                res = rc.r_ohm_per_sq * length / rc.width_um * 1e-3
                cap = rc.c_area_pf_per_um2 * rc.width_um * length + 2 * rc.c_edge_pf_per_um * length
                net.edges.append((net.node(layer, *p), net.node(layer, *q), res, cap))
            if len(on) == 1:
                net.node(layer, *on[0])
    for item in items:
        if isinstance(item, RoutedRect):
            rc = layers[item.layer]
            w, h = abs(item.x1 - item.x0), abs(item.y1 - item.y0)
            cx, cy = _nm((item.x0 + item.x1) / 2), _nm((item.y0 + item.y1) / 2)
            near = [(abs(x - cx) + abs(y - cy), k) for (lay, x, y), k in net.index.items() if lay == item.layer]
            if near:
                k = min(near)[1]
                net.extra_cap[k] = net.extra_cap.get(k, 0.0) + rc.c_area_pf_per_um2 * w * h \
                    + 2 * rc.c_edge_pf_per_um * (w + h)
    return net


def _pin_node(net: _Network, shapes) -> int:
    """The lowest-numbered node on one of `shapes` (layer, (x0, y0, x1, y1) um), widened by REACH_UM; -1: none."""
    reach = _nm(REACH_UM)
    found = [k for (layer, x, y), k in net.index.items() for lay, (x0, y0, x1, y1) in shapes
             if lay == layer and _nm(x0) - reach <= x <= _nm(x1) + reach and _nm(y0) - reach <= y <= _nm(y1) + reach]
    return min(found) if found else -1


def net_tree(name: str, items, pin_shapes, pin_labels, layers, cuts):
    """RC tree of one routed net (see the module docstring).

    Parameters
    ----------
    name : str
        The net's name, for messages.
    items : list of RoutedWire, RoutedVia, RoutedRect
    pin_shapes : list of list of (layer, (x0, y0, x1, y1))
        Shapes (um) of each pin of the net, in the net's pin order.
    pin_labels : list of str
        Each pin's name for messages (``inst/A``).
    layers, cuts : dict
        RoutingLayer by name; CutLayer by the name of the layer below it.

    Returns
    -------
    parent, res_kohm, cap_pf, slot_node : ndarrays, parents before children, root first.
    """
    net = net_network(items, layers, cuts)
    missed = [shape for shapes in pin_shapes if _pin_node(net, shapes) < 0 for shape in shapes]
    if missed:  # pins of metal the wires run over without a node there
        net = net_network(items, layers, cuts, missed)
    slots = []
    for shapes, label in zip(pin_shapes, pin_labels):
        k = _pin_node(net, shapes)
        if k < 0:
            where = ", ".join(sorted({layer for layer, _ in shapes})) or "no layer"
            raise ExtractionError(f"net {name}: its routed wires do not reach pin {label} "
                                  f"(nothing on {where} within {REACH_UM} um of the pin's shape)")
        slots.append(k)
    n = len(net.index)
    adjacent: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for e, (a, b, _, _) in enumerate(net.edges):
        adjacent[a].append((b, e))
        adjacent[b].append((a, e))
    order, parent_edge = [slots[0]], {slots[0]: -1}
    queue = deque(order)
    while queue:
        v = queue.popleft()
        for w, e in adjacent[v]:
            if w not in parent_edge:
                parent_edge[w] = e
                order.append(w)
                queue.append(w)
    for k, label in zip(slots, pin_labels):
        if k not in parent_edge:
            raise ExtractionError(f"net {name}: its routed wires do not connect pin {label} to pin {pin_labels[0]}")
    local = {v: i for i, v in enumerate(order)}
    parent = np.full(len(order), -1, dtype=np.int64)
    res = np.zeros(len(order))
    cap = np.zeros(len(order))
    for v, i in local.items():
        cap[i] += net.extra_cap.get(v, 0.0)
    for e, (a, b, r, c) in enumerate(net.edges):
        if a not in local:
            continue  # metal not connected to the net's pins
        cap[local[a]] += c / 2
        cap[local[b]] += c / 2
        if parent_edge.get(b) == e:
            child, up = b, a
        elif parent_edge.get(a) == e:
            child, up = a, b
        else:
            continue  # closes a loop
        parent[local[child]] = local[up]
        res[local[child]] = r
    return parent, res, cap, np.array([local[k] for k in slots], dtype=np.int64)


def routed_parasitics(graph, routes, route_names, pin_shapes, technology, fallback) -> Parasitics:
    """RC trees of every net of `graph` that `routes` holds (by `route_names[net]`), the others from
    `fallback` (the global-route estimate). `pin_shapes[pin]` lists each graph pin's shapes."""
    layers = {lay.name: lay for lay in technology.metal_stack}
    cuts = {cut.below: cut for cut in technology.cut_stack}
    parts = []
    slot_node = np.full(len(graph.net_pins), -1, dtype=np.int64)
    taken = np.zeros(graph.n_nets, dtype=bool)
    for net in range(graph.n_nets):
        items = routes.get(route_names[net])
        lo, hi = graph.net_ptr[net], graph.net_ptr[net + 1]
        if not items or hi - lo < 2:
            parts.append(None)
            continue
        pins = graph.net_pins[lo:hi]
        labels = [graph.pin_names[p] if graph.pin_cell[p] < 0 else
                  f"{graph.cell_names[graph.pin_cell[p]]}/{graph.pin_names[p]}" for p in pins]
        tree = net_tree(route_names[net], items, [pin_shapes[p] for p in pins], labels, layers, cuts)
        parts.append(tree)
        slot_node[lo:hi] = tree[3]
        taken[net] = True
    counts = [0 if t is None else len(t[0]) for t in parts]
    node_ptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    pick = [t for t in parts if t is not None]

    def joined(k, dtype):
        return np.concatenate([t[k] for t in pick]).astype(dtype) if pick else np.zeros(0, dtype=dtype)

    extracted = Parasitics(node_ptr, joined(0, np.int64), joined(1, float), joined(2, float), slot_node)
    return merge_parasitics(graph, fallback, extracted, taken)

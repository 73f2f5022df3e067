"""Global routing result: per-net layered route trees, usage, congestion, guides.

``build_route_result`` turns the 2-D routes (a set of gcell edges per net) into
trees of straight segments and assigns each segment a metal layer:

* a tree node sits at the driver's gcell (the root: the first pin of the net),
  at every pin gcell, branch and bend; a segment is the straight run between a
  node and its parent;
* layer assignment is greedy, net by net in index order and segment by segment
  from the root: among the usable layers of the segment's direction, take the one
  whose tracks overflow least along the run, then the one with the most tracks
  left on its fullest edge, then the lowest. The 2-D capacity of an edge is the
  sum of its layers', so 2-D overflow is a lower bound of layer overflow.

Lengths are gcell-centre to gcell-centre (um): a net inside one gcell has no
global wire; ``NetTree.pin_stub_um`` gives each pin's distance to its node.
"""

from dataclasses import dataclass

import numba
import numpy as np

from tapeout.pnr.route.grid import h_edge, v_edge

__all__ = ["NetTree", "RouteResult", "build_route_result"]


@dataclass(frozen=True)
class NetTree:
    """One net's route as a tree of straight segments, root (driver) first.

    Attributes
    ----------
    node_gx, node_gy : ndarray of int
        GCell of each node.
    node_x_um, node_y_um : ndarray of float
        GCell centre of each node (um).
    parent : ndarray of int
        Parent node, ``-1`` for the root; parents come before children.
    layer : ndarray of int
        Metal layer index of the wire from the node to its parent (``-1`` for the root).
    wire_um : ndarray of float
        Length of that wire (um).
    pin_node : ndarray of int
        Node of each pin of the net, in the net's pin order.
    pin_stub_um : ndarray of float
        Manhattan distance from each pin to its node's gcell centre (um).
    """

    node_gx: np.ndarray
    node_gy: np.ndarray
    node_x_um: np.ndarray
    node_y_um: np.ndarray
    parent: np.ndarray
    layer: np.ndarray
    wire_um: np.ndarray
    pin_node: np.ndarray
    pin_stub_um: np.ndarray

    @property
    def wirelength_um(self):
        """Total wire length of the tree (um)."""
        return float(self.wire_um.sum())


@numba.njit(cache=True)
def _next_edge(g, d, nx, ny, n_h):
    """Edge leaving gcell g in direction d (0 -x, 1 +x, 2 -y, 3 +y), and the gcell it reaches."""
    x, y = g % nx, g // nx
    if d == 0:
        return (h_edge(x - 1, y, nx), g - 1) if x > 0 else (-1, -1)
    if d == 1:
        return (h_edge(x, y, nx), g + 1) if x < nx - 1 else (-1, -1)
    if d == 2:
        return (v_edge(x, y - 1, nx, n_h), g - nx) if y > 0 else (-1, -1)
    return (v_edge(x, y, nx, n_h), g + nx) if y < ny - 1 else (-1, -1)


@numba.njit(cache=True)
def _assign_layer(run, n_run, direction, layer_dir, layer_usable, layer_capacity, layer_usage):
    best, best_over, best_slack = -1, 0, 0
    for l in range(len(layer_dir)):
        if layer_dir[l] != direction or not layer_usable[l]:
            continue
        over = 0
        slack = 1 << 30
        for k in range(n_run):
            left = layer_capacity[l, run[k]] - layer_usage[l, run[k]]
            if left < 1:
                over += 1
            slack = min(slack, left)
        if best < 0 or over < best_over or (over == best_over and slack > best_slack):
            best, best_over, best_slack = l, over, slack
    for k in range(n_run):
        layer_usage[best, run[k]] += 1
    return best


@numba.njit(cache=True)
def _build_trees(route_ptr, route_edges, net_ptr, pin_g, routed, nx, ny, n_h, layer_dir, layer_usable,
                 layer_capacity, pin_layer, layer_usage, node_ptr, node_g, node_parent, node_layer,
                 pin_node, net_vias):
    n_nets = len(net_ptr) - 1
    edge_mark = np.zeros(layer_usage.shape[1], dtype=np.int64)
    pin_mark = np.zeros(nx * ny, dtype=np.int64)
    node_mark = np.zeros(nx * ny, dtype=np.int64)
    node_of = np.zeros(nx * ny, dtype=np.int64)
    max_nodes = 1
    for net in range(n_nets):
        max_nodes = max(max_nodes, route_ptr[net + 1] - route_ptr[net] + 1)
    stack_node = np.empty(max_nodes, dtype=np.int64)
    stack_back = np.empty(max_nodes, dtype=np.int64)
    run = np.empty(max_nodes, dtype=np.int64)
    lo_layer = np.empty(max_nodes, dtype=np.int64)
    hi_layer = np.empty(max_nodes, dtype=np.int64)
    n_all = 0
    for net in range(n_nets):
        node_ptr[net] = n_all
        plo, phi = net_ptr[net], net_ptr[net + 1]
        if not routed[net] or phi == plo:
            for p in range(plo, phi):
                pin_node[p] = -1
            continue
        stamp = net + 1
        for k in range(route_ptr[net], route_ptr[net + 1]):
            edge_mark[route_edges[k]] = stamp
        for p in range(plo, phi):
            pin_mark[pin_g[p]] = stamp
        base = n_all
        root = pin_g[plo]
        node_g[base] = root
        node_parent[base] = -1
        node_layer[base] = -1
        node_mark[root] = stamp
        node_of[root] = 0
        lo_layer[0] = pin_layer
        hi_layer[0] = pin_layer
        n_local = 1
        stack_node[0] = 0
        stack_back[0] = -1
        depth = 1
        while depth > 0:
            depth -= 1
            parent = stack_node[depth]
            back = stack_back[depth]
            g0 = node_g[base + parent]
            for d in range(4):
                e, cur = _next_edge(g0, d, nx, ny, n_h)
                if e < 0 or e == back or edge_mark[e] != stamp:
                    continue
                n_run = 0
                while True:
                    run[n_run] = e
                    n_run += 1
                    if pin_mark[cur] == stamp:
                        break
                    degree = 0
                    for dd in range(4):
                        ee, _ = _next_edge(cur, dd, nx, ny, n_h)
                        if ee >= 0 and edge_mark[ee] == stamp:
                            degree += 1
                    if degree != 2:
                        break
                    ee, nxt = _next_edge(cur, d, nx, ny, n_h)
                    if ee < 0 or edge_mark[ee] != stamp:
                        break  # a bend
                    e, cur = ee, nxt
                layer = _assign_layer(run, n_run, 0 if d < 2 else 1, layer_dir, layer_usable,
                                      layer_capacity, layer_usage)
                k = n_local
                n_local += 1
                node_g[base + k] = cur
                node_parent[base + k] = parent
                node_layer[base + k] = layer
                node_mark[cur] = stamp
                node_of[cur] = k
                lo_layer[k] = layer
                hi_layer[k] = layer
                if pin_mark[cur] == stamp:
                    lo_layer[k] = min(layer, pin_layer)
                    hi_layer[k] = max(layer, pin_layer)
                lo_layer[parent] = min(lo_layer[parent], layer)
                hi_layer[parent] = max(hi_layer[parent], layer)
                stack_node[depth] = k
                stack_back[depth] = e
                depth += 1
        vias = 0
        for k in range(n_local):
            vias += hi_layer[k] - lo_layer[k]
        net_vias[net] = vias
        for p in range(plo, phi):
            pin_node[p] = node_of[pin_g[p]] if node_mark[pin_g[p]] == stamp else -1
        n_all += n_local
    node_ptr[n_nets] = n_all
    return n_all


@dataclass(frozen=True)
class RouteResult:
    """Everything the global router found.

    Attributes
    ----------
    grid : RoutingGrid
        The grid routed on.
    net_ptr : ndarray of int64
        Pins per net (CSR), as in the problem.
    pin_x_um, pin_y_um : ndarray of float
        Pin positions (um).
    routed : ndarray of bool
        Nets that were routed (not skipped).
    route_ptr, route_edges : ndarray of int64
        2-D gcell edges of each net (CSR).
    node_ptr : ndarray of int64
        Tree nodes of each net (CSR over the ``node_*`` arrays).
    node_gx, node_gy, node_parent, node_layer : ndarray of int32
        Per node: gcell, parent (local index within its net, ``-1`` root) and
        layer of the wire to the parent (``-1`` root).
    node_wire_um : ndarray of float64
        Length of the wire from each node to its parent (um).
    pin_node : ndarray of int32
        Local tree node of each pin (``-1`` on skipped nets).
    net_vias : ndarray of int32
        Vias of each net (layer changes at nodes, pins on ``pin_layer``).
    usage, capacity : ndarray of int32
        2-D wires and tracks per edge.
    layer_usage, layer_capacity : ndarray of int32, shape (n_layers, n_edges)
        Wires and tracks per layer and edge.
    pin_layer : int
        Layer index of the pins.
    overflow_history : tuple of int
        Total 2-D overflow after pattern routing, then after each
        negotiation iteration.
    """

    grid: object
    net_ptr: np.ndarray
    pin_x_um: np.ndarray
    pin_y_um: np.ndarray
    routed: np.ndarray
    route_ptr: np.ndarray
    route_edges: np.ndarray
    node_ptr: np.ndarray
    node_gx: np.ndarray
    node_gy: np.ndarray
    node_parent: np.ndarray
    node_layer: np.ndarray
    node_wire_um: np.ndarray
    pin_node: np.ndarray
    net_vias: np.ndarray
    usage: np.ndarray
    capacity: np.ndarray
    layer_usage: np.ndarray
    layer_capacity: np.ndarray
    pin_layer: int
    overflow_history: tuple

    @property
    def n_nets(self):
        return len(self.net_ptr) - 1

    @property
    def wirelength_um(self):
        """Total routed wire length (um), gcell-centre to gcell-centre."""
        return float(self.node_wire_um.sum())

    @property
    def net_wirelength_um(self):
        """Routed wire length of each net (um)."""
        per_node_net = np.repeat(np.arange(self.n_nets), np.diff(self.node_ptr))
        return np.bincount(per_node_net, weights=self.node_wire_um, minlength=self.n_nets)

    @property
    def via_count(self):
        return int(self.net_vias.sum())

    @property
    def edge_overflow(self):
        """2-D overflow of each edge (wires beyond its tracks)."""
        return np.maximum(self.usage - self.capacity, 0)

    @property
    def overflow_total(self):
        """Sum of 2-D edge overflow (wires)."""
        return int(self.edge_overflow.sum())

    @property
    def overflowed_edges(self):
        """Number of edges with more wires than tracks."""
        return int((self.usage > self.capacity).sum())

    @property
    def layer_overflow_total(self):
        """Sum of per-layer edge overflow after layer assignment (wires)."""
        return int(np.maximum(self.layer_usage - self.layer_capacity, 0).sum())

    def recompute_usage(self):
        """2-D usage counted afresh from the nets' edges (checks the incremental one)."""
        return np.bincount(self.route_edges, minlength=self.grid.n_edges).astype(np.int32)

    def recompute_layer_usage(self):
        """Per-layer usage counted afresh from the trees' segments."""
        grid = self.grid
        usage = np.zeros_like(self.layer_usage)
        child = np.flatnonzero(self.node_parent >= 0)
        net_of = np.repeat(np.arange(self.n_nets), np.diff(self.node_ptr))[child]
        parent = self.node_ptr[net_of] + self.node_parent[child]
        for k, p in zip(child, parent):
            x0, x1 = sorted((self.node_gx[k], self.node_gx[p]))
            y0, y1 = sorted((self.node_gy[k], self.node_gy[p]))
            if y0 == y1:
                edges = y0 * (grid.nx - 1) + np.arange(x0, x1)
            else:
                edges = grid.n_h_edges + np.arange(y0, y1) * grid.nx + x0
            usage[self.node_layer[k], edges] += 1
        return usage

    def net_tree(self, net):
        """The route tree of one net (empty for skipped nets)."""
        if not (0 <= net < self.n_nets):
            raise ValueError(f"net must be an index from 0 to {self.n_nets - 1}, not {net!r}")
        lo, hi = self.node_ptr[net], self.node_ptr[net + 1]
        gx, gy = self.node_gx[lo:hi], self.node_gy[lo:hi]
        x_um, y_um = self.grid.x_centers[gx], self.grid.y_centers[gy]
        plo, phi = self.net_ptr[net], self.net_ptr[net + 1]
        pin_node = self.pin_node[plo:phi]
        on_tree = pin_node >= 0
        stub = np.zeros(phi - plo)
        stub[on_tree] = (np.abs(self.pin_x_um[plo:phi][on_tree] - x_um[pin_node[on_tree]])
                         + np.abs(self.pin_y_um[plo:phi][on_tree] - y_um[pin_node[on_tree]]))
        return NetTree(gx, gy, x_um, y_um, self.node_parent[lo:hi], self.node_layer[lo:hi],
                       self.node_wire_um[lo:hi], pin_node, stub)

    def gcell_congestion(self):
        """Per gcell, shape (ny, nx): the larger of its horizontal and vertical
        usage/capacity ratios over the edges touching it (inf where wires cross
        edges without tracks)."""
        grid = self.grid
        n_g = grid.nx * grid.ny
        ratio = np.zeros(n_g)
        for vertical in (False, True):
            sel = np.arange(grid.n_h_edges, grid.n_edges) if vertical else np.arange(grid.n_h_edges)
            a, b = _edge_end_arrays(sel, grid)
            use = np.bincount(a, self.usage[sel], n_g) + np.bincount(b, self.usage[sel], n_g)
            cap = np.bincount(a, self.capacity[sel], n_g) + np.bincount(b, self.capacity[sel], n_g)
            with np.errstate(divide="ignore", invalid="ignore"):
                r = np.where(cap > 0, use / np.where(cap > 0, cap, 1), np.where(use > 0, np.inf, 0.0))
            ratio = np.maximum(ratio, r)
        return ratio.reshape(grid.ny, grid.nx)

    def overflowed_gcells(self):
        """Per gcell, shape (ny, nx): True where an edge touching it overflows."""
        grid = self.grid
        over = np.flatnonzero(self.usage > self.capacity)
        a, b = _edge_end_arrays(over, grid)
        mask = np.zeros(grid.nx * grid.ny, dtype=bool)
        mask[a] = True
        mask[b] = True
        return mask.reshape(grid.ny, grid.nx)

    def route_guides(self, net):
        """Route guide rectangles of one net: ``(layer_name, x0, y0, x1, y1)`` in um.

        Each segment's gcells on its layer, and at each node its gcell on every
        layer its vias cross (pins sit on ``pin_layer``), as in a DEF flow's
        ``.guide`` file.
        """
        tree = self.net_tree(net)
        grid = self.grid
        xc, yc = grid.x_cuts, grid.y_cuts
        names = [layer.name for layer in grid.layers]
        n = len(tree.parent)
        lo = np.full(n, self.pin_layer if n else 0)
        hi = lo.copy()
        has_pin = np.zeros(n, dtype=bool)
        has_pin[tree.pin_node[tree.pin_node >= 0]] = True
        lo[~has_pin] = len(names)
        hi[~has_pin] = -1
        guides = []
        for k in range(n):
            p = tree.parent[k]
            if p < 0:
                continue
            layer = tree.layer[k]
            for node in (k, p):
                lo[node] = min(lo[node], layer)
                hi[node] = max(hi[node], layer)
            gx0, gx1 = sorted((tree.node_gx[k], tree.node_gx[p]))
            gy0, gy1 = sorted((tree.node_gy[k], tree.node_gy[p]))
            guides.append((names[layer], xc[gx0], yc[gy0], xc[gx1 + 1], yc[gy1 + 1]))
        for k in range(n):
            for layer in range(lo[k], hi[k] + 1):
                g = (names[layer], xc[tree.node_gx[k]], yc[tree.node_gy[k]],
                     xc[tree.node_gx[k] + 1], yc[tree.node_gy[k] + 1])
                if g not in guides:
                    guides.append(g)
        return [(name, float(x0), float(y0), float(x1), float(y1)) for name, x0, y0, x1, y1 in guides]

    def write_route_guides(self, path, net_names, dbu_per_um=1000):
        """Write a route-guide file (OpenROAD/Innovus ``.guide`` style, DEF units).

        Parameters
        ----------
        path : str or path-like
            File to write.
        net_names : sequence of str
            Name of each net; skipped nets are left out.
        dbu_per_um : int
            DEF database units per um.
        """
        if len(net_names) != self.n_nets:
            raise ValueError(f"net_names must name {self.n_nets} nets, not {len(net_names)}")
        if not (isinstance(dbu_per_um, int) and dbu_per_um > 0):
            raise ValueError(f"dbu_per_um must be a positive integer, not {dbu_per_um!r}")
        lines = []
        for net in np.flatnonzero(self.routed):
            lines.append(str(net_names[net]))
            lines.append("(")
            for name, x0, y0, x1, y1 in self.route_guides(int(net)):
                coords = (round(v * dbu_per_um) for v in (x0, y0, x1, y1))
                lines.append(" ".join(str(c) for c in coords) + f" {name}")
            lines.append(")")
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")


def _edge_end_arrays(edges, grid):
    """Flat gcell indices of both ends of each edge (numpy version of ``edge_ends``)."""
    ex, ey, vertical = grid.edge_gcells(edges)
    a = ey * grid.nx + ex
    return a, a + np.where(vertical == 1, grid.nx, 1)


def build_route_result(grid, net_ptr, pin_x_um, pin_y_um, routed, routes, usage, pin_layer,
                       overflow_history):
    """Assign layers to 2-D routes and package everything as a ``RouteResult``.

    Parameters
    ----------
    grid : RoutingGrid
        The grid routed on.
    net_ptr : ndarray of int
        Pins per net (CSR); the first pin of a net is its driver (the tree root).
    pin_x_um, pin_y_um : ndarray of float
        Pin positions (um).
    routed : ndarray of bool
        Nets that were routed.
    routes : list of ndarray of int
        2-D edges of each net, forming a tree that touches every pin gcell.
    usage : ndarray of int32
        2-D wires per edge, as kept by the router.
    pin_layer : int
        Layer index of the pins (for via counts and guides).
    overflow_history : sequence of int
        Total overflow after pattern routing and after each iteration.
    """
    net_ptr = np.asarray(net_ptr, dtype=np.int64)
    n_nets = len(net_ptr) - 1
    route_ptr = np.zeros(n_nets + 1, dtype=np.int64)
    route_ptr[1:] = np.cumsum([len(r) for r in routes])
    route_edges = (np.concatenate(routes) if routes else np.zeros(0)).astype(np.int64)
    gx, gy = grid.gcell_of(pin_x_um, pin_y_um)
    pin_g = gy.astype(np.int64) * grid.nx + gx
    layer_usable = grid.layer_capacity.max(axis=1, initial=0) > 0  # a one-gcell grid has no edges
    layer_usage = np.zeros_like(grid.layer_capacity)
    bound = len(route_edges) + n_nets
    node_ptr = np.zeros(n_nets + 1, dtype=np.int64)
    node_g = np.zeros(bound, dtype=np.int64)
    node_parent = np.zeros(bound, dtype=np.int32)
    node_layer = np.zeros(bound, dtype=np.int32)
    pin_node = np.zeros(len(pin_g), dtype=np.int32)
    net_vias = np.zeros(n_nets, dtype=np.int32)
    n = _build_trees(route_ptr, route_edges, net_ptr, pin_g, np.asarray(routed, dtype=np.bool_),
                     grid.nx, grid.ny, grid.n_h_edges, grid.layer_direction, layer_usable,
                     grid.layer_capacity, pin_layer, layer_usage, node_ptr, node_g, node_parent,
                     node_layer, pin_node, net_vias)
    node_g, node_parent, node_layer = node_g[:n], node_parent[:n], node_layer[:n]
    node_gx = (node_g % grid.nx).astype(np.int32)
    node_gy = (node_g // grid.nx).astype(np.int32)
    net_of = np.repeat(np.arange(n_nets), np.diff(node_ptr))
    parent = np.where(node_parent >= 0, node_ptr[net_of] + node_parent, np.arange(n))
    xc, yc = grid.x_centers, grid.y_centers
    wire = np.abs(xc[node_gx] - xc[node_gx[parent]]) + np.abs(yc[node_gy] - yc[node_gy[parent]])
    return RouteResult(grid, net_ptr, np.asarray(pin_x_um, dtype=np.float64),
                       np.asarray(pin_y_um, dtype=np.float64), np.asarray(routed, dtype=bool),
                       route_ptr, route_edges, node_ptr, node_gx, node_gy, node_parent, node_layer,
                       wire, pin_node, net_vias, usage.astype(np.int32), grid.capacity.copy(),
                       layer_usage, grid.layer_capacity.copy(), int(pin_layer),
                       tuple(int(v) for v in overflow_history))

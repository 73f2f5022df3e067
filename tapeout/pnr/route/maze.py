"""Maze routing of one net on the 2-D gcell grid (multi-source A*).

The net grows from its driver's gcell: each step runs A* from every gcell
already in the tree to the nearest unconnected pin (Prim-Dijkstra order), with
the congestion cost of ``grid.edge_cost`` per edge and the Manhattan distance as
heuristic (admissible: every edge costs at least 1). The search stays inside
the pins' bounding box grown by ``margin`` gcells. Each path starts at the only
tree gcell it touches, so the result is a tree whose leaves are pins.
"""

import heapq

import numba
import numpy as np

from tapeout.pnr.route.grid import edge_cost, edge_ends, h_edge, v_edge

__all__ = ["MazeRouter"]


@numba.njit(cache=True)
def _maze_route(pins, nx, ny, n_h, usage, capacity, history, pf, x_lo, x_hi, y_lo, y_hi,
                cost, came, seen, closed, tree, counter):
    counter[0] += 1
    tree_stamp = counter[0]
    n_pins = len(pins)
    nodes = np.empty((x_hi - x_lo + 1) * (y_hi - y_lo + 1), dtype=np.int64)
    edges = np.empty(len(nodes), dtype=np.int64)
    n_nodes = 1
    n_edges = 0
    nodes[0] = pins[0]
    tree[pins[0]] = tree_stamp
    gap = np.empty(n_pins, dtype=np.int64)  # Manhattan distance of each pin to the tree
    for k in range(n_pins):
        gap[k] = abs(pins[k] % nx - pins[0] % nx) + abs(pins[k] // nx - pins[0] // nx)
    heap = [(0.0, np.int64(0))]
    while True:
        target = -1
        for k in range(n_pins):
            if tree[pins[k]] != tree_stamp and (target < 0 or gap[k] < gap[target]):
                target = k
        if target < 0:
            break
        goal = pins[target]
        tx, ty = goal % nx, goal // nx
        counter[0] += 1
        stamp = counter[0]
        heap.clear()
        for k in range(n_nodes):
            u = nodes[k]
            cost[u] = 0.0
            came[u] = -1
            seen[u] = stamp
            heapq.heappush(heap, (float(abs(u % nx - tx) + abs(u // nx - ty)), u))
        while len(heap) > 0:
            _, u = heapq.heappop(heap)
            if closed[u] == stamp:
                continue
            closed[u] = stamp
            if u == goal:
                break
            x, y = u % nx, u // nx
            for d in range(4):
                if d == 0:
                    if x <= x_lo:
                        continue
                    v, e = u - 1, h_edge(x - 1, y, nx)
                elif d == 1:
                    if x >= x_hi:
                        continue
                    v, e = u + 1, h_edge(x, y, nx)
                elif d == 2:
                    if y <= y_lo:
                        continue
                    v, e = u - nx, v_edge(x, y - 1, nx, n_h)
                else:
                    if y >= y_hi:
                        continue
                    v, e = u + nx, v_edge(x, y, nx, n_h)
                if closed[v] == stamp:
                    continue
                c = cost[u] + edge_cost(usage[e], capacity[e], history[e], pf)
                if seen[v] != stamp or c < cost[v]:
                    seen[v] = stamp
                    cost[v] = c
                    came[v] = e
                    heapq.heappush(heap, (c + abs(v % nx - tx) + abs(v // nx - ty), v))
        # walk back to the tree, adding the path
        u = goal
        while tree[u] != tree_stamp:
            tree[u] = tree_stamp
            nodes[n_nodes] = u
            n_nodes += 1
            ux, uy = u % nx, u // nx
            for k in range(n_pins):
                d = abs(pins[k] % nx - ux) + abs(pins[k] // nx - uy)
                if d < gap[k]:
                    gap[k] = d
            e = came[u]
            edges[n_edges] = e
            n_edges += 1
            a, b = edge_ends(e, nx, n_h)
            u = a if b == u else b
    return edges[:n_edges].copy()


class MazeRouter:
    """Reusable scratch space for maze-routing nets on an ``nx`` x ``ny`` grid.

    Parameters
    ----------
    nx, ny : int
        Grid size in gcells.
    """

    def __init__(self, nx, ny):
        for name, value in (("nx", nx), ("ny", ny)):
            if not (isinstance(value, (int, np.integer)) and value > 0):
                raise ValueError(f"{name} must be a positive integer, not {value!r}")
        self.nx, self.ny = int(nx), int(ny)
        n = self.nx * self.ny
        self._cost = np.zeros(n, dtype=np.float64)
        self._came = np.zeros(n, dtype=np.int64)
        self._seen = np.zeros(n, dtype=np.int64)
        self._closed = np.zeros(n, dtype=np.int64)
        self._tree = np.zeros(n, dtype=np.int64)
        self._counter = np.zeros(1, dtype=np.int64)

    def route(self, pin_gcells, usage, capacity, history, present_factor, margin):
        """Route one net; returns its edges (the caller adds them to ``usage``).

        Parameters
        ----------
        pin_gcells : ndarray of int
            Flat gcell index (``y * nx + x``) of each pin, driver first; repeats allowed.
        usage, capacity : ndarray of int32
            Wires and tracks per edge.
        history : ndarray of float64
            Congestion history cost per edge.
        present_factor : float
            Weight of the overflow a new wire would make.
        margin : int
            GCells the search may stray outside the pins' bounding box.

        Returns
        -------
        ndarray of int64
            Edges of the route tree.
        """
        pins = np.asarray(pin_gcells, dtype=np.int64)
        if len(pins) == 0:
            return np.zeros(0, dtype=np.int64)
        px, py = pins % self.nx, pins // self.nx
        x_lo, x_hi = max(0, int(px.min()) - margin), min(self.nx - 1, int(px.max()) + margin)
        y_lo, y_hi = max(0, int(py.min()) - margin), min(self.ny - 1, int(py.max()) + margin)
        return _maze_route(pins, self.nx, self.ny, (self.nx - 1) * self.ny, usage, capacity, history,
                           float(present_factor), x_lo, x_hi, y_lo, y_hi, self._cost, self._came,
                           self._seen, self._closed, self._tree, self._counter)

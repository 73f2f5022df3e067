"""Pattern routing: each two-pin segment takes its cheapest L or Z shape.

For a segment from (x1, y1) to (x2, y2) the candidates are the two L shapes and
every Z shape (horizontal-vertical-horizontal through each column between the
ends, vertical-horizontal-vertical through each row), priced with the
congestion cost of ``grid.edge_cost``; ties keep the L (fewer bends), as in
FastRoute's pattern stage (Pan & Chu, ICCAD 2006). Nets are routed one after the
other in the given order, each seeing the usage of the nets before it. The
segments of one net are merged into a tree: shared edges count once, cycles are
broken, and dangling branches that reach no pin are pruned.
"""

import numba
import numpy as np

from tapeout.pnr.route.grid import edge_cost, edge_ends, h_edge, v_edge

__all__ = ["pattern_route"]


@numba.njit(cache=True)
def _h_step_cost(x, step, y, nx, usage, capacity, history, pf):
    e = h_edge(min(x, x + step), y, nx)
    return edge_cost(usage[e], capacity[e], history[e], pf)


@numba.njit(cache=True)
def _v_step_cost(x, y, step, nx, n_h, usage, capacity, history, pf):
    e = v_edge(x, min(y, y + step), nx, n_h)
    return edge_cost(usage[e], capacity[e], history[e], pf)


@numba.njit(cache=True)
def _h_run_cost(y, xa, xb, nx, usage, capacity, history, pf):
    total = 0.0
    for x in range(min(xa, xb), max(xa, xb)):
        e = h_edge(x, y, nx)
        total += edge_cost(usage[e], capacity[e], history[e], pf)
    return total


@numba.njit(cache=True)
def _v_run_cost(x, ya, yb, nx, n_h, usage, capacity, history, pf):
    total = 0.0
    for y in range(min(ya, yb), max(ya, yb)):
        e = v_edge(x, y, nx, n_h)
        total += edge_cost(usage[e], capacity[e], history[e], pf)
    return total


@numba.njit(cache=True)
def _best_pattern(x1, y1, x2, y2, nx, n_h, usage, capacity, history, pf):
    """Cheapest shape: returns (kind, middle); kind 0 is H-V-H through column
    ``middle``, kind 1 is V-H-V through row ``middle``."""
    # the two L shapes first: H then V (kind 0, middle x2), V then H (kind 0, middle x1)
    hv = (_h_run_cost(y1, x1, x2, nx, usage, capacity, history, pf)
          + _v_run_cost(x2, y1, y2, nx, n_h, usage, capacity, history, pf))
    vh = (_v_run_cost(x1, y1, y2, nx, n_h, usage, capacity, history, pf)
          + _h_run_cost(y2, x1, x2, nx, usage, capacity, history, pf))
    best_kind, best_mid, best = 0, x2, hv
    if vh < best - 1e-9:
        best_mid, best = x1, vh
    if x1 == x2 or y1 == y2:
        return best_kind, best_mid
    # H-V-H through each inner column
    sx = 1 if x2 > x1 else -1
    row1 = 0.0
    row2_rest = _h_run_cost(y2, x1, x2, nx, usage, capacity, history, pf)
    x = x1
    while x + sx != x2:
        row1 += _h_step_cost(x, sx, y1, nx, usage, capacity, history, pf)
        row2_rest -= _h_step_cost(x, sx, y2, nx, usage, capacity, history, pf)
        x += sx
        cost = row1 + _v_run_cost(x, y1, y2, nx, n_h, usage, capacity, history, pf) + row2_rest
        if cost < best - 1e-9:
            best_kind, best_mid, best = 0, x, cost
    # V-H-V through each inner row
    sy = 1 if y2 > y1 else -1
    col1 = 0.0
    col2_rest = _v_run_cost(x2, y1, y2, nx, n_h, usage, capacity, history, pf)
    y = y1
    while y + sy != y2:
        col1 += _v_step_cost(x1, y, sy, nx, n_h, usage, capacity, history, pf)
        col2_rest -= _v_step_cost(x2, y, sy, nx, n_h, usage, capacity, history, pf)
        y += sy
        cost = col1 + _h_run_cost(y, x1, x2, nx, usage, capacity, history, pf) + col2_rest
        if cost < best - 1e-9:
            best_kind, best_mid, best = 1, y, cost
    return best_kind, best_mid


@numba.njit(cache=True)
def _emit_h(y, xa, xb, nx, buf, n):
    for x in range(min(xa, xb), max(xa, xb)):
        buf[n] = h_edge(x, y, nx)
        n += 1
    return n


@numba.njit(cache=True)
def _emit_v(x, ya, yb, nx, n_h, buf, n):
    for y in range(min(ya, yb), max(ya, yb)):
        buf[n] = v_edge(x, y, nx, n_h)
        n += 1
    return n


@numba.njit(cache=True)
def _find(uf, g):
    while uf[g] != g:
        uf[g] = uf[uf[g]]
        g = uf[g]
    return g


@numba.njit(cache=True)
def _incident_live_edge(g, nx, ny, n_h, edge_mark, stamp):
    x = g % nx
    y = g // nx
    if x > 0 and edge_mark[h_edge(x - 1, y, nx)] == stamp:
        return h_edge(x - 1, y, nx)
    if x < nx - 1 and edge_mark[h_edge(x, y, nx)] == stamp:
        return h_edge(x, y, nx)
    if y > 0 and edge_mark[v_edge(x, y - 1, nx, n_h)] == stamp:
        return v_edge(x, y - 1, nx, n_h)
    if y < ny - 1 and edge_mark[v_edge(x, y, nx, n_h)] == stamp:
        return v_edge(x, y, nx, n_h)
    return -1


@numba.njit(cache=True)
def _to_tree(buf, n, pins, n_pins, nx, ny, n_h, edge_mark, uf, uf_stamp, degree, pin_mark, stamp):
    """Keep a spanning tree of the ``n`` edges in ``buf`` without pinless
    leaves; kept edges are compacted to the front and marked ``stamp`` in
    ``edge_mark``. Returns how many are kept."""
    kept = 0
    for k in range(n):
        e = buf[k]
        if edge_mark[e] == stamp:
            continue  # shared by two segments
        a, b = edge_ends(e, nx, n_h)
        for g in (a, b):
            if uf_stamp[g] != stamp:
                uf_stamp[g] = stamp
                uf[g] = g
                degree[g] = 0
        ra, rb = _find(uf, a), _find(uf, b)
        if ra == rb:
            continue  # would close a cycle
        uf[ra] = rb
        edge_mark[e] = stamp
        degree[a] += 1
        degree[b] += 1
        buf[kept] = e
        kept += 1
    for k in range(n_pins):
        pin_mark[pins[k]] = stamp
    # prune leaves that are not pins
    leaves = np.empty(2 * kept + 1, dtype=np.int64)
    n_leaves = 0
    for k in range(kept):
        a, b = edge_ends(buf[k], nx, n_h)
        for g in (a, b):
            if degree[g] == 1 and pin_mark[g] != stamp:
                leaves[n_leaves] = g
                n_leaves += 1
    while n_leaves > 0:
        n_leaves -= 1
        g = leaves[n_leaves]
        if degree[g] != 1:
            continue
        e = _incident_live_edge(g, nx, ny, n_h, edge_mark, stamp)
        edge_mark[e] = stamp - 1
        a, b = edge_ends(e, nx, n_h)
        degree[a] -= 1
        degree[b] -= 1
        other = b if a == g else a
        if degree[other] == 1 and pin_mark[other] != stamp:
            leaves[n_leaves] = other
            n_leaves += 1
    alive = 0
    for k in range(kept):
        if edge_mark[buf[k]] == stamp:
            buf[alive] = buf[k]
            alive += 1
    return alive


@numba.njit(cache=True)
def _pattern_route(order, seg_ptr, sx1, sy1, sx2, sy2, net_ptr, gx, gy, nx, ny, n_h,
                   usage, capacity, history, pf, route_start, route_count, route_edges):
    n_g = nx * ny
    edge_mark = np.zeros(len(usage), dtype=np.int64)
    uf = np.zeros(n_g, dtype=np.int64)
    uf_stamp = np.zeros(n_g, dtype=np.int64)
    degree = np.zeros(n_g, dtype=np.int64)
    pin_mark = np.zeros(n_g, dtype=np.int64)
    max_len = 1
    for net in order:
        length = 0
        for s in range(seg_ptr[net], seg_ptr[net + 1]):
            length += abs(sx2[s] - sx1[s]) + abs(sy2[s] - sy1[s])
        max_len = max(max_len, length)
    buf = np.empty(max_len, dtype=np.int64)
    written = 0
    stamp = 0
    for net in order:
        stamp += 2  # stamp - 1 marks pruned edges of this net
        n = 0
        for s in range(seg_ptr[net], seg_ptr[net + 1]):
            x1, y1, x2, y2 = sx1[s], sy1[s], sx2[s], sy2[s]
            kind, mid = _best_pattern(x1, y1, x2, y2, nx, n_h, usage, capacity, history, pf)
            if kind == 0:
                n = _emit_h(y1, x1, mid, nx, buf, n)
                n = _emit_v(mid, y1, y2, nx, n_h, buf, n)
                n = _emit_h(y2, mid, x2, nx, buf, n)
            else:
                n = _emit_v(x1, y1, mid, nx, n_h, buf, n)
                n = _emit_h(mid, x1, x2, nx, buf, n)
                n = _emit_v(x2, mid, y2, nx, n_h, buf, n)
        lo, hi = net_ptr[net], net_ptr[net + 1]
        pins = np.empty(hi - lo, dtype=np.int64)
        for p in range(lo, hi):
            pins[p - lo] = gy[p] * nx + gx[p]
        n = _to_tree(buf, n, pins, hi - lo, nx, ny, n_h, edge_mark, uf, uf_stamp, degree, pin_mark, stamp)
        route_start[net] = written
        route_count[net] = n
        for k in range(n):
            usage[buf[k]] += 1
            route_edges[written] = buf[k]
            written += 1
    return written


def pattern_route(order, seg_ptr, x1, y1, x2, y2, net_ptr, gx, gy, nx, ny,
                  usage, capacity, history=None, present_factor=1.0):
    """Pattern-route the nets in ``order``, adding their wires to ``usage``.

    Parameters
    ----------
    order : ndarray of int
        Nets to route, in routing order.
    seg_ptr, x1, y1, x2, y2 : ndarray
        Two-pin segments per net in gcells (``steiner.decompose_nets``).
    net_ptr, gx, gy : ndarray
        Pins per net (CSR) and their gcells: pins are kept as tree leaves.
    nx, ny : int
        Grid size in gcells.
    usage : ndarray of int32
        Wires per edge; updated in place.
    capacity : ndarray of int32
        Tracks per edge.
    history : ndarray of float64, optional
        Congestion history cost per edge (zeros by default).
    present_factor : float
        Weight of the overflow a new wire would make.

    Returns
    -------
    list of ndarray of int64
        Edges of each net's route (empty for nets not in ``order``).
    """
    n_nets = len(net_ptr) - 1
    order = np.asarray(order, dtype=np.int64)
    n_h = (nx - 1) * ny
    if history is None:
        history = np.zeros(len(usage), dtype=np.float64)
    seg_ptr = np.asarray(seg_ptr, dtype=np.int64)
    bound = int(np.abs(np.asarray(x2, np.int64) - x1).sum() + np.abs(np.asarray(y2, np.int64) - y1).sum())
    route_start = np.zeros(n_nets, dtype=np.int64)
    route_count = np.zeros(n_nets, dtype=np.int64)
    route_edges = np.empty(bound + 1, dtype=np.int64)
    _pattern_route(order, seg_ptr, np.asarray(x1, np.int64), np.asarray(y1, np.int64),
                   np.asarray(x2, np.int64), np.asarray(y2, np.int64),
                   np.asarray(net_ptr, np.int64), np.asarray(gx, np.int64), np.asarray(gy, np.int64),
                   nx, ny, n_h, usage, capacity, history, float(present_factor),
                   route_start, route_count, route_edges)
    return [route_edges[s:s + c].copy() for s, c in zip(route_start, route_count)]

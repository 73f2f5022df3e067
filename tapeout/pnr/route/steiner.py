"""Net decomposition into two-pin segments: rectilinear MST and Steiner trees.

Small nets get a rectilinear Steiner minimal tree approximation by the iterated
1-Steiner heuristic over the Hanan grid (Kahng & Robins, "A new class of iterative
Steiner tree heuristics with good performance", IEEE TCAD 1992), larger ones a
rectilinear minimum spanning tree (Prim, O(n^2)). Coordinates are integers
(gcell indices) so that the Hanan points are exact.
"""

import numba
import numpy as np

__all__ = ["rectilinear_mst", "rectilinear_steiner_tree", "decompose_nets"]


@numba.njit(cache=True)
def _prim(xs, ys, n, parent):
    """Rectilinear MST of the first ``n`` points into ``parent``; returns its length."""
    if n == 0:
        return 0
    best = np.empty(n, dtype=np.int64)
    done = np.zeros(n, dtype=np.bool_)
    for i in range(n):
        best[i] = abs(xs[i] - xs[0]) + abs(ys[i] - ys[0])
        parent[i] = 0
    parent[0] = -1
    done[0] = True
    total = 0
    for _ in range(n - 1):
        pick = -1
        for i in range(n):
            if not done[i] and (pick < 0 or best[i] < best[pick]):
                pick = i
        done[pick] = True
        total += best[pick]
        for i in range(n):
            if not done[i]:
                d = abs(xs[i] - xs[pick]) + abs(ys[i] - ys[pick])
                if d < best[i]:
                    best[i] = d
                    parent[i] = pick
    return total


@numba.njit(cache=True)
def _one_steiner(xs, ys, n_pins, parent):
    """Iterated 1-Steiner in place: ``xs, ys`` have room for ``2 n_pins`` points.

    Returns the number of points (pins first, then kept Steiner points);
    ``parent`` holds the final tree.
    """
    m = n_pins
    length = _prim(xs, ys, m, parent)
    degree = np.zeros(2 * n_pins, dtype=np.int64)
    for _ in range(n_pins):
        if m - n_pins >= n_pins - 2:
            break
        best_gain = 0
        best_x = 0
        best_y = 0
        for i in range(n_pins):
            for j in range(n_pins):
                cx, cy = xs[i], ys[j]
                taken = False
                for k in range(m):
                    if xs[k] == cx and ys[k] == cy:
                        taken = True
                        break
                if taken:
                    continue
                xs[m] = cx
                ys[m] = cy
                gain = length - _prim(xs, ys, m + 1, parent)
                if gain > best_gain:
                    best_gain, best_x, best_y = gain, cx, cy
        if best_gain <= 0:
            break
        xs[m] = best_x
        ys[m] = best_y
        m += 1
        # drop Steiner points of degree <= 2: they never shorten the tree
        _prim(xs, ys, m, parent)
        degree[:m] = 0
        for k in range(1, m):
            degree[k] += 1
            degree[parent[k]] += 1
        kept = n_pins
        for k in range(n_pins, m):
            if degree[k] > 2:
                xs[kept] = xs[k]
                ys[kept] = ys[k]
                kept += 1
        m = kept
        length = _prim(xs, ys, m, parent)
    _prim(xs, ys, m, parent)
    return m


@numba.njit(cache=True)
def _steiner(xs, ys, n_pins, max_steiner_pins, parent):
    if 3 <= n_pins <= max_steiner_pins:
        return _one_steiner(xs, ys, n_pins, parent)
    _prim(xs, ys, n_pins, parent)
    return n_pins


def _as_points(x, y):
    x = np.asarray(x)
    y = np.asarray(y)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError(f"x and y must be 1-D arrays of one length, not shapes {x.shape} and {y.shape}")
    if not (np.issubdtype(x.dtype, np.integer) and np.issubdtype(y.dtype, np.integer)):
        raise TypeError(f"x and y must be integer arrays, not {x.dtype} and {y.dtype}")
    return x.astype(np.int64), y.astype(np.int64)


def rectilinear_mst(x, y):
    """Rectilinear minimum spanning tree of integer points.

    Returns
    -------
    parent : ndarray of int64
        Parent of each point, ``-1`` for point 0 (the root).
    length : int
        Total Manhattan length.
    """
    x, y = _as_points(x, y)
    parent = np.empty(len(x), dtype=np.int64)
    return parent, int(_prim(x, y, len(x), parent))


def rectilinear_steiner_tree(x, y, max_steiner_pins=10):
    """Rectilinear Steiner tree of distinct integer points (iterated 1-Steiner).

    Nets with more than ``max_steiner_pins`` points get the MST.

    Returns
    -------
    node_x, node_y : ndarray of int64
        The pins (first, in input order) then the Steiner points.
    parent : ndarray of int64
        Parent of each node, ``-1`` for node 0.
    length : int
        Total Manhattan length.
    """
    x, y = _as_points(x, y)
    n = len(x)
    xs = np.zeros(max(2 * n, 1), dtype=np.int64)
    ys = np.zeros(max(2 * n, 1), dtype=np.int64)
    xs[:n], ys[:n] = x, y
    parent = np.empty(len(xs), dtype=np.int64)
    m = _steiner(xs, ys, n, max_steiner_pins, parent)
    length = int(sum(abs(xs[k] - xs[parent[k]]) + abs(ys[k] - ys[parent[k]]) for k in range(1, m)))
    return xs[:m].copy(), ys[:m].copy(), parent[:m].copy(), length


@numba.njit(cache=True)
def _decompose(net_ptr, gx, gy, width, skip, max_steiner_pins, seg_ptr, sx1, sy1, sx2, sy2):
    n_nets = len(net_ptr) - 1
    n_seg = 0
    for net in range(n_nets):
        seg_ptr[net] = n_seg
        lo, hi = net_ptr[net], net_ptr[net + 1]
        if skip[net] or hi - lo < 2:
            continue
        # distinct pin gcells, first occurrence first (the driver stays node 0)
        xs = np.empty(2 * (hi - lo), dtype=np.int64)
        ys = np.empty(2 * (hi - lo), dtype=np.int64)
        n = 0
        if hi - lo <= 64:
            for p in range(lo, hi):
                seen = False
                for k in range(n):
                    if xs[k] == gx[p] and ys[k] == gy[p]:
                        seen = True
                        break
                if not seen:
                    xs[n] = gx[p]
                    ys[n] = gy[p]
                    n += 1
        else:
            key = gy[lo:hi] * width + gx[lo:hi]
            order = np.argsort(key, kind="mergesort")
            first = np.ones(hi - lo, dtype=np.bool_)
            for k in range(1, hi - lo):
                if key[order[k]] == key[order[k - 1]]:
                    first[order[k]] = False
            for k in range(hi - lo):
                if first[k]:
                    xs[n] = gx[lo + k]
                    ys[n] = gy[lo + k]
                    n += 1
        if n < 2:
            continue
        parent = np.empty(len(xs), dtype=np.int64)
        m = _steiner(xs, ys, n, max_steiner_pins, parent)
        for k in range(1, m):
            p = parent[k]
            sx1[n_seg] = xs[p]
            sy1[n_seg] = ys[p]
            sx2[n_seg] = xs[k]
            sy2[n_seg] = ys[k]
            n_seg += 1
    seg_ptr[n_nets] = n_seg
    return n_seg


def decompose_nets(net_ptr, gx, gy, skip=None, max_steiner_pins=10):
    """Two-pin segments of every net, from its Steiner tree over pin gcells.

    Parameters
    ----------
    net_ptr : ndarray of int
        CSR pointer: pins of net ``i`` are ``net_ptr[i]:net_ptr[i + 1]``.
    gx, gy : ndarray of int
        GCell of each pin.
    skip : ndarray of bool, optional
        Nets to leave out (no segments).
    max_steiner_pins : int
        Largest net (in distinct gcells) given a Steiner tree; bigger ones get the MST.

    Returns
    -------
    seg_ptr : ndarray of int64
        CSR pointer: segments of net ``i`` are ``seg_ptr[i]:seg_ptr[i + 1]``.
    x1, y1, x2, y2 : ndarray of int32
        Segment end gcells (tree parent first).
    """
    if not (isinstance(max_steiner_pins, int) and max_steiner_pins >= 0):
        raise ValueError(f"max_steiner_pins must be a non-negative integer, not {max_steiner_pins!r}")
    net_ptr = np.asarray(net_ptr, dtype=np.int64)
    gx = np.asarray(gx, dtype=np.int64)
    gy = np.asarray(gy, dtype=np.int64)
    n_nets = len(net_ptr) - 1
    skip = np.zeros(n_nets, dtype=np.bool_) if skip is None else np.asarray(skip, dtype=np.bool_)
    size = 2 * len(gx) + 1
    seg_ptr = np.zeros(n_nets + 1, dtype=np.int64)
    out = [np.zeros(size, dtype=np.int32) for _ in range(4)]
    width = int(gx.max()) + 1 if len(gx) else 1
    n_seg = _decompose(net_ptr, gx, gy, width, skip, max_steiner_pins, seg_ptr, *out)
    return (seg_ptr,) + tuple(a[:n_seg].copy() for a in out)

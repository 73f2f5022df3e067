"""A* search on the track graph (compiled with numba): the cheapest path from any node of a net's tree
to any node of its unconnected pins, inside a window of the lattice.

Cost of a path (um), PathFinder's product per node it takes: the base cost (the wire step or
`via_cost`, plus the node's `history`, plus `PAD_PENALTY_UM` for a via on a point of the lowest layer
that `pad_reserved` keeps for another net) times (1 + `present` times the conflicts there: `occupancy`
of the node, of its neighbours along the track on layers that need a free neighbour, via pads of other
nets beside a via pad, and a via on a point kept for another net's pad). The history multiplies with
the present term, so a point that stayed in conflict for many passes costs more than crossing a net
that was never in one, however high `present` has grown. Nodes that are `blocked` or `reserved` for
another net are never taken.
"""

from __future__ import annotations

import heapq

import numba
import numpy as np

PAD_PENALTY_UM = 100.0
"""Cost of a via pad on a point of the lowest layer that another net's pin access keeps free of pads
(too close to its via or stub): taken only when there is no other way."""


@numba.njit(cache=True)
def _conflicts(n, is_via, nx, ny, horizontal, along_free, across_pads, occupancy, pads):
    """Other nets' conflicts a wire (or, with `is_via`, a via pad) at node `n` would make."""
    i = n % nx
    j = (n // nx) % ny
    layer = n // (nx * ny)
    c = occupancy[n]
    if along_free[layer]:
        if horizontal[layer]:
            if i > 0:
                c += occupancy[n - 1]
            if i < nx - 1:
                c += occupancy[n + 1]
        else:
            if j > 0:
                c += occupancy[n - nx]
            if j < ny - 1:
                c += occupancy[n + nx]
    if is_via and across_pads[layer]:
        if horizontal[layer]:
            if j > 0:
                c += pads[n - nx]
            if j < ny - 1:
                c += pads[n + nx]
        else:
            if i > 0:
                c += pads[n - 1]
            if i < nx - 1:
                c += pads[n + 1]
    return c


@numba.njit(cache=True)
def find_path(sources, targets, window, nx, ny, nl, px, py, horizontal, along_free, across_pads,
              blocked, reserved, pad_reserved, net, occupancy, pads, history, present, via_cost, dist, prev,
              seen, stamp, is_target):
    """Nodes of the cheapest path from a `sources` node to a `targets` node (target first, source last),
    or an empty array when the window (i0, j0, i1, j1) holds none. `dist`, `prev`, `seen`, `is_target`
    are scratch arrays of one entry per node; `stamp` must differ from every earlier call's.

    Among nodes of equal estimated cost the one nearest the targets is expanded first: on a lattice
    every monotone path between two points costs the same, and without this tie-break A* expands the
    whole box between them before it reaches the target."""
    i0, j0, i1, j1 = window[0], window[1], window[2], window[3]
    ti0, tj0, ti1, tj1 = nx, ny, -1, -1
    for t in targets:
        is_target[t] = stamp
        ti, tj = t % nx, (t // nx) % ny
        ti0, ti1, tj0, tj1 = min(ti0, ti), max(ti1, ti), min(tj0, tj), max(tj1, tj)
    heap = [(0.0, 0.0, np.int64(0))]
    heap.pop()
    for s in sources:
        seen[s] = stamp
        dist[s] = 0.0
        prev[s] = -1
        si, sj = s % nx, (s // nx) % ny
        hs = px * max(ti0 - si, 0, si - ti1) + py * max(tj0 - sj, 0, sj - tj1)
        heapq.heappush(heap, (hs, hs, np.int64(s)))
    plane = nx * ny
    found = -1
    while heap:
        d_est, _, n = heapq.heappop(heap)
        i = n % nx
        j = (n // nx) % ny
        layer = n // plane
        d = dist[n]
        h = px * max(ti0 - i, 0, i - ti1) + py * max(tj0 - j, 0, j - tj1)
        if d_est > d + h + 1e-9:
            continue
        if is_target[n] == stamp:
            found = n
            break
        for k in range(6):
            m = -1
            step = 0.0
            via = False
            if k == 0 and horizontal[layer] and i > i0:
                m, step = n - 1, px
            elif k == 1 and horizontal[layer] and i < i1:
                m, step = n + 1, px
            elif k == 2 and not horizontal[layer] and j > j0:
                m, step = n - nx, py
            elif k == 3 and not horizontal[layer] and j < j1:
                m, step = n + nx, py
            elif k == 4 and layer > 0:
                m, step, via = n - plane, via_cost, True
            elif k == 5 and layer < nl - 1:
                m, step, via = n + plane, via_cost, True
            if m < 0 or blocked[m] or (reserved[m] >= 0 and reserved[m] != net):
                continue
            base = step + history[m]
            c = _conflicts(m, via, nx, ny, horizontal, along_free, across_pads, occupancy, pads)
            if via:
                lower = min(n, m)
                if lower < plane and pad_reserved[lower] >= 0 and pad_reserved[lower] != net:
                    base += PAD_PENALTY_UM
                    c += 1  # a conflict like any other: priced by `present` as it grows
            if via:
                c += _conflicts(n, True, nx, ny, horizontal, along_free, across_pads, occupancy, pads) - occupancy[n]
            cost = base * (1.0 + present * c)
            nd = d + cost
            if seen[m] != stamp or nd < dist[m] - 1e-12:
                seen[m] = stamp
                dist[m] = nd
                prev[m] = n
                mi = m % nx
                mj = (m // nx) % ny
                hm = px * max(ti0 - mi, 0, mi - ti1) + py * max(tj0 - mj, 0, mj - tj1)
                heapq.heappush(heap, (nd + hm, hm, np.int64(m)))
    if found < 0:
        return np.empty(0, dtype=np.int64)
    count = 0
    n = found
    while n >= 0:
        count += 1
        n = prev[n]
    path = np.empty(count, dtype=np.int64)
    n = found
    for k in range(count):
        path[k] = n
        n = prev[n]
    return path

"""Shorts and spacing conflicts between nets on the track graph (compiled with numba).

Two nets conflict at a lattice point they both use; on a layer whose wires or pads are too wide for a
neighbour on the same track (`along_free`), at two adjacent points of one track; on a layer whose via
pads are too wide for pads one track apart (`across_pads`), at two such pads.
"""

from __future__ import annotations

import numba
import numpy as np

MANY = -2  # owner of a point two or more nets use


@numba.njit(cache=True)
def owners(net_nodes, net_start, size):
    """Owner net of every node from the nets' node lists (CSR: `net_start`), -1 free, MANY shared."""
    owner = np.full(size, -1, dtype=np.int64)
    for net in range(len(net_start) - 1):
        for k in range(net_start[net], net_start[net + 1]):
            n = net_nodes[k]
            if owner[n] == -1:
                owner[n] = net
            elif owner[n] != net:
                owner[n] = MANY
    return owner


@numba.njit(cache=True)
def _differ(a, b):
    return a != -1 and b != -1 and (a == MANY or b == MANY or a != b)


@numba.njit(cache=True)
def conflict_points(owner, pad_owner, nx, ny, nl, horizontal, along_free, across_pads):
    """Per node: True where it conflicts with a neighbour or is shared; and the number of conflicts
    (shared points plus conflicting neighbour pairs)."""
    flag = np.zeros(owner.size, dtype=np.bool_)
    count = 0
    plane = nx * ny
    for n in range(owner.size):
        if owner[n] == MANY:
            flag[n] = True
            count += 1
        layer = n // plane
        i = n % nx
        j = (n // nx) % ny
        if along_free[layer]:
            m = n + 1 if horizontal[layer] else n + nx
            ok = i < nx - 1 if horizontal[layer] else j < ny - 1
            if ok and _differ(owner[n], owner[m]):
                flag[n] = flag[m] = True
                count += 1
        if across_pads[layer]:
            m = n + nx if horizontal[layer] else n + 1
            ok = j < ny - 1 if horizontal[layer] else i < nx - 1
            if ok and _differ(pad_owner[n], pad_owner[m]):
                flag[n] = flag[m] = True
                count += 1
    return flag, count

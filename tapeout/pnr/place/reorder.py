"""Renumber cells and nets for memory locality.

The annealer's moves touch a cell, its nets, their pins and those pins' cells; with
ids in netlist order these lie all over memory. Numbering cells along a Z-order
(Morton) curve of their placement, nets by their lowest new cell id, and pins by net
puts neighbours next to each other in every array, so a move's accesses mostly hit
the cache. The placement is the same; only the numbering changes.
"""

import dataclasses

import numpy as np

__all__ = ["morton_order", "renumber"]


def _spread_bits(v):
    v = v.astype(np.uint64) & np.uint64(0xFFFFFFFF)
    for shift, mask in ((16, 0x0000FFFF0000FFFF), (8, 0x00FF00FF00FF00FF),
                        (4, 0x0F0F0F0F0F0F0F0F), (2, 0x3333333333333333),
                        (1, 0x5555555555555555)):
        v = (v | (v << np.uint64(shift))) & np.uint64(mask)
    return v


def morton_order(problem, x, y):
    """Cell order: movable cells along a Z-order curve of ``(x, y)`` (um), then the
    fixed cells in their original order."""
    ids = np.flatnonzero(problem.movable)
    pitch = problem.row_height
    gx = np.clip((x[ids] - problem.core[0]) / pitch, 0, 2**31).astype(np.int64)
    gy = np.clip((y[ids] - problem.core[1]) / pitch, 0, 2**31).astype(np.int64)
    code = _spread_bits(gx) | (_spread_bits(gy) << np.uint64(1))
    return np.concatenate([ids[np.argsort(code, kind="stable")],
                           np.flatnonzero(~problem.movable)])


def renumber(problem, cell_order):
    """Renumber ``problem``: cell ``i`` becomes old cell ``cell_order[i]``, nets are
    sorted by their lowest new cell id and pins by net; positions, weights and names
    follow. Returns the new problem and ``net_order`` (new net ``j`` is old net
    ``net_order[j]``)."""
    new_of_old = np.empty(problem.n_cells, dtype=np.int64)
    new_of_old[cell_order] = np.arange(problem.n_cells)
    pin_cell = new_of_old[problem.pin_cell]
    fanout = problem.fanout
    has_pins = fanout > 0
    lowest = np.full(problem.n_nets, problem.n_cells, dtype=np.int64)
    if problem.net_pins.size:
        lowest[has_pins] = np.minimum.reduceat(pin_cell[problem.net_pins],
                                               problem.net_ptr[:-1][has_pins])
    net_order = np.argsort(lowest, kind="stable")
    counts = fanout[net_order]
    net_ptr = np.zeros(problem.n_nets + 1, dtype=np.int64)
    np.cumsum(counts, out=net_ptr[1:])
    # Entries of the new net_pins, taken from the old CSR rows in the new net order.
    entries = np.repeat(problem.net_ptr[:-1][net_order] - net_ptr[:-1], counts) \
        + np.arange(net_ptr[-1])
    old_pins = problem.net_pins[entries]
    names = problem.net_names
    renumbered = dataclasses.replace(
        problem,
        width=problem.width[cell_order], height=problem.height[cell_order],
        movable=problem.movable[cell_order], x=problem.x[cell_order],
        y=problem.y[cell_order], net_ptr=net_ptr, net_pins=np.arange(old_pins.shape[0]),
        pin_cell=pin_cell[old_pins], pin_dx=problem.pin_dx[old_pins],
        pin_dy=problem.pin_dy[old_pins], net_weight=problem.net_weight[net_order],
        net_ignored=problem.net_ignored[net_order],
        cell_names=[problem.cell_names[c] for c in cell_order],
        net_names=[names[n] for n in net_order] if names else ())
    return renumbered, net_order

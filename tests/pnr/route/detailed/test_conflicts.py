"""Conflicts between nets: a shared point, neighbours on a track whose layer needs a free neighbour,
via pads one track apart."""

import numpy as np

from tapeout.pnr.route.detailed.conflicts import MANY, conflict_points, owners
from tapeout.pnr.route.detailed.negotiate import rule_flags
from tapeout.pnr.route.detailed.track_grid import SignalLayer, TrackGrid


def sky130_like_grid(nx=6, ny=6):
    layers = (SignalLayer("met1", True, 0.14, 0.14, (0.16, 0.13), 1),
              SignalLayer("met2", False, 0.14, 0.14, (0.14, 0.185), 1),
              SignalLayer("met3", True, 0.30, 0.30, (0.19, 0.165), 2))
    return TrackGrid(layers, 0.23, 0.17, 0.46, 0.34, nx, ny, np.zeros(3 * nx * ny, dtype=bool))


def check(grid, nets, pads=None):
    horizontal, along, across = rule_flags(grid)
    flat = np.array([n for net in nets for n in net], dtype=np.int64)
    start = np.cumsum([0] + [len(net) for net in nets]).astype(np.int64)
    pads = pads or [[] for _ in nets]
    flat_pads = np.array([n for p in pads for n in p], dtype=np.int64)
    pad_start = np.cumsum([0] + [len(p) for p in pads]).astype(np.int64)
    owner = owners(flat, start, grid.blocked.size)
    pad_owner = owners(flat_pads, pad_start, grid.blocked.size)
    return conflict_points(owner, pad_owner, grid.nx, grid.ny, grid.nl, horizontal, along, across)[1]


def test_rules_follow_the_pad_and_wire_sizes():
    horizontal, along, across = rule_flags(sky130_like_grid())
    # met1: 0.46 - 0.32 >= 0.14 along, but pads 0.34 - 0.26 < 0.14 across; met2: pads 0.37 tall at 0.34;
    # met3: 0.30 wide wires at 0.46 steps leave 0.16 < 0.30
    assert list(along) == [False, True, True] and list(across) == [True, False, False]


def test_shared_points_and_close_neighbours_conflict_and_apart_ones_do_not():
    grid = sky130_like_grid()
    assert check(grid, [[grid.node(0, 1, 1)], [grid.node(0, 1, 1)]]) == 1
    assert check(grid, [[grid.node(0, 1, 1)], [grid.node(0, 2, 1)]]) == 0  # met1 along: fine
    assert check(grid, [[grid.node(1, 1, 1)], [grid.node(1, 1, 2)]]) == 1  # met2 along: too close
    assert check(grid, [[grid.node(1, 1, 1)], [grid.node(1, 2, 1)]]) == 0  # met2 across: fine
    a, b = grid.node(0, 1, 1), grid.node(0, 1, 2)
    assert check(grid, [[a], [b]]) == 0 and check(grid, [[a], [b]], [[a], [b]]) == 1  # met1 pads across
    assert check(grid, [[a, b]], [[a, b]]) == 0  # one net's own pads merge


def test_owner_of_a_shared_point_is_many():
    assert owners(np.array([3, 3, 4]), np.array([0, 1, 3]), 6)[3] == MANY

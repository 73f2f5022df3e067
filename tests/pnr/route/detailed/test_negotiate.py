"""Negotiated detailed routing on a hand-built lattice: crossing nets route without shorts and with every
pin joined; a net walled in fails naming the net and its region."""

import numpy as np
import pytest

from tapeout.pnr.route.detailed.negotiate import DetailedRouteError, route_nets
from tapeout.pnr.route.detailed.track_grid import SignalLayer, TrackGrid


def tiny_grid(nx=8, ny=8):
    layers = (SignalLayer("met1", True, 0.14, 0.14, (0.16, 0.13), 1),
              SignalLayer("met2", False, 0.14, 0.14, (0.13, 0.16), 1))
    return TrackGrid(layers, 0.23, 0.17, 0.46, 0.34, nx, ny, np.zeros(2 * nx * ny, dtype=bool))


def test_crossing_nets_route_without_shorts_and_with_every_pin_joined():
    grid = tiny_grid()
    pins = [[grid.node(0, 0, 3), grid.node(0, 7, 3)],            # a horizontal net across ...
            [grid.node(0, 3, 0), grid.node(0, 3, 7)],            # ... a vertical one, both on met1
            [grid.node(0, 1, 1), grid.node(0, 6, 6), grid.node(0, 1, 6)]]
    reserved = np.full(grid.blocked.size, -1, dtype=np.int64)
    for net, nodes in enumerate(pins):
        reserved[nodes] = net
    result = route_nets(grid, pins, [[] for _ in pins], reserved, [0, 1, 2], margin_um=1.0, max_iterations=20)
    assert result.conflicts == 0 and result.opens == 0
    used = [set(r.nodes().tolist()) for r in result.routes]
    assert not (used[0] & used[1]) and not (used[0] & used[2]) and not (used[1] & used[2])
    assert all(set(p) <= u for p, u in zip(pins, used))
    # the vertical net must leave met1 (horizontal only) through vias to met2
    assert any(abs(a - b) == grid.nx * grid.ny for a, b in result.routes[1].edges)


def test_a_walled_in_pin_fails_naming_the_net_and_region():
    grid = tiny_grid()
    stack = grid.blocked.reshape(2, grid.ny, grid.nx)
    stack[:, :, 4] = True  # no layer crosses column 4
    pins = [[grid.node(0, 0, 2), grid.node(0, 7, 2)]]
    reserved = np.full(grid.blocked.size, -1, dtype=np.int64)
    with pytest.raises(DetailedRouteError) as caught:
        route_nets(grid, pins, [[]], reserved, [0])
    assert caught.value.net == 0
    x0, y0, x1, y1 = caught.value.region
    assert x0 <= grid.x(0) and x1 >= grid.x(7)


def test_a_long_conflicted_point_costs_more_than_crossing_a_net_never_in_conflict():
    """The squeeze PathFinder must break: the direct path takes one point another net uses, with a
    history of conflicts; the detour crosses two points of a net never in conflict (no history). However
    high the present factor, the history must tip the search onto the detour."""
    from tapeout.pnr.route.detailed.search import find_path

    grid = tiny_grid(nx=5, ny=3)
    size = grid.blocked.size
    blocked = grid.blocked.copy()
    blocked.reshape(2, 3, 5)[:, 0, :] = True  # row 0 closed: the detour goes by row 2
    occupancy, history = np.zeros(size, dtype=np.int32), np.zeros(size)
    squeezed = grid.node(0, 2, 1)
    occupancy[squeezed], history[squeezed] = 1, 5.0
    occupancy[[grid.node(0, 1, 2), grid.node(0, 3, 2)]] = 1
    none = np.full(size, -1, dtype=np.int64)
    scratch = [np.zeros(size), np.zeros(size, dtype=np.int64), np.zeros(size, dtype=np.int64),
               np.zeros(size, dtype=np.int64)]
    flags = (np.array([True, False]), np.zeros(2, dtype=bool), np.zeros(2, dtype=bool))
    path = find_path(np.array([grid.node(0, 0, 1)]), np.array([grid.node(0, 4, 1)]), np.array([0, 0, 4, 2]),
                     5, 3, 2, grid.px, grid.py, *flags, blocked, none, none, 0, occupancy,
                     np.zeros(size, dtype=np.int32), history, 1e6, 1.5, scratch[0], scratch[1], scratch[2], 1,
                     scratch[3])
    assert path.size and squeezed not in set(path.tolist())
    history[squeezed] = 0.0  # with no history the single shared point is the cheaper conflict
    path = find_path(np.array([grid.node(0, 0, 1)]), np.array([grid.node(0, 4, 1)]), np.array([0, 0, 4, 2]),
                     5, 3, 2, grid.px, grid.py, *flags, blocked, none, none, 0, occupancy,
                     np.zeros(size, dtype=np.int32), history, 1e6, 1.5, scratch[0], scratch[1], scratch[2], 2,
                     scratch[3])
    assert squeezed in set(path.tolist())


def test_a_net_boxed_in_by_another_detours_beyond_its_first_window():
    """Two nets want the one met1 row inside their pin boxes' first windows; the only other row is three
    rows away, beyond the 0.3 um margin. Each rip-up widens a rerouted net's window until one of them takes
    that row: without the widening they would share the row for ever."""
    grid = tiny_grid()
    stack = grid.blocked.reshape(2, grid.ny, grid.nx)
    stack[0] = True
    stack[0, 3, :] = stack[0, 6, :] = False  # met1: rows 3 and 6 only
    stack[1] = True
    for column in (1, 2, 5, 6):  # met2: the pins' columns only
        stack[1, 3:7, column] = False
    pins = [[grid.node(1, 1, 3), grid.node(1, 6, 3)], [grid.node(1, 2, 3), grid.node(1, 5, 3)]]
    reserved = np.full(grid.blocked.size, -1, dtype=np.int64)
    for net, nodes in enumerate(pins):
        reserved[nodes] = net
    result = route_nets(grid, pins, [[], []], reserved, [0, 1], margin_um=0.3, max_iterations=10)
    assert result.conflicts == 0 and result.opens == 0
    rows = [set(grid.unpack(result.routes[net].nodes())[2].tolist()) for net in (0, 1)]
    assert any(6 in r for r in rows)


def test_a_via_on_a_point_kept_for_another_nets_pad_is_priced_as_a_conflict():
    """Late in the negotiation (`present` high) a via on a point another net's pin access keeps free
    must cost as much as any conflict; a fixed penalty would become the cheapest way through, and
    such a via would never be moved. Here the direct path ends in that via; the detour crosses one
    point of another net's wire: the detour must win."""
    from tapeout.pnr.route.detailed.search import find_path

    grid = tiny_grid(nx=5, ny=3)
    size = grid.blocked.size
    blocked = grid.blocked.copy()
    blocked.reshape(2, 3, 5)[:, 0, :] = True  # row 0 closed: the detour goes by row 2
    occupancy, history = np.zeros(size, dtype=np.int32), np.zeros(size)
    occupancy[grid.node(0, 4, 2)] = 1  # another net's wire where the detour must go up
    pad_reserved = np.full(size, -1, dtype=np.int64)
    pad_reserved[grid.node(0, 4, 1)] = 7  # net 7's access keeps this point free of via pads
    none = np.full(size, -1, dtype=np.int64)
    flags = (np.array([True, False]), np.zeros(2, dtype=bool), np.zeros(2, dtype=bool))
    path = find_path(np.array([grid.node(0, 0, 1)]), np.array([grid.node(1, 4, 1)]), np.array([0, 0, 4, 2]),
                     5, 3, 2, grid.px, grid.py, *flags, blocked, none, pad_reserved, 0, occupancy,
                     np.zeros(size, dtype=np.int32), history, 1e6, 1.5, np.zeros(size),
                     np.zeros(size, dtype=np.int64), np.zeros(size, dtype=np.int64), 1, np.zeros(size, dtype=np.int64))
    steps = set(zip(path[1:].tolist(), path[:-1].tolist()))
    assert path.size and grid.node(0, 4, 2) in set(path.tolist())
    assert (grid.node(0, 4, 1), grid.node(1, 4, 1)) not in steps


def test_the_nets_beside_a_stalled_conflict_are_found_on_any_layer():
    """When the conflict count stalls, the nets with a point within the radius of a conflict, on any
    layer, are ripped up with the nets in it; a net farther away is left alone."""
    from tapeout.pnr.route.detailed.negotiate import NetRoute, _nets_near

    grid = tiny_grid(nx=12, ny=12)
    flag = np.zeros(grid.blocked.size, dtype=bool)
    flag[grid.node(0, 2, 2)] = True
    routes = [NetRoute(edges=[(grid.node(1, 4, 4), grid.node(1, 4, 5))]),   # 2 steps away, on met2
              NetRoute(edges=[(grid.node(0, 9, 9), grid.node(0, 10, 9))]),  # 7 steps away
              NetRoute(edges=[(grid.node(0, 2, 2), grid.node(0, 3, 2))])]   # in the conflict
    assert _nets_near(grid, routes, flag, 2).tolist() == [True, False, True]
    assert _nets_near(grid, routes, flag, 1).tolist() == [False, False, True]


def test_a_conflict_left_by_the_passes_is_settled_by_routing_its_nets_in_another_order():
    """Met1 is open on rows 3 and 6 only; net A (pins on met2 at row 4, columns 0 and 7) is nearer row 3,
    net B (pins at row 1 on columns 1 and 6, whose met2 ends at row 3) can take row 3 only. Routed A
    first with no negotiation pass they share row 3; settling routes them in another order, A by row 6."""
    grid = tiny_grid()
    stack = grid.blocked.reshape(2, grid.ny, grid.nx)
    stack[0] = True
    stack[0, [3, 6], :] = False
    stack[1] = True
    stack[1, :, [0, 7]] = False
    stack[1, :4, [1, 6]] = False
    pins = [[grid.node(1, 0, 4), grid.node(1, 7, 4)], [grid.node(1, 1, 1), grid.node(1, 6, 1)]]
    reserved = np.full(grid.blocked.size, -1, dtype=np.int64)
    for net, nodes in enumerate(pins):
        reserved[nodes] = net
    result = route_nets(grid, pins, [[], []], reserved, [0, 1], margin_um=5.0, max_iterations=0)
    assert result.conflict_history[0] > 0 and result.conflicts == 0 and result.opens == 0
    _, _, rows = grid.unpack(result.routes[0].nodes())
    assert rows.max() == 6

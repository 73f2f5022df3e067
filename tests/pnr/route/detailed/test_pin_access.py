"""Pin access: points inside the pin shape, orientation of placed shapes, no two nets' access points
on or beside one another."""

import numpy as np
import pytest

from tapeout.pnr.route.detailed.pin_access import (
    AccessRules,
    access_metal,
    cell_pin_candidates,
    pin_access,
    placed_rect,
)
from tapeout.pnr.route.detailed.rect_index import gap

from .test_conflicts import sky130_like_grid


def test_flipped_rows_mirror_the_shape_in_y():
    assert placed_rect((0.1, 0.2, 0.3, 0.5), 10.0, 20.0, 1.38, 2.72, "N") == (10.1, 20.2, 10.3, 20.5)
    fs = placed_rect((0.1, 0.2, 0.3, 0.5), 10.0, 20.0, 1.38, 2.72, "FS")
    assert np.allclose(fs, (10.1, 22.22, 10.3, 22.52))


def test_candidates_lie_inside_the_shape_nearest_the_centre_first():
    grid = sky130_like_grid()
    shape = [("li1", (grid.x(2) - 0.05, grid.y(1) - 0.05, grid.x(2) + 0.05, grid.y(3) + 0.05))]
    found = cell_pin_candidates(grid, "li1", shape, (grid.x(2), grid.y(3)))
    assert found == [grid.node(0, 2, 3), grid.node(0, 2, 2), grid.node(0, 2, 1)]


def test_a_shape_between_points_takes_the_nearest_point_just_outside():
    grid = sky130_like_grid()
    y = (grid.y(1) + grid.y(2)) / 2
    shape = [("li1", (grid.x(2) - 0.1, y - 0.12, grid.x(2) + 0.1, y + 0.12))]  # 0.05 short of both rows
    assert set(cell_pin_candidates(grid, "li1", shape, (grid.x(2), y))) == {grid.node(0, 2, 1), grid.node(0, 2, 2)}


def test_two_nets_do_not_get_access_points_one_track_apart():
    grid = sky130_like_grid()
    tall = ("li1", (grid.x(2) - 0.05, grid.y(1) - 0.05, grid.x(2) + 0.05, grid.y(4) + 0.05))
    pins = [(0, 0, "cell", ([tall], (grid.x(2), grid.y(2)))),
            (1, 1, "cell", ([tall], (grid.x(2), grid.y(2))))]
    access = pin_access(grid, pins, "li1")
    a, b = (grid.unpack(int(n))[2] for n in access.node)
    assert abs(a - b) >= 2 and access.via.all()


def test_the_via_pad_lies_inside_a_pin_between_rows_and_a_stub_joins_it_to_its_point():
    grid = sky130_like_grid()
    y0 = grid.y(1) + 0.05  # a 0.2 um strip between two rows: no lattice point inside it
    shape = ("li1", (grid.x(2) - 0.2, y0, grid.x(2) + 0.2, y0 + 0.2))
    access = pin_access(grid, [(0, 0, "cell", ([shape], (grid.x(2), y0 + 0.1)))], "li1")
    x, y, nx, ny = access.stubs[0]
    _, i, j = grid.unpack(int(access.node[0]))
    assert (nx, ny) == pytest.approx((grid.x(i), grid.y(j)))
    x0, b0, x1, b1 = shape[1]
    assert x0 + 0.085 - 1e-9 <= x <= x1 - 0.085 + 1e-9 and b0 + 0.085 - 1e-9 <= y <= b1 - 0.085 + 1e-9
    assert access.via[0] and int(access.node[0]) in access.reserved[0]


def test_accesses_of_two_nets_keep_the_spacing_and_reserve_the_points_beside_them():
    grid = sky130_like_grid(nx=8)
    rules = AccessRules((0.085, 0.085), (0.145, 0.115), 0.14, (0.16, 0.13))
    # two tall pins one column apart, both preferring the same row
    pins = [(k, k, "cell", ([("li1", (grid.x(2 + k) - 0.085, grid.y(1) - 0.1, grid.x(2 + k) + 0.085,
                                       grid.y(3)))], (grid.x(2 + k), grid.y(2)))) for k in range(2)]
    access = pin_access(grid, pins, "li1", rules)
    metal = []
    for k in range(2):
        x, y = access.stubs[k][:2] if k in access.stubs else (grid.x(grid.unpack(int(access.node[k]))[1]),
                                                              grid.y(grid.unpack(int(access.node[k]))[2]))
        metal.append(access_metal(grid, int(access.node[k]), x, y, rules))
    assert min(gap(a, b) for a in metal[0] for b in metal[1]) >= 0.14 - 1e-9
    assert not access.reserved[0] & access.reserved[1]
    assert int(access.node[1]) not in access.reserved[0] and int(access.node[0]) not in access.reserved[1]


def test_a_pin_with_no_free_position_moves_its_neighbours_access_and_release_undoes_a_take():
    from tapeout.pnr.route.detailed.pin_access import _Accesses, via_positions

    grid = sky130_like_grid(nx=8)
    rules = AccessRules((0.085, 0.085), (0.145, 0.115), 0.14, (0.16, 0.13))
    tall = [("li1", (grid.x(2) - 0.085, grid.y(1) - 0.1, grid.x(2) + 0.085, grid.y(3)))]
    cx, cy = grid.x(2), grid.y(3)  # a small pin right above the tall one's preferred access
    small = [("li1", (cx - 0.085, cy - 0.085, cx + 0.085, cy + 0.085))]
    first = via_positions(grid, "li1", tall, (grid.x(2), grid.y(2)), rules.pin_pad)
    second = via_positions(grid, "li1", small, (cx, cy), rules.pin_pad)
    taken = _Accesses(grid, rules)
    assert taken.try_take(0, 0, *first[0])
    empty = {n: list(v) for n, v in taken.wire_zone.items()}, {n: list(v) for n, v in taken.pad_zone.items()}
    assert not any(taken.try_take(1, 1, *p) for p in second)
    assert taken.reseat(1, 1, second, {0: first}.get, 1.0)
    assert taken.taken[0].node != first[0][0] and 1 in taken.taken
    metal = [access_metal(grid, t.node, t.x, t.y, rules) for t in (taken.taken[0], taken.taken[1])]
    assert min(gap(a, b) for a in metal[0] for b in metal[1]) >= 0.14 - 1e-9
    taken.release(1)
    taken.release(0)
    assert empty[0] and empty[1]  # the first take had zones to undo ...
    assert not any(taken.wire_zone.values()) and not any(taken.pad_zone.values())  # ... and none is left
    assert (taken.node_owner == -1).all() and not taken.taken
    assert all(owner == -1 for bucket in taken.metal.buckets.values() for _, owner in bucket)


def test_every_pin_of_a_dense_row_gets_an_access_that_keeps_its_room():
    grid = sky130_like_grid(nx=8)
    rules = AccessRules((0.085, 0.085), (0.145, 0.115), 0.14, (0.16, 0.13))
    tall = ("li1", (grid.x(2) - 0.085, grid.y(1) - 0.1, grid.x(2) + 0.085, grid.y(3)))
    cx, cy = grid.x(2), grid.y(3)
    small = ("li1", (cx - 0.085, cy - 0.085, cx + 0.085, cy + 0.085))
    # the tall pin has more positions, so the small one goes first here; in either order both keep room
    pins = [(0, 0, "cell", ([tall], (grid.x(2), grid.y(2)))), (1, 1, "cell", ([small], (cx, cy)))]
    access = pin_access(grid, pins, "li1", rules)
    assert access.unkept == [] and access.node[0] != access.node[1]


def test_a_pin_with_no_room_left_still_gets_its_via_pad_inside_the_pin():
    # tc4x4_sky130's li.1/li.3 case: a pin whose only lattice point lies near its edge and whose positions
    # another net's access holds takes the point with no room kept; its via pad goes inside the pin,
    # joined to the point by a stub, not centred on the point, overhanging towards the neighbours
    grid = sky130_like_grid()
    x0, y0, x1, y1 = grid.x(2) - 0.03, grid.y(2) - 0.1, grid.x(2) + 0.2, grid.y(2) + 0.1
    shape = ("li1", (x0, y0, x1, y1))
    pins = [(0, 0, "cell", ([shape], (grid.x(2), grid.y(2)))), (1, 1, "cell", ([shape], (grid.x(2), grid.y(2))))]
    access = pin_access(grid, pins, "li1")
    assert access.unkept == [1] and access.node[1] == grid.node(0, 2, 2)
    x, y, nx, ny = access.stubs[1]
    assert (nx, ny) == pytest.approx((grid.x(2), grid.y(2)))
    assert x0 + 0.085 - 1e-9 <= x <= x1 - 0.085 + 1e-9 and y0 + 0.085 - 1e-9 <= y <= y1 - 0.085 + 1e-9


def test_an_unkept_pins_metal_moves_the_access_of_a_neighbour_that_would_have_no_way_out():
    # tc4x4_sky130's m1.2 case: a neighbour's access point one pitch beside an unkept pin, where its via
    # up to met2 came 0.08 um from the unkept pin's pad (the shapes are those of the real cells)
    from tapeout.pnr.route.detailed.pin_access import _Accesses, via_positions

    grid = sky130_like_grid(nx=8)
    rules = AccessRules((0.085, 0.085), (0.145, 0.115), 0.14, (0.16, 0.13))
    grid.blocked[grid.node(0, 1, 2)] = True  # the point left of the neighbour's is taken: no step aside
    ux, uy, nx, ny = grid.x(3), grid.y(2), grid.x(2), grid.y(2)
    neighbour = [("li1", (nx - 0.31, ny - 0.005, nx + 0.025, ny + 0.225))]
    positions = via_positions(grid, "li1", neighbour, (nx - 0.14, ny + 0.11), rules.pin_pad, 2)
    taken = _Accesses(grid, rules)
    assert taken.try_take(0, 0, *positions[0]) and taken.taken[0].node == grid.node(0, 2, 2)
    unkept_node = grid.node(0, 3, 2)
    taken.node_owner[unkept_node] = 1  # as `pin_access` does for an unkept pin
    via = (ux - 0.075, uy + 0.03)
    unkept_metal = access_metal(grid, unkept_node, *via, rules)

    def up_pad(t):  # the neighbour's via up to met2 where its access point is
        _, i, j = grid.unpack(t.node)
        return (grid.x(i) - 0.16, grid.y(j) - 0.13, grid.x(i) + 0.16, grid.y(j) + 0.13)

    assert gap(up_pad(taken.taken[0]), unkept_metal[0]) < 0.14  # the violation before
    assert taken.hold(1, unkept_node, *via, {0: positions}.get, 1.0) == 1
    moved = taken.taken[0]
    assert moved.node != grid.node(0, 2, 2)
    assert min(gap(a, b) for a in moved.rects for b in unkept_metal) >= 0.14 - 1e-9
    assert taken._can_leave(moved.node, 0, set(), set(), 0)
    reserved, pads = taken.reserved_and_pads()
    assert pads[1] and moved.node not in reserved.get(1, set())  # the router keeps other via pads off it
    assert taken.hold(2, grid.node(0, 6, 4), grid.x(6), grid.y(4), {0: positions}.get, 1.0) == 0  # far away

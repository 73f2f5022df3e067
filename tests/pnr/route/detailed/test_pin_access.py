"""Pin access: points inside the pin shape, orientation of placed shapes, no two nets' access points
on or beside one another."""

import numpy as np
import pytest

from tapeout.pnr.route.detailed.pin_access import (
    AccessRules,
    _gap,
    access_metal,
    cell_pin_candidates,
    pin_access,
    placed_rect,
)

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
    assert min(_gap(a, b) for a in metal[0] for b in metal[1]) >= 0.14 - 1e-9
    assert not access.reserved[0] & access.reserved[1]
    assert int(access.node[1]) not in access.reserved[0] and int(access.node[0]) not in access.reserved[1]

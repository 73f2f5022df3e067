"""Pin access: points inside the pin shape, orientation of placed shapes, no two nets' access points
on or beside one another."""

import numpy as np

from tapeout.pnr.route.detailed.pin_access import cell_pin_candidates, pin_access, placed_rect

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

import pytest

from tapeout.pnr.route.grid import DEFAULT_METAL_STACK, Blockage, RoutingGrid, edge_cost, edge_ends
from tapeout.tech.layers import RoutingLayer


def test_sky130_capacities_per_edge():
    grid = RoutingGrid((0, 0, 100, 80), 40)
    assert (grid.nx, grid.ny) == (3, 2)
    assert list(grid.x_cuts) == [0, 40, 80, 100]
    # H edge in a 40 um row: met1 floor(40/0.34*0.3)=35, met3 floor(40/0.68*0.7)=41, met5 floor(40/3.4*0.5)=5
    assert list(grid.layer_capacity[:, 0]) == [0, 35, 0, 41, 0, 5]
    assert grid.capacity[0] == 81
    # V edge in the 20 um last column: met2 floor(20/0.46*0.7)=30, met4 floor(20/0.92*0.6)=13
    last_v = grid.n_h_edges + 2
    assert list(grid.layer_capacity[:, last_v]) == [0, 0, 30, 0, 13, 0]
    assert grid.n_edges == 2 * 2 + 3 * 1


def test_blockage_removes_tracks_up_to_its_top_layer():
    full = RoutingGrid((0, 0, 120, 40), 40, blockages=[Blockage(0, 0, 120, 40, "met4")])
    assert list(full.capacity) == [5, 5]  # only met5 is left
    half = RoutingGrid((0, 0, 120, 40), 40, blockages=[Blockage(0, 0, 120, 20, "met3")])
    # half of the 40 um row blocked for met1 and met3: floor(35.29/2)=17, floor(41.18/2)=20, met5 5
    assert list(half.capacity) == [42, 42]


def test_gcell_of_clamps_and_edge_numbering():
    grid = RoutingGrid((10, 10, 130, 90), 40)
    gx, gy = grid.gcell_of([10, 49.9, 50, 500, -3], [10, 10, 89.9, 10, 200])
    assert list(gx) == [0, 0, 1, 2, 0]
    assert list(gy) == [0, 0, 1, 0, 1]
    for edge in range(grid.n_edges):
        a, b = edge_ends(edge, grid.nx, grid.n_h_edges)
        ex, ey, vertical = grid.edge_gcells([edge])
        assert a == ey[0] * grid.nx + ex[0]
        assert b - a == (grid.nx if vertical[0] else 1)


def test_edge_cost_grows_with_overflow_and_history():
    assert edge_cost(0, 2, 0.0, 5.0) == 1.0
    assert edge_cost(2, 2, 0.0, 5.0) == 6.0
    assert edge_cost(3, 2, 1.0, 5.0) == 2.0 * 11.0


@pytest.mark.parametrize("kwargs, message", [
    (dict(die=(0, 0, 100, 100), gcell_um=0), "gcell_um must be a positive number, not 0"),
    (dict(die=(0, 0, -1, 100), gcell_um=10),
     "die must be (x0, y0, x1, y1) with x1 > x0 and y1 > y0, not (0, 0, -1, 100)"),
    (dict(die=(0, 0, 100, 100), gcell_um=10, layers=[RoutingLayer("m1", "HORIZONTAL", 1.0, 1.0)]),
     "layers must include a usable V layer, not ['m1']"),
    (dict(die=(0, 0, 100, 100), gcell_um=10, blockages=[Blockage(0, 0, 1, 1, "met9")]),
     "blockage top_layer must be one of ['li1', 'met1', 'met2', 'met3', 'met4', 'met5'], not 'met9'"),
])
def test_bad_grid_parameters(kwargs, message):
    with pytest.raises(ValueError) as info:
        RoutingGrid(**kwargs)
    assert str(info.value) == message


def test_bad_layer_and_blockage():
    with pytest.raises(ValueError, match=r"^direction must be 'HORIZONTAL' or 'VERTICAL', not 'X'$"):
        RoutingLayer("m1", "X", 1.0, 0.5)
    with pytest.raises(ValueError, match=r"^usable_fraction must be a number from 0 to 1, not 1.5$"):
        RoutingLayer("m1", "HORIZONTAL", 1.0, 1.5)
    with pytest.raises(ValueError, match=r"^blockage must have x1 > x0 and y1 > y0, not \(5, 0, 5, 1\)$"):
        Blockage(5, 0, 5, 1, "met1")
    with pytest.raises(ValueError, match=r"^layer must be one of \['li1', 'met1', 'met2', 'met3', 'met4', 'met5'\], not 'x'$"):
        RoutingGrid((0, 0, 10, 10), 5).layer_index("x")
    assert DEFAULT_METAL_STACK[1].name == "met1" and DEFAULT_METAL_STACK[1].axis == "H"

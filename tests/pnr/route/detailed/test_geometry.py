"""Lattice edges to DEF wires and vias: runs merged along each track, vias between layers."""

from tapeout.pnr.formats.layout import RoutedVia, RoutedWire
from tapeout.pnr.route.detailed.geometry import net_geometry, wirelength_um

from .test_negotiate import tiny_grid


def test_steps_along_a_track_merge_into_one_wire_and_a_layer_change_is_a_via():
    grid = tiny_grid()
    edges = [(grid.node(0, 1, 2), grid.node(0, 2, 2)), (grid.node(0, 3, 2), grid.node(0, 2, 2)),
             (grid.node(0, 3, 2), grid.node(1, 3, 2)), (grid.node(1, 3, 2), grid.node(1, 3, 3))]
    items = net_geometry(grid, edges, ["M1M2_PR"])
    wires = [i for i in items if isinstance(i, RoutedWire)]
    vias = [i for i in items if isinstance(i, RoutedVia)]
    assert wires == [RoutedWire("met1", grid.x(1), grid.y(2), grid.x(3), grid.y(2)),
                     RoutedWire("met2", grid.x(3), grid.y(2), grid.x(3), grid.y(3))]
    assert vias == [RoutedVia("met1", "M1M2_PR", grid.x(3), grid.y(2))]
    assert abs(wirelength_um(items) - (2 * 0.46 + 0.34)) < 1e-9


def test_two_runs_on_one_track_with_a_gap_stay_apart():
    grid = tiny_grid()
    edges = [(grid.node(0, 0, 1), grid.node(0, 1, 1)), (grid.node(0, 4, 1), grid.node(0, 5, 1))]
    wires = net_geometry(grid, edges, ["M1M2_PR"])
    assert [(w.x0, w.x1) for w in wires] == [(grid.x(0), grid.x(1)), (grid.x(4), grid.x(5))]

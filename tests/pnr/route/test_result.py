import numpy as np
import pytest

from tapeout.pnr.route.grid import RoutingGrid
from tapeout.pnr.route.negotiated import RoutingProblem, global_route


def _l_net():
    grid = RoutingGrid((0, 0, 400, 400), 40)  # SKY130 stack
    # driver at gcell (1, 1), sink at gcell (5, 4): an L, horizontal first
    problem = RoutingProblem(grid, np.array([0, 2]), np.array([50.0, 210.0]), np.array([45.0, 170.0]))
    return global_route(problem)


def test_l_route_tree_segments_layers_and_vias():
    result = _l_net()
    tree = result.net_tree(0)
    assert list(zip(tree.node_gx, tree.node_gy)) == [(1, 1), (5, 1), (5, 4)]
    assert list(tree.parent) == [-1, 0, 1]
    assert list(tree.wire_um) == [0, 160, 120]
    # H: met3 has the most tracks (41 vs met1 35); V: met2 (60 vs met4 30)
    assert [result.grid.layers[l].name for l in tree.layer[1:]] == ["met3", "met2"]
    assert list(tree.pin_node) == [0, 2]
    assert list(tree.pin_stub_um) == [abs(50 - 60) + abs(45 - 60), abs(210 - 220) + abs(170 - 180)]
    # li1 pin -> met3 at the root (3), met3 -> met2 at the bend (1), met2 -> li1 pin at the sink (2)
    assert result.via_count == 6
    assert tree.wirelength_um == result.wirelength_um == 280


def test_route_guides_cover_segments_and_via_stacks(tmp_path):
    result = _l_net()
    guides = result.route_guides(0)
    assert ("met3", 40.0, 40.0, 240.0, 80.0) in guides
    assert ("met2", 200.0, 40.0, 240.0, 200.0) in guides
    root_layers = sorted(g[0] for g in guides if g[1:] == (40.0, 40.0, 80.0, 80.0))
    assert root_layers == ["li1", "met1", "met2", "met3"]
    path = tmp_path / "route.guide"
    result.write_route_guides(path, ["clk_div"], dbu_per_um=1000)
    lines = path.read_text().splitlines()
    assert lines[:2] == ["clk_div", "("] and lines[-1] == ")"
    assert "40000 40000 240000 80000 met3" in lines
    with pytest.raises(ValueError, match=r"^net_names must name 1 nets, not 2$"):
        result.write_route_guides(path, ["a", "b"])


def test_congestion_map_values():
    result = _l_net()
    ratio = result.gcell_congestion()
    assert ratio.shape == (10, 10)
    # gcell (3, 1): both H edges used once out of 81 tracks each
    assert ratio[1, 3] == pytest.approx(2 / 162)
    assert ratio[0, 0] == 0
    assert not result.overflowed_gcells().any()
    with pytest.raises(ValueError, match=r"^net must be an index from 0 to 0, not 3$"):
        result.net_tree(3)

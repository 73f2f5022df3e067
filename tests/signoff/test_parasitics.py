import numpy as np
import pytest

from tapeout.signoff.graph import TimingGraph
from tapeout.signoff.parasitics import Parasitics, estimate_parasitics, wire_timing
from tapeout.tech.layers import routing_layer


def fanout_graph(library):
    return TimingGraph.from_connections(
        library, {"d": "INV", "s1": "INV", "s2": "INV"},
        {"n": ["d/Y", "s1/A", "s2/A"]}, inputs=[], outputs=[])


def test_elmore_by_hand(library):
    g = fanout_graph(library)
    # root(0) -R1-> branch(1) -R2-> s1(2); branch(1) -R3-> s2(3); driver on the root
    p = Parasitics(np.array([0, 4]), np.array([-1, 0, 1, 1]), np.array([0.0, 1.0, 2.0, 3.0]),
                   np.array([0.0, 0.01, 0.02, 0.03]), np.array([0, 2, 3]))
    w = wire_timing(p, g)
    c_s1, c_s2 = 0.02 + 0.01, 0.03 + 0.01  # wire + pin
    down_1 = 0.01 + c_s1 + c_s2
    assert w.pin_delay_ns[g.pin("s1", "A")] == pytest.approx(1.0 * down_1 + 2.0 * c_s1)
    assert w.pin_delay_ns[g.pin("s2", "A")] == pytest.approx(1.0 * down_1 + 3.0 * c_s2)
    assert w.net_load_pf[0] == pytest.approx(0.06 + 0.02)


def test_driver_off_the_root(library):
    g = fanout_graph(library)
    # chain s1(0) - d(1) - s2(2): driver in the middle
    p = Parasitics(np.array([0, 3]), np.array([-1, 0, 1]), np.array([0.0, 1.0, 2.0]),
                   np.array([0.0, 0.0, 0.0]), np.array([1, 0, 2]))
    w = wire_timing(p, g)
    assert w.pin_delay_ns[g.pin("s1", "A")] == pytest.approx(1.0 * 0.01)
    assert w.pin_delay_ns[g.pin("s2", "A")] == pytest.approx(2.0 * 0.01)


def test_estimate_is_a_spanning_tree(library):
    g = fanout_graph(library)
    x = np.zeros(g.n_pins)
    y = np.zeros(g.n_pins)
    x[g.pin("s1", "A")], y[g.pin("s2", "A")] = 10.0, 20.0
    layer = routing_layer("met2")
    p = estimate_parasitics(g, x, y, layer)
    assert p.net_wire_cap_pf()[0] == pytest.approx(30.0 * layer.c_ff_per_um * 1e-3)
    assert p.net_wire_res_kohm()[0] == pytest.approx(30.0 * layer.r_ohm_per_um * 1e-3)


def test_parent_order_is_checked():
    with pytest.raises(ValueError, match="node_parent must put the root first and parents before "
                                         "children, not parent 2 at node 1"):
        Parasitics(np.array([0, 3]), np.array([-1, 2, 0]), np.zeros(3), np.zeros(3), np.zeros(0))


def test_two_pin_nets_hang_the_second_pin_from_the_first(library):
    g = TimingGraph.from_connections(library, {"a": "INV", "b": "INV", "c": "INV"},
                                     {"ab": ["a/Y", "b/A"], "bc": ["b/Y", "c/A", "a/A"]})
    x, y = np.array([0.0, 3.0, 3.0, 0.0, 7.0, 0.0]), np.array([0.0, 0.0, 4.0, 2.0, 2.0, 9.0])
    layer = routing_layer("met2")
    p = estimate_parasitics(g, x, y, layer, nets=np.array([True, True]))
    two = slice(p.node_ptr[0], p.node_ptr[1])
    assert list(p.node_parent[two]) == [-1, 0] and list(p.slot_node[:2]) == [0, 1]
    a_y, b_a = g.pin("a", "Y"), g.pin("b", "A")
    span = abs(x[a_y] - x[b_a]) + abs(y[a_y] - y[b_a])
    assert p.net_wire_res_kohm()[0] == pytest.approx(span * layer.r_ohm_per_um * 1e-3)
    assert p.net_wire_cap_pf()[1] > 0  # the three-pin net goes the spanning-tree way
    unchosen = estimate_parasitics(g, x, y, layer, nets=np.array([False, True]))
    assert unchosen.node_ptr[1] == 0 and unchosen.slot_node[0] == -1

"""Extraction from routed geometry: a hand-built net whose R and C per segment are worked out by hand."""

from types import SimpleNamespace

import numpy as np
import pytest

from tapeout.pnr.formats.layout import RoutedRect, RoutedVia, RoutedWire
from tapeout.signoff.extraction import ExtractionError, routed_parasitics
from tapeout.signoff.graph import TimingGraph
from tapeout.signoff.parasitics import estimate_parasitics
from tapeout.tech.layers import CutLayer, RoutingLayer

# R per um = R_sq / W; C per um = C_area W + 2 C_edge
#   li1  10 ohm/sq, 0.2 um
#   met1 0.1 ohm/sq, 0.2 um -> 0.5 ohm/um; 1e-4 pF/um2 x 0.2 + 2 x 5e-5 pF/um = 1.2e-4 pF/um
#   met2 0.2 ohm/sq, 0.4 um -> 0.5 ohm/um; 5e-5 x 0.4 + 2 x 2.5e-5 = 7e-5 pF/um
TECH = SimpleNamespace(
    metal_stack=(RoutingLayer("li1", "VERTICAL", 0.46, 1.0, 0.2, 0.2, 0.0, 10.0, 0.0, 0.0),
                 RoutingLayer("met1", "HORIZONTAL", 0.34, 1.0, 0.2, 0.14, 0.0, 0.1, 1e-4, 5e-5),
                 RoutingLayer("met2", "VERTICAL", 0.46, 1.0, 0.4, 0.14, 0.0, 0.2, 5e-5, 2.5e-5)),
    cut_stack=(CutLayer("mcon", "li1", "met1", 0.17, 0.19, 10.0), CutLayer("via", "met1", "met2", 0.15, 0.17, 5.0)))

# d/Y (li1 at 0,0) -mcon- met1 0..10 along y = 0, s1/A (li1 at 4,0) by an mcon in the middle of the wire,
# via to met2 at (10, 0), met2 up to s2/A (met2 at 10, 5) with a 0.2 x 0.3 um patch there
WIRES = [RoutedVia("li1", "L1M1", 0.0, 0.0), RoutedWire("met1", 0.0, 0.0, 10.0, 0.0),
         RoutedVia("li1", "L1M1", 4.0, 0.0), RoutedVia("met1", "M1M2", 10.0, 0.0),
         RoutedWire("met2", 10.0, 0.0, 10.0, 5.0), RoutedRect("met2", 9.9, 4.85, 10.1, 5.15)]


def fanout(library):
    g = TimingGraph.from_connections(library, {"d": "INV", "s1": "INV", "s2": "INV"},
                                     {"n": ["d/Y", "s1/A", "s2/A"]}, inputs=[], outputs=[])
    shapes = [[] for _ in range(g.n_pins)]
    shapes[g.pin("d", "Y")] = [("li1", (-0.1, -0.3, 0.1, 0.3))]
    shapes[g.pin("s1", "A")] = [("li1", (3.9, 0.1, 4.1, 0.6))]  # the via lands 0.1 um below the shape
    shapes[g.pin("s2", "A")] = [("met2", (10.0, 5.0, 10.0, 5.0))]
    return g, shapes


def extract(library, wires):
    g, shapes = fanout(library)
    fallback = estimate_parasitics(g, np.zeros(g.n_pins), np.zeros(g.n_pins))
    return g, routed_parasitics(g, {"n": wires}, ["n"], shapes, TECH, fallback)


def path_res(p, node):
    total = 0.0
    while p.node_parent[node] >= 0:
        total += p.node_res_kohm[node]
        node = p.node_parent[node]
    return total


def test_r_and_c_per_segment_by_hand(library):
    g, p = extract(library, WIRES)
    slot = {g.pin_names[pin] + str(g.pin_cell[pin]): p.slot_node[k] for k, pin in enumerate(g.net_pins)}
    d, s1, s2 = (slot[k] for k in ("Y0", "A1", "A2"))
    assert d == 0  # the tree hangs from the first pin
    # d: mcon 10 ohm, met1 0..4 2 ohm, mcon 10 ohm
    assert path_res(p, s1) == pytest.approx((10 + 2 + 10) * 1e-3)
    # d: mcon 10, met1 0..4 2, 4..10 3, via 5, met2 0..5 2.5 ohm
    assert path_res(p, s2) == pytest.approx((10 + 2 + 3 + 5 + 2.5) * 1e-3)
    patch = 0.2 * 0.3 * 5e-5 + 2 * 2.5e-5 * (0.2 + 0.3)
    assert p.node_cap_pf[s2] == pytest.approx(5 * 7e-5 / 2 + patch)
    assert p.net_wire_cap_pf()[0] == pytest.approx(10 * 1.2e-4 + 5 * 7e-5 + patch)
    assert p.net_wire_res_kohm()[0] == pytest.approx((10 + 2 + 10 + 3 + 5 + 2.5) * 1e-3)
    assert len(p.node_parent) == 7  # li1 and met1 at 0,0 and at 4,0; met1, met2 at 10,0; met2 at 10,5


def test_a_wire_that_misses_a_pin_names_the_net_and_the_pin(library):
    missing = [w for w in WIRES if not (isinstance(w, RoutedVia) and w.x == 4.0)]
    with pytest.raises(ExtractionError, match=r"^net n: its routed wires do not reach pin s1/A \(nothing on li1 "
                                              r"within 0.17 um of the pin's shape\)$"):
        extract(library, missing)


def test_a_wire_running_over_a_pin_of_metal_reaches_it(library):
    """A pin with a shape of its own on met1 (SKY130's mux4 select) is reached by the met1 wire passing over
    it: the wire gets a node where it enters the shape."""
    g, shapes = fanout(library)
    shapes[g.pin("s1", "A")] = [("li1", (3.9, 0.5, 4.1, 0.9)), ("met1", (3.5, -0.1, 4.5, 0.1))]
    no_via = [w for w in WIRES if not (isinstance(w, RoutedVia) and w.x == 4.0)]
    fallback = estimate_parasitics(g, np.zeros(g.n_pins), np.zeros(g.n_pins))
    p = routed_parasitics(g, {"n": no_via}, ["n"], shapes, TECH, fallback)
    s1 = p.slot_node[[g.pin_names[pin] + str(g.pin_cell[pin]) for pin in g.net_pins].index("A1")]
    assert path_res(p, s1) == pytest.approx((10 + 3.5 * 0.5) * 1e-3)  # mcon, then met1 from 0 to 3.5 um


def test_a_broken_wire_names_the_pins_it_leaves_apart(library):
    cut = [RoutedWire("met1", 0.0, 0.0, 4.0, 0.0) if isinstance(w, RoutedWire) and w.layer == "met1" else w
           for w in WIRES] + [RoutedWire("met1", 8.0, 0.0, 10.0, 0.0)]
    with pytest.raises(ExtractionError, match="^net n: its routed wires do not connect pin s2/A to pin d/Y$"):
        extract(library, cut)


def test_a_loop_keeps_its_capacitance(library):
    loop = WIRES + [RoutedWire("met1", 0.0, 0.0, 0.0, 1.0), RoutedWire("met1", 0.0, 1.0, 4.0, 1.0),
                    RoutedWire("met1", 4.0, 1.0, 4.0, 0.0)]
    _, p = extract(library, loop)
    assert p.net_wire_cap_pf()[0] == pytest.approx(16 * 1.2e-4 + 5 * 7e-5 + 0.2 * 0.3 * 5e-5 + 2.5e-5)


def test_nets_without_routes_keep_the_estimate(library):
    g = TimingGraph.from_connections(library, {"d": "INV", "s1": "INV", "s2": "INV", "e": "INV", "t": "INV"},
                                     {"n": ["d/Y", "s1/A", "s2/A"], "m": ["e/Y", "t/A"]}, inputs=[], outputs=[])
    one, by_pin = fanout(library)
    shapes = [[] for _ in range(g.n_pins)]
    for cell, pin in (("d", "Y"), ("s1", "A"), ("s2", "A")):
        shapes[g.pin(cell, pin)] = by_pin[one.pin(cell, pin)]
    x = np.arange(g.n_pins, dtype=float) * 3.0
    fallback = estimate_parasitics(g, x, np.zeros(g.n_pins))
    p = routed_parasitics(g, {"n": WIRES}, list(g.net_names), shapes, TECH, fallback)
    n, m = list(g.net_names).index("n"), list(g.net_names).index("m")
    assert p.net_wire_cap_pf()[m] == pytest.approx(fallback.net_wire_cap_pf()[m]) and p.net_wire_cap_pf()[m] > 0
    assert p.net_wire_cap_pf()[n] == pytest.approx(10 * 1.2e-4 + 5 * 7e-5 + 0.2 * 0.3 * 5e-5 + 2.5e-5)

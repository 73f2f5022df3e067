import numpy as np
import pytest

from tapeout.signoff.delay_calc import all_edges, calculate_delays
from tapeout.signoff.graph import TimingGraph
from tapeout.signoff.parasitics import Parasitics
from tapeout.signoff.pi_model import reduce_to_pi
from tapeout.signoff.propagate import LoopError, build_edges, propagate


def inv(slew, load, rise):
    """Hand formula of the test INV tables (bilinear is exact on these planes)."""
    if rise:
        return 0.02 + 0.5 * slew + 2.0 * load, 0.01 + 0.2 * slew + 3.0 * load
    return 0.01 + 0.4 * slew + 1.5 * load, 0.01 + 0.1 * slew + 2.0 * load


def chain(library, n=3):
    inst = {f"u{i}": "INV" for i in range(n)}
    nets = {"in": ["a", "u0/A"]}
    for i in range(n - 1):
        nets[f"n{i}"] = [f"u{i}/Y", f"u{i + 1}/A"]
    nets["out"] = [f"u{n - 1}/Y", "y"]
    return TimingGraph.from_connections(library, inst, nets, inputs=["a"], outputs=["y"])


def run(g, arrival, slew, is_max=True, parasitics=None):
    src = np.zeros(g.n_pins, dtype=bool)
    src[g.port_pins[0]] = True
    edges = build_edges(g, np.zeros(g.n_pins, dtype=bool), src)
    port_slew = np.zeros(g.n_pins)
    port_slew[g.port_pins[0]] = slew
    delays = calculate_delays(g, all_edges(g), reduce_to_pi(parasitics, g), port_slew)
    a = np.full((g.n_pins, 2), -np.inf if is_max else np.inf)
    a[g.port_pins[0]] = arrival
    return propagate(g, edges, delays, a, is_max)


def test_inverter_chain_every_arc_by_hand(library):
    g = chain(library)
    p = run(g, 0.1, 0.05)
    t, s = 0.1, 0.05
    edge = 0  # rising input
    for i in range(3):
        load = 0.01 if i < 2 else 0.0
        out_edge = 1 - edge
        d, s = inv(s, load, rise=out_edge == 0)
        t += d
        y = g.pin(f"u{i}", "Y")
        assert p.arrival[y, out_edge] == pytest.approx(t, abs=1e-12)
        assert p.slew[y, out_edge] == pytest.approx(s, abs=1e-12)
        assert p.prev_pin[y, out_edge] == g.pin(f"u{i}", "A")
        edge = out_edge
    assert p.arrival[g.port_pins[1], edge] == pytest.approx(t, abs=1e-12)


def test_wire_delay_on_an_rc_net(library):
    g = chain(library, 2)
    net = g.net_names.index("n0")
    node_ptr = np.zeros(g.n_nets + 1, dtype=np.int64)
    node_ptr[net + 1:] = 2
    par = Parasitics(node_ptr, np.array([-1, 0]), np.array([0.0, 2.0]), np.array([0.0, 0.005]),
                     _slots(g, net))
    elmore = 2.0 * (0.005 + 0.01)
    p = run(g, 0.0, 0.05, parasitics=par)
    ya, a1 = g.pin("u0", "Y"), g.pin("u1", "A")
    wire = p.arrival[a1, 1] - p.arrival[ya, 1]
    # the driver's ramp is slower than the wire, so the load lags it by less than the Elmore delay
    assert 0.2 * elmore < wire < elmore
    assert p.slew[a1, 1] >= p.slew[ya, 1]
    lumped = run(g, 0.0, 0.05)
    assert p.arrival[ya, 1] - p.arrival[g.pin("u0", "A"), 0] < (
        lumped.arrival[ya, 1] - lumped.arrival[g.pin("u0", "A"), 0] + 2.0 * 0.005)


def _slots(g, net):
    slots = np.full(len(g.net_pins), -1)
    lo = g.net_ptr[net]
    slots[lo:lo + 2] = [0, 1]
    return slots


def test_min_mode_takes_the_earliest(library):
    g = TimingGraph.from_connections(
        library, {"u0": "INV", "u1": "INV", "u2": "INV"},
        {"a": ["a", "u0/A", "u1/A"], "n0": ["u0/Y", "u2/A"], "n1": ["u1/Y", "y"], "o": ["u2/Y", "z"]},
        inputs=["a"], outputs=["y", "z"])
    lo, hi = run(g, 0.0, 0.0, is_max=False), run(g, 0.0, 0.0)
    z = g.pin_names.index("z")
    assert lo.arrival[z, 0] == hi.arrival[z, 0]  # single path: min equals max


def test_combinational_loop_is_reported(library):
    g = TimingGraph.from_connections(library, {"u0": "INV", "u1": "INV"},
                                     {"n0": ["u0/Y", "u1/A"], "n1": ["u1/Y", "u0/A"]})
    with pytest.raises(LoopError, match="combinational loop: 4 pins never become ready"):
        build_edges(g, np.zeros(g.n_pins, dtype=bool), np.zeros(g.n_pins, dtype=bool))

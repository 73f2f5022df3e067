import numpy as np
import pytest

from tapeout.signoff.graph import TimingGraph
from tapeout.signoff.parasitics import Parasitics, wire_timing
from tapeout.signoff.pi_model import reduce_to_pi


def two_loads(library):
    return TimingGraph.from_connections(library, {"d": "INV", "s1": "INV", "s2": "INV"},
                                        {"n": ["d/Y", "s1/A", "s2/A"]})


def test_one_segment_is_its_own_pi_model(library):
    # driver node (0.004 pF) -- 2 kohm -- far node (0.003 pF wire + both pins 0.02 pF)
    g = two_loads(library)
    p = Parasitics(np.array([0, 2]), np.array([-1, 0]), np.array([0.0, 2.0]), np.array([0.004, 0.003]),
                   np.array([0, 1, 1]))
    pi = reduce_to_pi(p, g)
    far = 0.003 + 2 * 0.01
    assert pi.c2_pf[0] == pytest.approx(0.004) and pi.c1_pf[0] == pytest.approx(far)
    assert pi.rpi_kohm[0] == pytest.approx(2.0)
    assert pi.elmore_ns[g.pin("s1", "A")] == pytest.approx(2.0 * far)
    assert pi.c1_pf[0] + pi.c2_pf[0] == pytest.approx(wire_timing(p, g).net_load_pf[0])


def test_driver_off_the_root_and_moments_by_hand(library):
    # stored root: s1's node; chain s1 -(1)- d -(3)- s2; seen from d two branches
    g = two_loads(library)
    p = Parasitics(np.array([0, 3]), np.array([-1, 0, 1]), np.array([0.0, 1.0, 3.0]),
                   np.array([0.001, 0.002, 0.004]), np.array([1, 0, 2]))
    pi = reduce_to_pi(p, g)
    ca, cb, cd = 0.001 + 0.01, 0.004 + 0.01, 0.002
    y1 = ca + cb + cd
    y2 = -(1.0 * ca ** 2 + 3.0 * cb ** 2)
    y3 = 1.0 ** 2 * ca ** 3 + 3.0 ** 2 * cb ** 3
    assert pi.c1_pf[0] == pytest.approx(y2 ** 2 / y3)
    assert pi.c2_pf[0] == pytest.approx(y1 - y2 ** 2 / y3)
    assert pi.rpi_kohm[0] == pytest.approx(-y3 ** 2 / y2 ** 3)
    assert pi.elmore_ns[g.pin("s1", "A")] == pytest.approx(1.0 * ca)
    assert pi.elmore_ns[g.pin("s2", "A")] == pytest.approx(3.0 * cb)
    assert pi.elmore_ns == pytest.approx(wire_timing(p, g).pin_delay_ns)


def test_no_resistance_is_a_lumped_load(library):
    g = two_loads(library)
    p = Parasitics(np.array([0, 2]), np.array([-1, 0]), np.array([0.0, 0.0]), np.array([0.004, 0.003]),
                   np.array([0, 1, 1]))
    pi = reduce_to_pi(p, g)
    assert (pi.c1_pf[0], pi.c2_pf[0], pi.rpi_kohm[0]) == pytest.approx((0.027, 0.0, 0.0))
    none = reduce_to_pi(None, g)
    assert none.c1_pf[0] == pytest.approx(0.02) and not none.has_rc[0]

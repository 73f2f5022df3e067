import math

import numpy as np
import pytest

from tapeout.signoff.delay import TablePack
from tapeout.signoff.dmp import gate_delay_slew, load_delay_slew, new_state, port_load_delay_slew
from tapeout.tech.library import default_library


@pytest.fixture(scope="module")
def buffer_tables():
    arc = default_library()["BUF_2"].arc("A", "Y").tables
    pack = TablePack()
    ids = pack.add(arc["cell_rise"]), pack.add(arc["rise_transition"])
    pack.freeze()
    return pack, ids


def call(pack, ids, in_slew, c2, rpi, c1):
    st = new_state()
    d, s = gate_delay_slew(st, ids[0], ids[1], in_slew, c2, rpi, c1, *pack.arrays)
    return st, d, s


def test_small_resistance_is_the_table_at_the_total_load(buffer_tables):
    pack, ids = buffer_tables
    _, d, s = call(pack, ids, 0.1, 0.01, 1e-9, 0.02)
    assert d == pytest.approx(pack(ids[0], 0.1, 0.03)) and s == pytest.approx(pack(ids[1], 0.1, 0.03))


def test_resistance_shields_the_far_capacitance(buffer_tables):
    pack, ids = buffer_tables
    lumped = pack(ids[0], 0.1, 0.06)
    st, d, s = call(pack, ids, 0.1, 0.01, 2.0, 0.05)
    ceff = st[7]
    assert 0.01 < ceff < 0.06 and d < lumped
    assert d == pytest.approx(pack(ids[0], 0.1, ceff))  # the gate delay is the table's at Ceff
    near, _ = load_delay_slew(st, 1e-6)
    far, far_slew = load_delay_slew(st, 0.2)
    farther, _ = load_delay_slew(st, 0.4)
    assert near == pytest.approx(1e-6) and 0 < far < farther and far_slew >= s
    # a stronger shield (more resistance) lowers Ceff further
    st2, d2, _ = call(pack, ids, 0.1, 0.01, 4.0, 0.05)
    assert st2[7] < ceff and d2 < d


def test_vanishing_near_capacitance_uses_one_pole(buffer_tables):
    pack, ids = buffer_tables
    st, d, s = call(pack, ids, 0.1, 0.0, 2.0, 0.05)
    assert st[0] == 1 and 0 < d < pack(ids[0], 0.1, 0.05) + 2.0 * 0.05 and s > 0
    assert load_delay_slew(st, 0.1)[0] > 0


def test_input_port_wire_is_an_exponential_of_the_elmore_constant():
    d, s = port_load_delay_slew(0.05, 0.2)
    assert d == pytest.approx(math.log(2) * 0.2) and s == pytest.approx(0.05 + math.log(4) * 0.2)
    assert np.isfinite(d)

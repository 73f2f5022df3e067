import numpy as np
import pytest

from tapeout.tech import electrical as el
from tapeout.tech.electrical import INVERTER, Stage, path_tables


def test_single_inverter_matches_the_rc_formula():
    t = path_tables((INVERTER,), True, np.array([0.0]), np.array([0.01]))
    expected = el.R_RISE_UNIT_KOHM * (0.01 + el.C_PAR_UNIT_PF)
    assert t.delay[0, 0] == pytest.approx(expected)
    assert t.slew[0, 0] == pytest.approx(el.SLEW_PER_RC_DELAY * expected)


def test_delay_grows_with_load_and_input_slew():
    t = path_tables((Stage(1, 2, 2.0),), False, el.SLEW_INDEX_NS, el.LOAD_INDEX_PF)
    assert np.all(np.diff(t.delay, axis=1) > 0)
    assert np.all(np.diff(t.delay, axis=0) > 0)


def test_fo4_inverter_delay_is_near_sky130():
    # Average of rise and fall for an inverter driving four copies of itself.
    load = np.array([4 * INVERTER.input_pf()])
    rise = path_tables((INVERTER,), True, np.array([0.05]), load).delay[0, 0]
    fall = path_tables((INVERTER,), False, np.array([0.05]), load).delay[0, 0]
    assert 0.04 < (rise + fall) / 2 < 0.08


def test_stacked_and_wider_stages():
    nand_fall = path_tables((Stage(1, 2, 2.0),), False, [0.05], [0.01]).delay[0, 0]
    inv_fall = path_tables((INVERTER,), False, [0.05], [0.01]).delay[0, 0]
    inv4_fall = path_tables((INVERTER.scaled(4),), False, [0.05], [0.01]).delay[0, 0]
    assert nand_fall > inv_fall > inv4_fall


def test_empty_chain_is_rejected():
    with pytest.raises(ValueError, match="stages must not be empty"):
        path_tables((), True, [0.1], [0.01])


def test_leakage_is_linear_in_transistors():
    assert el.leakage_nw(4, 1) == pytest.approx(2 * el.leakage_nw(2, 1))
    assert el.leakage_nw(4, 1) == pytest.approx(0.00212, rel=0.01)

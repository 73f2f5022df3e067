"""A tiny hand-made library (tables small enough to interpolate by hand) and netlists."""

import numpy as np
import pytest

from tapeout.tech.library import LibCell, Pin, PowerArc, TimingArc
from tapeout.tech.nldm import Table

SLEWS = np.array([0.0, 0.2])
LOADS = np.array([0.0, 0.1])


def table(values, index_1=SLEWS, index_2=LOADS):
    return Table(np.asarray(index_1, float), np.asarray(index_2, float), np.asarray(values, float))


def inverter():
    """INV: delay = 0.02 + 0.5 slew_in + 2.0 load (rise), 0.01 + 0.4 slew + 1.5 load (fall)."""
    arc = TimingArc("Y", "A", "combinational", "negative_unate", {
        "cell_rise": table([[0.02, 0.22], [0.12, 0.32]]),
        "cell_fall": table([[0.01, 0.16], [0.09, 0.24]]),
        "rise_transition": table([[0.01, 0.31], [0.05, 0.35]]),
        "fall_transition": table([[0.01, 0.21], [0.03, 0.23]]),
    })
    power = PowerArc("Y", "A", table([[0.001, 0.002], [0.003, 0.004]]),
                     table([[0.001, 0.002], [0.003, 0.004]]))
    return LibCell("INV", 3.0, 3, 1.0,
                   {"A": Pin("A", "input", 0.01, max_transition=1.0),
                    "Y": Pin("Y", "output", 0.0, "!A", max_capacitance=0.1)},
                   [arc], [], [power])


def flop():
    """DFF: CLK->Q 0.3 ns + 1.0 x load (both edges); setup 0.1 + 0.2 slew_D; hold 0.05."""
    clk_q = TimingArc("Q", "CLK", "rising_edge", "non_unate", {
        "cell_rise": table([[0.3, 0.4], [0.3, 0.4]]),
        "cell_fall": table([[0.3, 0.4], [0.3, 0.4]]),
        "rise_transition": table([[0.05, 0.25], [0.05, 0.25]]),
        "fall_transition": table([[0.05, 0.25], [0.05, 0.25]]),
    })
    cidx = np.array([0.0, 0.5])
    setup = TimingArc("D", "CLK", "setup_rising", "", {
        "rise_constraint": table([[0.1, 0.1], [0.2, 0.2]], cidx, cidx),
        "fall_constraint": table([[0.1, 0.1], [0.2, 0.2]], cidx, cidx)})
    hold = TimingArc("D", "CLK", "hold_rising", "", {
        "rise_constraint": table([[0.05, 0.05], [0.05, 0.05]], cidx, cidx),
        "fall_constraint": table([[0.05, 0.05], [0.05, 0.05]], cidx, cidx)})
    energy = Table(np.array([0.0, 1.0]), np.zeros(0), np.array([0.002, 0.002]))
    return LibCell("DFF", 20.0, 16, 10.0,
                   {"D": Pin("D", "input", 0.002),
                    "CLK": Pin("CLK", "input", 0.002, is_clock=True),
                    "Q": Pin("Q", "output", 0.0, "IQ", max_capacitance=0.1)},
                   [clk_q], [setup, hold], [PowerArc("CLK", "", energy, energy)],
                   flop={"next_state": "D", "clocked_on": "CLK"})


@pytest.fixture
def library():
    return {"INV": inverter(), "DFF": flop()}

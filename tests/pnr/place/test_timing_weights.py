import math

import numpy as np
import pytest

from tapeout.pnr.place.timing_weights import PlacementTimer, net_criticality
from tapeout.signoff.constraints import parse_sdc
from tapeout.signoff.graph import TimingGraph
from tapeout.signoff.parasitics import estimate_parasitics
from tapeout.signoff.sta import run_sta
from tapeout.tech.library import default_library

CLOCK = "create_clock -name clk -period 5 [get_ports clk]\nset_propagated_clock [get_clocks clk]\n"


def test_criticality_is_linear_over_the_worst_share():
    slack = np.array([0.0, 1.0, 2.0, np.inf, 4.0, 3.0, 5.0, 6.0, 7.0, 8.0, 9.0])
    # 10 timed nets, worst 30 %: slacks 0, 1, 2; 1 at the worst, 0 from the third on
    crit = net_criticality(slack, fraction=0.3)
    assert crit == pytest.approx([1.0, 0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    assert net_criticality(slack, fraction=1.0)[[0, 9, 10]] == pytest.approx([1.0, 1 / 9, 0.0])


def test_criticality_without_spread_is_the_worst_nets_or_nothing():
    assert net_criticality(np.array([1.0, 1.0, np.inf])) == pytest.approx([1.0, 1.0, 0.0])
    assert net_criticality(np.array([1.0] * 5 + [2.0] * 50), fraction=0.05) == pytest.approx([1.0] * 5 + [0.0] * 50)
    assert not net_criticality(np.full(4, np.inf)).any()
    with pytest.raises(ValueError, match=r"fraction must be a number in \(0, 1\], not 0"):
        net_criticality(np.zeros(3), fraction=0)


def two_paths():
    """ff0 -> a chain of four inverters -> ff1 (the long path), ff0 -> one inverter -> ff2 (short)."""
    inst = {"ff0": "DFF_1", "ff1": "DFF_1", "ff2": "DFF_1", "s": "INV_1",
            **{f"u{i}": "INV_1" for i in range(4)}}
    nets = {"clk": ["clk", "ff0/CLK", "ff1/CLK", "ff2/CLK"], "q": ["ff0/Q", "u0/A", "s/A"],
            "n0": ["u0/Y", "u1/A"], "n1": ["u1/Y", "u2/A"], "n2": ["u2/Y", "u3/A"],
            "d1": ["u3/Y", "ff1/D"], "d2": ["s/Y", "ff2/D"], "free": ["u4/Y", "u5/A"]}
    inst.update({"u4": "INV_1", "u5": "INV_1"})
    return TimingGraph.from_connections(default_library(), inst, nets, inputs=["clk"])


def pins_at(graph, cell_x):
    """Pin positions: every pin at its cell's x (ports at 0), y = 0."""
    x = np.where(graph.pin_cell >= 0, np.asarray(cell_x)[np.maximum(graph.pin_cell, 0)], 0.0)
    return x, np.zeros(graph.n_pins)


def test_timer_gives_each_net_its_worst_path_slack():
    graph = two_paths()
    net = {name: k for k, name in enumerate(graph.net_names)}
    timer = PlacementTimer(graph, parse_sdc(CLOCK), lambda x, y: pins_at(graph, x))
    cell_x = np.arange(graph.n_cells) * 50.0
    timing = timer(cell_x, None)
    # the same as the timer on the same wires with an ideal clock
    report = run_sta(graph, parse_sdc("create_clock -name clk -period 5 [get_ports clk]\n"),
                     estimate_parasitics(graph, *pins_at(graph, cell_x)))
    assert timing.wns_ns == pytest.approx(report.wns_ns)
    slack = timing.slack_ns
    assert slack[net["d1"]] == pytest.approx(report.wns_ns) and slack[net["n0"]] == slack[net["d1"]]
    assert slack[net["q"]] == slack[net["d1"]]  # q is on both paths: the worse one counts
    assert slack[net["d2"]] > slack[net["d1"]] + 0.1
    assert math.isinf(slack[net["free"]]) and math.isinf(slack[net["clk"]])  # on no data path
    # spread the long path out: its slack falls
    far = cell_x.copy()
    far[[graph.cell_names.index(f"u{i}") for i in range(4)]] *= 40
    assert timer(far, None).slack_ns[net["d1"]] < slack[net["d1"]] - 0.05
    assert timer(cell_x, None).slack_ns == pytest.approx(slack)  # same placement, same slacks

import numpy as np
import pytest

from tapeout.signoff.graph import ARC_RISING_EDGE, CHECK_HOLD, CHECK_SETUP, TimingGraph


def test_arrays_from_library(library):
    g = TimingGraph.from_connections(library, {"u1": "INV", "ff": "DFF"},
                                     {"a": ["a", "u1/A"], "n": ["u1/Y", "ff/D"],
                                      "clk": ["clk", "ff/CLK"], "q": ["ff/Q", "q"]},
                                     inputs=["a", "clk"], outputs=["q"])
    assert g.n_arcs == 2
    launch = np.flatnonzero(g.arc_kind == ARC_RISING_EDGE)[0]
    assert g.pin_label(g.arc_from[launch]) == "ff/CLK" and g.pin_label(g.arc_to[launch]) == "ff/Q"
    assert sorted(g.check_kind.tolist()) == [CHECK_SETUP, CHECK_HOLD]
    assert {g.pin_label(p) for p in g.check_pin} == {"ff/D"}
    assert g.pin_label(g.net_driver[g.net_names.index("n")]) == "u1/Y"
    assert g.net_sink_cap_pf()[g.net_names.index("n")] == pytest.approx(0.002)
    assert g.pin_max_capacitance_pf[g.pin("u1", "Y")] == 0.1


def test_bad_inputs(library):
    with pytest.raises(ValueError, match="net 'n' names an unknown pin 'u9/A'"):
        TimingGraph.from_connections(library, {"u1": "INV"}, {"n": ["u1/Y", "u9/A"]})
    with pytest.raises(ValueError, match=r"cell_type must index lib_cells \(0 to 0\), not values up to 3"):
        TimingGraph([library["INV"]], ["u1"], [3], [], [], [], [], [0], [])

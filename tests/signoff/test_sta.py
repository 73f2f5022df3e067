import math

import pytest

from tapeout.signoff.constraints import parse_sdc
from tapeout.signoff.graph import TimingGraph
from tapeout.signoff.sta import run_sta
from tapeout.tech.library import default_library

CLOCK = "create_clock -name clk -period 2 [get_ports clk]\n"


def ff_to_ff(library, n_inv=2):
    inst = {"ff1": "DFF", "ff2": "DFF"} | {f"u{i}": "INV" for i in range(n_inv)}
    nets = {"clk": ["clk", "ff1/CLK", "ff2/CLK"], "q1": ["ff1/Q", "u0/A"],
            "d2": [f"u{n_inv - 1}/Y", "ff2/D"], "d": ["d", "ff1/D"]}
    for i in range(n_inv - 1):
        nets[f"n{i}"] = [f"u{i}/Y", f"u{i + 1}/A"]
    return TimingGraph.from_connections(library, inst, nets, inputs=["clk", "d"])


def test_flop_to_flop_path_by_hand(library):
    r = run_sta(ff_to_ff(library), parse_sdc(CLOCK))
    # ff1/Q: load 0.01 -> delay 0.31, slew 0.07 (both edges); worst edge through 2 INVs:
    # Q fall -> u0 rise: 0.02 + 0.5*0.07 + 2*0.01 = 0.075, slew 0.01+0.2*0.07+3*0.01 = 0.054
    # u0 rise -> u1 fall (load 0.002): 0.01 + 0.4*0.054 + 1.5*0.002 = 0.0346, slew 0.0194
    arrival = 0.31 + 0.075 + 0.0346
    setup = 0.1 + 0.2 * 0.0194  # table rows: data slew 0 -> 0.1, 0.5 -> 0.2
    path = r.paths[0]
    assert (path.startpoint, path.endpoint, path.kind) == ("ff1/CLK", "ff2/D", "setup")
    assert path.arrival_ns == pytest.approx(arrival, abs=1e-12)
    assert r.wns_ns == pytest.approx(2.0 - setup - arrival, abs=1e-12)
    assert [p.pin for p in path.points] == ["ff1/CLK", "ff1/Q", "u0/A", "u0/Y", "u1/A", "u1/Y",
                                            "ff2/D"]
    assert r.fmax_mhz == pytest.approx(1000.0 / (arrival + setup))
    assert r.tns_ns == 0.0 and r.setup_violations == 0


def test_hold_violation_from_clock_skew(library):
    g = ff_to_ff(library)
    r = run_sta(g, parse_sdc(CLOCK), clock_latency_ns={"ff2": 0.5})
    # earliest data: Q rise 0.31 -> u0 fall 0.01+0.4*0.07+1.5*0.01=0.053 -> u1 rise
    # 0.02+0.5*0.045+2*0.002 = 0.0465 (u0 fall slew 0.01+0.1*0.07+2*0.01 = 0.037... )
    hold_path = [p for p in r.paths if p.kind == "hold" and p.endpoint == "ff2/D"][0]
    assert hold_path.required_ns == pytest.approx(0.5 + 0.05)
    assert r.hold_ws_ns == pytest.approx(hold_path.arrival_ns - 0.55, abs=1e-12)
    assert r.hold_ws_ns < 0 and r.hold_violations == 1


def test_false_path_removes_the_check(library):
    g = ff_to_ff(library)
    base = run_sta(g, parse_sdc(CLOCK + "set_input_delay 1.95 -clock clk [get_ports d]"))
    assert base.wns_ns < 0  # d -> ff1/D violates: 1.95 + setup 0.1 > 2
    r = run_sta(g, parse_sdc(CLOCK + "set_input_delay 1.95 -clock clk [get_ports d]\n"
                             "set_false_path -from [get_ports d] -to [get_cells ff1]"))
    assert r.wns_ns > 0 and "ff1/D" not in [p.endpoint for p in r.paths if p.kind == "setup"]
    assert math.isnan(r.setup_slack_ns[r.endpoints.index("ff1/D")])


def test_max_delay_replaces_the_clock_check(library):
    g = ff_to_ff(library)
    r = run_sta(g, parse_sdc(CLOCK + "set_max_delay 0.3 -from [get_cells ff1] -to [get_cells ff2]"))
    path = [p for p in r.paths if p.kind == "max_delay"][0]
    assert path.slack_ns == pytest.approx(0.3 - (0.31 + 0.075 + 0.0346), abs=1e-12)
    assert r.wns_ns == pytest.approx(path.slack_ns)


def test_output_delay_and_unknown_latency(library):
    g = TimingGraph.from_connections(library, {"ff": "DFF"},
                                     {"clk": ["clk", "ff/CLK"], "q": ["ff/Q", "y"]},
                                     inputs=["clk"], outputs=["y"])
    r = run_sta(g, parse_sdc(CLOCK + "set_output_delay 1.0 -clock clk [get_ports y]"))
    assert r.wns_ns == pytest.approx(2.0 - 1.0 - 0.3)
    assert r.hold_ws_ns == pytest.approx(0.3 + 1.0)
    with pytest.raises(ValueError, match="clock_latency_ns names an unknown instance 'nope'"):
        run_sta(g, parse_sdc(CLOCK), clock_latency_ns={"nope": 1.0})
    with pytest.raises(ValueError, match="n_paths must be a non-negative integer, not -1"):
        run_sta(g, parse_sdc(CLOCK), n_paths=-1)


def test_tap130_chain_matches_hand_nldm_to_1ps():
    lib = default_library()
    g = TimingGraph.from_connections(
        lib, {"ff1": "DFF_1", "u0": "NAND2_1", "u1": "INV_2", "ff2": "DFF_1"},
        {"clk": ["clk", "ff1/CLK", "ff2/CLK"], "q": ["ff1/Q", "u0/A", "u0/B"],
         "n": ["u0/Y", "u1/A"], "d": ["u1/Y", "ff2/D"]}, inputs=["clk"])
    r = run_sta(g, parse_sdc("create_clock -name clk -period 5 [get_ports clk]\n"
                             "set_clock_transition 0.05 [get_clocks clk]"))
    dff, nand, inv = lib["DFF_1"], lib["NAND2_1"], lib["INV_2"]
    q_load = nand.pins["A"].capacitance + nand.pins["B"].capacitance
    y_load, d_load = inv.pins["A"].capacitance, dff.pins["D"].capacitance
    slacks = []
    for q_edge, y_edge in (("rise", "fall"), ("fall", "rise")):
        clk_q = dff.arc("CLK", "Q").tables
        t_q = clk_q[f"cell_{q_edge}"](0.05, q_load)
        s_q = clk_q[f"{q_edge}_transition"](0.05, q_load)
        nand_arcs = [nand.arc(pin, "Y").tables for pin in "AB"]
        t_y = max(t_q + a[f"cell_{y_edge}"](s_q, y_load) for a in nand_arcs)
        s_y = max(a[f"{y_edge}_transition"](s_q, y_load) for a in nand_arcs)
        inv_arc = inv.arc("A", "Y").tables
        t_d = t_y + inv_arc[f"cell_{q_edge}"](s_y, d_load)
        s_d = inv_arc[f"{q_edge}_transition"](s_y, d_load)
        setup = [c for c in dff.checks if c.timing_type == "setup_rising"][0]
        slacks.append(5.0 - setup.tables[f"{q_edge}_constraint"](s_d, 0.05) - t_d)
    assert r.wns_ns == pytest.approx(min(slacks), abs=1e-3)
    assert r.wns_ns == pytest.approx(min(slacks), abs=1e-9)


def test_propagated_clock_arrives_through_the_clock_buffers(library):
    g = TimingGraph.from_connections(
        library, {"ff1": "DFF", "ff2": "DFF", "ca": "INV", "cb": "INV", "u0": "INV"},
        {"clk": ["clk", "ff1/CLK", "ca/A"], "c1": ["ca/Y", "cb/A"], "c2": ["cb/Y", "ff2/CLK"],
         "q1": ["ff1/Q", "u0/A"], "d2": ["u0/Y", "ff2/D"]}, inputs=["clk"])
    r = run_sta(g, parse_sdc(CLOCK + "set_propagated_clock [get_clocks clk]"))
    # clk rise -> ca/Y fall: 0.01 + 1.5 * 0.01 = 0.025, slew 0.01 + 2 * 0.01 = 0.03;
    # -> cb/Y rise into ff2/CLK (0.002 pF): 0.02 + 0.5 * 0.03 + 2 * 0.002 = 0.039
    assert r.clock_arrival_ns["ff2/CLK"] == pytest.approx(0.064, abs=1e-12)
    assert r.clock_arrival_ns["ff1/CLK"] == 0.0
    assert r.clock_skew_ns == pytest.approx(0.064) and r.clock_latency_ns == pytest.approx(0.064)
    ideal = run_sta(g, parse_sdc(CLOCK))
    setup = [p for p in r.paths if p.kind == "setup" and p.endpoint == "ff2/D"][0]
    assert setup.capture_ns == pytest.approx(2.0 + 0.064)
    assert r.setup_slack_ns[r.endpoints.index("ff2/D")] > ideal.setup_slack_ns[ideal.endpoints.index("ff2/D")]
    assert r.hold_slack_ns[r.endpoints.index("ff2/D")] < ideal.hold_slack_ns[ideal.endpoints.index("ff2/D")]

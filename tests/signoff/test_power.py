import numpy as np
import pytest

from tapeout.signoff.graph import TimingGraph
from tapeout.signoff.power import compute_power, net_activity
from tapeout.signoff.vcd import parse_vcd


def design(library):
    return TimingGraph.from_connections(
        library, {"core.u1": "INV", "core.ff": "DFF"},
        {"a": ["a", "core.u1/A"], "n": ["core.u1/Y", "core.ff/D"], "clk": ["clk", "core.ff/CLK"],
         "q": ["core.ff/Q", "q"]}, inputs=["a", "clk"], outputs=["q"])


def test_power_by_hand(library):
    g = design(library)
    act = net_activity(g, default=0.1, clock_nets=["clk"])
    wire = np.array([0.0, 0.01, 0.0, 0.0])
    r = compute_power(g, act, frequency_mhz=100.0, vdd_v=1.0, wire_cap_pf=wire)
    caps = {"a": 0.01, "n": 0.002 + 0.01, "clk": 0.002, "q": 0.0}
    switching_uw = sum(0.5 * (2.0 if n == "clk" else 0.1) * c * 100.0 for n, c in caps.items())
    assert r.switching_mw == pytest.approx(switching_uw * 1e-3)
    # INV internal: tables 0.001 + 0.01 s + 0.01 load... at slew 0.05, load 0.012
    inv_e = 0.001 + 0.002 * 0.05 / 0.2 + 0.001 * 0.012 / 0.1
    internal_uw = 0.1 * inv_e * 100.0 + 2.0 * 0.002 * 100.0
    assert r.internal_mw == pytest.approx(internal_uw * 1e-3)
    assert r.leakage_mw == pytest.approx((1.0 + 10.0) * 1e-6)
    assert r.total_mw == pytest.approx(sum(r.blocks.values()))
    assert set(r.blocks) == {"core", "(top)"}


def test_activity_from_vcd(library):
    g = design(library)
    t = parse_vcd("$scope module tb $end $var wire 1 ! a $end $var wire 1 # clk $end $upscope $end "
                  "$enddefinitions $end #0 0! 0# #1 1! 1# #2 0# #3 0! 1# #4 0#")
    act = net_activity(g, t, cycles=2, default=0.0)
    assert act[g.net_names.index("a")] == 1.0 and act[g.net_names.index("clk")] == 2.0
    with pytest.raises(ValueError, match="cycles must be a positive number with toggles, not None"):
        net_activity(g, t)
    with pytest.raises(ValueError, match="frequency_mhz must be a positive number, not 0"):
        compute_power(g, act, 0, 1.0)

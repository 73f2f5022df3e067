import numpy as np
import pytest

from tapeout.signoff.constraints import parse_sdc
from tapeout.signoff.drc import check_drc, plot_drc, write_drc_report
from tapeout.signoff.graph import TimingGraph
from tapeout.signoff.sta import run_sta


def test_injected_fanout_and_cap_violations(tmp_path, library):
    sinks = [f"s{i}" for i in range(12)]
    g = TimingGraph.from_connections(library, {"d": "INV"} | {s: "INV" for s in sinks},
                                     {"a": ["a", "d/A"], "n": ["d/Y"] + [f"{s}/A" for s in sinks]},
                                     inputs=["a"])
    r = run_sta(g, parse_sdc("create_clock -name clk -period 1\n"
                             "set_input_delay 0 -clock clk [get_ports a]"))
    x = np.arange(g.n_pins, dtype=float)
    found = check_drc(g, x, x, max_fanout=10, pin_slew_ns=r.pin_slew_ns, pin_load_pf=r.pin_load_pf)
    assert [(v.kind, v.name, v.value, v.limit) for v in found] == [
        ("max_fanout", "n", 12, 10), ("max_capacitance", "d/Y", pytest.approx(0.12), 0.1)]
    assert found[0].x_um == g.pin("d", "Y")
    write_drc_report(found, tmp_path / "drc.rpt")
    assert (tmp_path / "drc.rpt").read_text().splitlines()[-1] == "total: 2"
    plot_drc(found, tmp_path / "drc.png", cell_boxes=[(0, 0, 1, 1)])
    assert (tmp_path / "drc.png").read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(ValueError, match="max_fanout must be a positive integer, not 0"):
        check_drc(g, x, x, max_fanout=0)

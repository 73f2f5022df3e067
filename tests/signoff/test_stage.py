"""The signoff flow stage on the counter: timing, DRC, LVS, power, the exchange files, and failures."""

import json
import re

import pytest

from tapeout.flow.cli import main
from tapeout.signoff.constraints import read_sdc


def load(project, name):
    return json.loads((project / "build" / "counter" / "signoff" / name).read_text())


def test_counter_signs_off(project, capsys):
    assert main(["run", "signoff", "-d", "counter"]) == 0
    m = load(project, "metrics.json")
    assert m["timing__setup_ws__ns"] > 0 and m["timing__hold_ws__ns"] >= 0
    assert m["timing__fmax__mhz"] > 1e3 / 5.0  # meets its 5 ns clock
    assert m["drc__violations__count"] == 0 and m["lvs__mismatches__count"] == 0
    assert m["power__total__mw"] > 0
    folder = project / "build" / "counter" / "signoff"
    sdc = read_sdc(folder / "counter.sdc")
    assert sdc.clocks[0].period_ns == 5.0 and sdc.clocks[0].port == "clk"
    assert (folder / "counter.spef").read_text().startswith('*SPEF "IEEE 1481-2009"')
    report = (folder / "timing.rpt").read_text()
    assert "counter.sdc" in report and "counter.spef" in report and "slack (MET)" in report
    assert (folder / "slack_histogram.png").stat().st_size > 5000


def test_a_clock_too_fast_fails_signoff_unless_allowed(project, capsys):
    toml = project / "designs" / "counter.toml"
    toml.write_text(toml.read_text().replace("clock_period_ns = 5.0", "clock_period_ns = 0.5"))
    assert main(["run", "signoff", "-d", "counter"]) == 1
    err = capsys.readouterr().err.splitlines()[0]
    assert err.startswith("error: stage signoff failed: signoff violations: setup WNS -")
    assert "--allow-violations" in err
    assert main(["run", "signoff", "-d", "counter", "--allow-violations"]) == 0
    assert load(project, "metrics.json")["timing__setup_ws__ns"] < 0


def test_own_sdc_file(project, capsys):
    (project / "designs" / "src" / "counter.sdc").write_text(
        "create_clock -name clk -period 8 [get_ports clk]\n")
    toml = project / "designs" / "counter.toml"
    toml.write_text(toml.read_text() + '\n[signoff]\nsdc = "src/counter.sdc"\n')
    assert main(["run", "signoff", "-d", "counter"]) == 0
    assert read_sdc(project / "build" / "counter" / "signoff" / "counter.sdc").clocks[0].period_ns == 8.0


def test_bad_sdc_is_one_line(project, capsys):
    (project / "designs" / "src" / "counter.sdc").write_text("create_clock -period [get_ports clk]\n")
    toml = project / "designs" / "counter.toml"
    toml.write_text(toml.read_text() + '\n[signoff]\nsdc = "src/counter.sdc"\n')
    assert main(["run", "signoff", "-d", "counter"]) == 1
    err = capsys.readouterr().err.splitlines()[0]
    assert err.startswith("error: stage signoff failed: ") and "counter.sdc:1:" in err


def test_views_for_outside_tools(project, capfd):
    assert main(["run", "signoff", "-d", "counter"]) == 0
    folder = project / "build" / "counter" / "signoff"
    for name in ("counter.v", "counter.def", "counter.sdc", "counter.spef", "tap130.lib", "tap130.lef",
                 "macros.lib", "macros.lef", "opensta.tcl"):
        assert (folder / name).stat().st_size > 0, name
    verilog = (folder / "counter.v").read_text()
    assert "CLKBUF_4 cts_buf_0_1_0" in verilog  # the clock tree is in the final netlist
    assert "set_propagated_clock [get_clocks clk]" in (folder / "counter.sdc").read_text()
    pins = re.findall(r"^- (\S+) \+ NET (\S+) \+ DIRECTION (\w+)", (folder / "counter.def").read_text(), re.M)
    assert len(pins) == 13 and all(pin == net for pin, net, _ in pins)  # port nets are named as the ports
    assert {pin for pin, _, d in pins if d == "INPUT"} == {"clk", "rst", "en", "clear"}
    script = (folder / "opensta.tcl").read_text()
    assert "read_spef $here/counter.spef" in script and "link_design counter" in script
    db = pytest.importorskip("klayout.db")
    capfd.readouterr()
    options = db.LoadLayoutOptions()
    options.lefdef_config.lef_files = ["tap130.lef", "macros.lef"]  # relative to the DEF's folder
    options.lefdef_config.read_lef_with_def = False
    layout = db.Layout()
    layout.read(str(folder / "counter.def"), options)
    assert "Warning" not in capfd.readouterr().err
    top = layout.top_cell()
    names = {layout.cell(i.cell_index).name for i in top.each_inst()}
    assert "CLKBUF_4" in names and top.bbox().width() > 0
    x0, y0, x1, y1 = json.loads((project / "build" / "counter" / "cts" / "floorplan.json").read_text())["die"]
    die = pytest.importorskip("klayout.db").DBox(x0, y0, x1, y1)
    pins = [s.dbbox() for layer in layout.layer_indexes() if layout.get_info(layer).name.endswith(".PIN")
            for s in top.shapes(layer).each()]
    assert len(pins) >= 10  # the I/O pins
    assert all(die.contains(b.p1) and die.contains(b.p2) for b in pins)  # inside the die


def test_own_spef_is_read_and_a_mismatch_is_one_line(project, capsys):
    assert main(["run", "signoff", "-d", "counter"]) == 0
    first = load(project, "metrics.json")["timing__setup_ws__ns"]
    spef = (project / "build" / "counter" / "signoff" / "counter.spef").read_text()
    (project / "designs" / "src" / "counter.spef").write_text(spef)
    toml = project / "designs" / "counter.toml"
    toml.write_text(toml.read_text() + '\n[signoff]\nspef = "src/counter.spef"\n')
    assert main(["run", "signoff", "-d", "counter"]) == 0
    assert load(project, "metrics.json")["timing__setup_ws__ns"] == pytest.approx(first, abs=1e-5)
    (project / "designs" / "src" / "counter.spef").write_text(spef.replace("*PORTS\n", "*PORTS\nnot_a_port I\n"))
    assert main(["run", "signoff", "-d", "counter"]) == 1
    err = capsys.readouterr().err.splitlines()[0]
    assert err.startswith("error: stage signoff failed: ") and err.endswith(
        "counter.spef:" + str(spef.splitlines().index("*PORTS") + 2) + ": port not_a_port is not a port of the netlist")

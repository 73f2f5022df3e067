"""The signoff flow stage on the counter: timing, DRC, LVS, power, the exchange files, and failures."""

import json

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

"""The synth flow stage on the user's own Verilog: mapped netlist, area equal to Yosys' stat, failures."""

import json

from tapeout.flow.cli import main
from tapeout.netlist.from_synth import load_synthesized


def test_counter_synthesises_to_library_cells(project, capsys):
    assert main(["run", "synth", "-d", "counter"]) == 0
    folder = project / "build" / "counter" / "synth"
    metrics = json.loads((folder / "metrics.json").read_text())
    assert metrics["synth__flops__count"] == 8
    netlist = load_synthesized(folder, "counter")
    assert netlist.num_cells == metrics["synth__cells__count"]
    assert abs(netlist.area_um2 - metrics["synth__area__um2"]) < 1e-6
    assert "Chip area for module" in (folder / "area.rpt").read_text()


def test_latch_fails_the_stage(project, capsys):
    (project / "designs" / "src" / "latch.v").write_text(
        "module latch(input en, input d, output reg q);\n always @* if (en) q = d;\nendmodule\n")
    (project / "designs" / "latch.toml").write_text(
        '[design]\nname = "latch"\ntop = "latch"\nclock_period_ns = 5\nverilog = ["src/latch.v"]\n')
    assert main(["run", "synth", "-d", "latch"]) == 1
    err = capsys.readouterr().err.splitlines()[0]
    assert err.startswith("error: stage synth failed: ")
    assert "latch inferred for q in module `latch`" in err

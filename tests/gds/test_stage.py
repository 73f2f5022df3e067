"""The gds stage on the small counter design (tap130: cells as their LEF abstracts, the power grid and the
detailed router's wires and vias)."""

import json

import pytest

from tapeout.flow.cli import main

db = pytest.importorskip("klayout.db")


def test_counter_streams_out(project, capsys):
    assert main(["run", "gds", "-d", "counter"]) == 0
    folder = project / "build" / "counter" / "gds"
    summary = json.loads((folder / "gds.json").read_text())
    synth = json.loads((project / "build" / "counter" / "synth" / "metrics.json").read_text())
    cts = json.loads((project / "build" / "counter" / "cts" / "metrics.json").read_text())
    finish = json.loads((project / "build" / "counter" / "finish" / "metrics.json").read_text())
    droute = json.loads((project / "build" / "counter" / "droute" / "metrics.json").read_text())
    # KLayout places each DEF via as an instance of a via cell: power-grid stacks and the router's vias
    assert summary["instances"] == (synth["synth__cells__count"] + cts["cts__buffers__count"]
                                    + finish["finish__pg_vias__count"] + droute["droute__vias__count"])
    assert finish["finish__pg_vias__count"] > 0 and droute["droute__vias__count"] > 0
    assert {"67/16", "68/16", "235/4"} <= set(summary["layers"])  # li1 and met1 pins, cell outlines
    assert {"68/20", "68/44", "69/20", "71/20", "72/20"} <= set(summary["layers"])  # wires, vias, straps
    layout = db.Layout()
    layout.read(str(folder / "counter.gds"))
    assert layout.top_cell().name == "counter"
    assert sum(1 for _ in layout.top_cell().each_inst()) == summary["instances"]
    assert (folder / "layout.png").stat().st_size > 5000
    assert finish["finish__fill_cells__count"] == 0 and "finish__empty_sites__count" not in finish  # no fillers

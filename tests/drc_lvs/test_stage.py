"""The drc_lvs stage on the small counter (tap130: its metal stack's rules on the power grid)."""

import json

import pytest

from tapeout.flow.cli import main

pytest.importorskip("klayout.db")


def test_counter_layout_is_checked(project):
    assert main(["run", "drc_lvs", "-d", "counter"]) == 0
    folder = project / "build" / "counter" / "drc_lvs"
    metrics = json.loads((folder / "metrics.json").read_text())
    summary = json.loads((folder / "drc.json").read_text())
    assert metrics["drc__layout_violations__count"] == 0
    assert metrics["drc__layout_rules__count"] == len(summary["rules"]) > 10
    assert {"met1.width", "met1.space", "via4.size", "via4.enclosure.met5"} <= {r["rule"] for r in summary["rules"]}
    assert summary["shapes"]["68/20"] > 0 and summary["shapes"]["70/20"] > 0  # cell pins, I/O pins on met3
    assert "met1.space space met1" in (folder / "drc.rpt").read_text()
    assert (folder / "drc.lyrdb").stat().st_size > 1000 and (folder / "drc.png").stat().st_size > 5000
    lvs = json.loads((folder / "lvs.json").read_text())
    assert lvs["status"] == "no signal wiring in the layout (global routing only)"  # global routing only
    assert lvs["missing"] == [] and lvs["shorts"] == [] and lvs["nets"] > 20
    assert "lvs__layout_mismatches__count" not in metrics and metrics["lvs__layout_status"] == lvs["status"]
    assert "LVS: no signal wiring" in (folder / "lvs.rpt").read_text()

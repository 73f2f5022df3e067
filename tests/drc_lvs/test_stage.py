"""The drc_lvs stage on the small counter on tap130: detail-routed on tap130's own metal stack (its
DEFAULT vias, its power grid as obstacles), its stack rules clean on the GDS, LVS a match, and signoff
timing the parasitics extracted from the routes."""

import json

import pytest

from tapeout.flow.cli import main

pytest.importorskip("klayout.db")


def test_the_counter_on_tap130_routes_clean_and_matches_its_netlist(project):
    assert main(["run", "drc_lvs", "signoff", "-d", "counter"]) == 0
    build = project / "build" / "counter"
    droute = json.loads((build / "droute" / "metrics.json").read_text())
    assert droute["droute__shorts__count"] == 0 and droute["droute__opens__count"] == 0
    assert droute["droute__nets__count"] > 30 and droute["droute__vias__count"] > droute["droute__nets__count"]
    routed = (build / "finish" / "counter.def").read_text()
    assert " MET1_MET2" in routed.split("\nNETS ")[1] and " LI1_MET1" in routed  # tap130's DEFAULT vias
    assert "- VDD ( * VDD ) + USE POWER" in routed and "FOLLOWPIN" in routed  # its power grid
    folder = build / "drc_lvs"
    metrics = json.loads((folder / "metrics.json").read_text())
    summary = json.loads((folder / "drc.json").read_text())
    assert metrics["drc__layout_violations__count"] == 0
    assert metrics["drc__layout_rules__count"] == len(summary["rules"]) == 38
    rules = {r["rule"]: r["value"] for r in summary["rules"]}
    assert rules["via.enclosure.met1"] == 0.055 and rules["met3.area"] == 0.24  # stated by tap130's LEF
    assert summary["shapes"]["69/20"] > 0 and summary["shapes"]["68/44"] > 0  # routed met2 and vias
    assert "met1.space space met1" in (folder / "drc.rpt").read_text()
    assert (folder / "drc.lyrdb").stat().st_size > 1000 and (folder / "drc.png").stat().st_size > 5000
    lvs = json.loads((folder / "lvs.json").read_text())
    assert lvs["status"] == "match" and metrics["lvs__layout_mismatches__count"] == 0
    assert lvs["missing"] == [] and lvs["shorts"] == [] and lvs["opens"] == {} and lvs["joined"] == lvs["nets"] > 30
    assert "LVS: match" in (folder / "lvs.rpt").read_text()
    signoff = json.loads((build / "signoff" / "metrics.json").read_text())
    assert "extract__setup_ws_shift__ns" in signoff and signoff["extract__wire_cap__pf"] > 0
    first = (build / "signoff" / "timing.rpt").read_text().splitlines()[0]
    assert first.startswith("# parasitics extracted from the detailed routes: setup WNS")

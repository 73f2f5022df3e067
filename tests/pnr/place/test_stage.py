"""The place and route flow stages on the small counter design, end to end through the CLI."""

import json

import pytest

from tapeout.flow.cli import main
from tapeout.pnr.formats.def_reader import read_def


def metrics(project, stage):
    return json.loads((project / "build" / "counter" / stage / "metrics.json").read_text())


def test_place_and_route_the_counter(project, capsys):
    assert main(["run", "cts", "route", "-d", "counter"]) == 0
    place = project / "build" / "counter" / "place"
    m = metrics(project, "place")
    assert m["place__overlaps__count"] == 0 and m["place__legality_violations__count"] == 0
    assert 0.3 < m["place__utilization__ratio"] <= 0.6
    assert m["place__tap_cells__count"] == 0  # tap130's cells tie their own wells
    assert "well taps: none (tap130 has no tap cell" in (place / "log.txt").read_text()
    c = metrics(project, "cts")
    assert c["cts__skew__ns"] >= 0 and c["cts__latency__ns"] > 0
    assert metrics(project, "resize")["resize__overlaps__count"] == 0
    layout = read_def(place / "counter.def")
    assert len(layout.components) == metrics(project, "synth")["synth__cells__count"]
    assert {p.name for p in layout.pins} >= {"clk", "en", "count[7]"}
    assert (place / "placement.png").stat().st_size > 10000
    assert (place / "placement.svg").read_text().lstrip().startswith("<?xml")
    r = metrics(project, "route")
    assert r["route__overflow__count"] == 0 and r["route__wirelength__um"] > 0
    route = project / "build" / "counter" / "route"
    assert "met" in (route / "counter.guide").read_text()
    assert (route / "congestion.png").exists()


def test_same_seed_same_def_other_seed_other_def(project, capsys):
    assert main(["run", "place", "-d", "counter"]) == 0
    def_path = project / "build" / "counter" / "place" / "counter.def"
    first = def_path.read_bytes()
    assert main(["run", "place", "-d", "counter", "--force"]) == 0
    assert def_path.read_bytes() == first
    toml = project / "designs" / "counter.toml"
    toml.write_text(toml.read_text() + "\n[place]\nseed = 7\n")
    assert main(["run", "place", "-d", "counter"]) == 0
    assert def_path.read_bytes() != first


def test_def_opens_in_klayout(project, capsys):
    db = pytest.importorskip("klayout.db")
    from tapeout.tech.generate import LEF_PATH

    assert main(["run", "place", "-d", "counter"]) == 0
    options = db.LoadLayoutOptions()
    options.lefdef_config.lef_files = [str(LEF_PATH)]
    options.lefdef_config.read_lef_with_def = False
    layout = db.Layout()
    layout.read(str(project / "build" / "counter" / "place" / "counter.def"), options)
    top = layout.top_cell()
    assert top.name == "counter"
    assert sum(1 for _ in top.each_inst()) == metrics(project, "synth")["synth__cells__count"]


def test_impossible_floorplan_fails_the_stage(project, capsys):
    toml = project / "designs" / "counter.toml"
    toml.write_text(toml.read_text() + "\n[technology]\ntarget_utilization = 1.2\n")
    assert main(["run", "place", "-d", "counter"]) == 1
    err = capsys.readouterr().err
    assert "error: stage place failed: impossible floorplan: target_utilization 1.2 is over 1" in err


def test_bookshelf_command(tmp_path, capsys):
    from pathlib import Path

    aux = Path(__file__).parent.parent / "formats" / "data" / "tiny" / "tiny.aux"
    out = tmp_path / "tiny.pl"
    assert main(["place", "--bookshelf", str(aux), "-o", str(out), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["violations"] == 0 and result["hpwl"] <= result["hpwl_initial"]
    assert out.read_text().startswith("UCLA pl 1.0")
    assert main(["place", "--bookshelf", str(tmp_path / "nope.aux")]) == 2
    assert "no such Bookshelf .aux file" in capsys.readouterr().err

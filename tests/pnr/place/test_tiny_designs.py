"""Tiny designs (no cell, one cell, two cells) through floorplan, place and route without a crash
(issue 21 item 5)."""

import json

import pytest

from tapeout.flow.cli import main

DESIGNS = {
    "feed_through": ("module feed_through(input a, output y);\n  assign y = a;\nendmodule\n", 0),
    "one_flop": ("module one_flop(input clk, input d, output reg q);\n"
                 "  always @(posedge clk) q <= d;\nendmodule\n", 1),
    "flop_and_inverter": ("module flop_and_inverter(input clk, input d, output reg q);\n"
                          "  always @(posedge clk) q <= ~d;\nendmodule\n", 2),
}


@pytest.mark.parametrize("top", sorted(DESIGNS))
def test_tiny_design_places_and_routes(project, capsys, top):
    verilog, cells = DESIGNS[top]
    (project / "designs" / f"{top}.v").write_text(verilog)
    (project / "designs" / f"{top}.toml").write_text(
        f'[design]\nname = "{top}"\ntop = "{top}"\nclock_period_ns = 10.0\nverilog = ["{top}.v"]\n')
    assert main(["run", "route", "-d", f"designs/{top}.toml"]) == 0
    build = project / "build" / top

    def metrics(stage):
        return json.loads((build / stage / "metrics.json").read_text())

    assert metrics("synth")["synth__cells__count"] == cells
    place = metrics("place")
    assert place["place__cells__count"] == cells
    assert place["place__overlaps__count"] == 0 and place["place__legality_violations__count"] == 0
    assert metrics("route")["route__overflow__count"] == 0

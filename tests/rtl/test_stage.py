"""The rtl flow stage: the generated tile, the user's own Verilog, and broken Verilog."""

import json

from tapeout.flow.cli import main

SMALL_TILE = """
[design]
name = "small"
clock_period_ns = 10.0

[tensor_core]
rows = 2
cols = 2

[tile_buffer]
depth = 16
width = 32

[crossbar]
ports = 2
"""


def test_generated_tile_is_exported_with_its_inventory(project, capsys):
    (project / "designs" / "small.toml").write_text(SMALL_TILE)
    assert main(["run", "rtl", "-d", "small"]) == 0
    folder = project / "build" / "small" / "rtl"
    assert "module tensor_tile" in (folder / "tensor_tile.v").read_text()
    assert (folder / "tensor_tile.il").read_text().startswith("attribute")
    metrics = json.loads((folder / "metrics.json").read_text())
    inventory = json.loads((folder / "inventory.json").read_text())
    assert metrics["rtl__flops__count"] == inventory["total"]["flops"] > 0
    # two banks of 16 words x 32 bits
    assert metrics["rtl__memory__bits"] == 2 * 16 * 32
    assert metrics["rtl__memory__bits__block:tensor_tile.buffer"] == 2 * 16 * 32


def test_own_verilog_counter(project, capsys):
    assert main(["run", "rtl", "-d", "counter"]) == 0
    folder = project / "build" / "counter" / "rtl"
    assert "module counter" in (folder / "counter.v").read_text()
    assert json.loads((folder / "metrics.json").read_text())["rtl__flops__count"] == 8


def test_editing_the_verilog_reruns_the_stage(project, capsys):
    assert main(["run", "rtl", "-d", "counter"]) == 0
    assert main(["run", "rtl", "-d", "counter"]) == 0
    assert "nothing to do" in capsys.readouterr().out
    source = project / "designs" / "src" / "counter.v"
    source.write_text(source.read_text().replace("8'd1", "8'd2"))
    assert main(["run", "rtl", "-d", "counter"]) == 0
    assert "1 stage ran" in capsys.readouterr().out


def test_broken_verilog_fails_with_one_line(project, capsys):
    source = project / "designs" / "src" / "counter.v"
    source.write_text(source.read_text().replace("endmodule", ""))
    assert main(["run", "rtl", "-d", "counter"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("error: stage rtl failed: ")
    assert "counter.v:" in err[0] and "syntax error" in err[0]
    assert err[1] == "  log: build/counter/rtl.failed/log.txt"
    assert not (project / "build" / "counter" / "rtl").exists()


def test_missing_top_fails(project, capsys):
    toml = project / "designs" / "counter.toml"
    toml.write_text(toml.read_text().replace('top = "counter"', 'top = "nosuch"'))
    assert main(["run", "rtl", "-d", "counter"]) == 1
    assert "nosuch" in capsys.readouterr().err.splitlines()[0]

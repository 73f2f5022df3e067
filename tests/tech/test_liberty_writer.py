"""The shipped Liberty works with Yosys dfflibmap / abc / stat (through pyosys)."""

import json

import pytest

from tapeout.tech import generate
from tapeout.tech.liberty_writer import num
from tapeout.tech.library import default_library

ys = pytest.importorskip("pyosys.libyosys")

COUNTER_AND_ADDER = """
module top(input clk, input rst, input en, input [3:0] a, input [3:0] b,
           output reg [3:0] count, output [4:0] sum, output reg [3:0] r);
  always @(posedge clk or posedge rst)
    if (rst) count <= 4'd0; else if (en) count <= count + 4'd1;
  always @(posedge clk) r <= a ^ b;
  assign sum = a + b + r;
endmodule
"""


@pytest.fixture(scope="module")
def synthesised(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("yosys")
    (tmp / "top.v").write_text(COUNTER_AND_ADDER)
    lib = generate.LIBERTY_PATH
    log = tmp / "log.txt"
    design = ys.Design()
    for command in (f"read_verilog {tmp / 'top.v'}", "synth -top top",
                    f"dfflibmap -liberty {lib}", f"abc -liberty {lib}", "opt_clean",
                    f"stat -liberty {lib}", f"write_json {tmp / 'net.json'}"):
        ys.run_pass(f"tee -q -a {log} {command}", design)
    netlist = json.loads((tmp / "net.json").read_text())
    return log.read_text(), netlist["modules"]["top"]["cells"]


def test_every_cell_mapped_to_the_library(synthesised):
    _, cells = synthesised
    lib = default_library()
    types = [c["type"] for c in cells.values()]
    assert types, "nothing was synthesised"
    assert not [t for t in types if t.startswith("$")]
    assert all(t in lib for t in types)
    assert types.count("DFFR_1") == 4 and types.count("DFF_1") == 4


def test_log_has_no_missing_library(synthesised):
    log, _ = synthesised
    assert "library is not available" not in log
    assert "Chip area for module '\\top'" in log


def test_number_format():
    assert num(0.1) == "0.1"
    assert num(-0.0) == "0"
    assert num(1.23456789) == "1.23457"

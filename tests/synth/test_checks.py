"""Design checks: each rule triggered by a small bad design, with its one-line message."""

import pytest

from tapeout.synth import SynthError, synthesize
from tapeout.synth.checks import first_check_problem, location
from tapeout.synth.yosys_process import run_yosys_steps
from tapeout.tech.generate import LIBERTY_PATH

from .conftest import DATA, MINI_LIB

LOOP_REPORT = """
8. Executing CHECK pass (checking for obvious problems).
Checking module comb_loop...
Warning: found logic loop in module comb_loop:
    cell $auto$simplemap.cc:106:simplemap_bitop$146 ($_AND_) source: rtl/comb_loop.v:4.16-4.21
      B[0] --> Y[0]
    wire \\y source: rtl/comb_loop.v:2.35-2.36
Found and reported 1 problems.
"""


def _fail(design, tmp_path, liberty=LIBERTY_PATH, top=None):
    with pytest.raises(SynthError) as info:
        synthesize([DATA / f"{design}.v"], top or design, liberty, 5.0, tmp_path)
    return str(info.value)


def test_location_takes_first_file_and_line():
    assert location("a/b.v:12.3-14.1|c.v:1.1-1.2") == "a/b.v:12"
    assert location("") == ""


def test_check_report_loop_becomes_one_line():
    assert first_check_problem(LOOP_REPORT) == \
        "rtl/comb_loop.v:4: combinational loop in module `comb_loop` through y"


def test_check_report_loops_ignored_on_request():
    assert first_check_problem(LOOP_REPORT, ignore_loops=True) is None


def test_clean_check_report_has_no_problem():
    assert first_check_problem("Checking module x...\nFound and reported 0 problems.\n") is None


def test_unknown_warning_keeps_its_details():
    report = "Warning: something odd in m:\n    detail one\n    detail two\nFound and reported 1 problems.\n"
    assert first_check_problem(report) == "something odd in m (detail one; detail two)"


def test_latch_fails(tmp_path):
    assert _fail("latch", tmp_path) == (
        f"{DATA}/latch.v:3: latch inferred for q in module `latch`; the ASIC flow accepts flip-flops only")


def test_combinational_loop_fails(tmp_path):
    assert _fail("comb_loop", tmp_path) == \
        f"{DATA}/comb_loop.v:4: combinational loop in module `comb_loop` through y"


def test_multiply_driven_net_fails(tmp_path):
    assert _fail("multi_driven", tmp_path) == \
        "net `b` in module `multi_driven` has multiple drivers: module input b[0], module input a[0]"


def test_undriven_net_fails(tmp_path):
    assert _fail("undriven", tmp_path) == "net `y` in module `undriven` is used but has no driver"


def test_missing_top_fails(tmp_path):
    assert _fail("adder", tmp_path, top="nosuch") == "top module `nosuch` not found; modules read: adder"


def test_flop_the_library_lacks_fails(tmp_path):
    design = tmp_path / "async_reset.v"
    design.write_text("module async_reset(input clk, input rst_n, input d, output reg q);\n"
                      "  always @(posedge clk or negedge rst_n) if (!rst_n) q <= 0; else q <= d;\n"
                      "endmodule\n")
    with pytest.raises(SynthError) as info:
        synthesize([design], "async_reset", MINI_LIB, 5.0, tmp_path / "out")
    message = str(info.value)
    assert message.startswith("FF async_reset.") and "\n" not in message
    assert message.endswith("(type $_DFF_PN0_) cannot be legalized: "
                            "dffs with async set or reset are not supported")


def test_unmapped_internal_cells_fail(tmp_path):
    steps = [f"read_verilog {DATA / 'adder.v'}", "synth -top adder -run begin:fine",
             {"action": "check_mapped", "args": {}}]
    with pytest.raises(SynthError) as info:
        run_yosys_steps(steps, tmp_path / "script.json", tmp_path / "log.txt")
    assert str(info.value) == ("cells not mapped to the library: 1 x $alu (module `adder`); "
                               "the library has no cell for them")


def test_display_statements_are_dropped(tmp_path):
    design = tmp_path / "shout.v"
    design.write_text("module shout(input clk, input d, output reg q);\n"
                      "  always @(posedge clk) begin q <= d; $display(\"d=%d\", d); end\n"
                      "endmodule\n")
    result = synthesize([design], "shout", MINI_LIB, 5.0, tmp_path / "out")
    assert result.area.cells_by_type == {"DFF": 1}

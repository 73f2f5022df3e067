"""Verilog cell models written from the tap130 cell functions (tapeout/tech/cell_models.py).

Their logic is checked end to end by tests/verify/test_equivalence.py (a netlist read with these
models is proven equivalent to its RTL, and a swapped gate is not); here, their shape."""

import re

from tapeout.tech.cell_models import cell_module, models_text, verilog_expression
from tapeout.tech.cells import build_cells


def test_liberty_functions_become_verilog_expressions():
    assert verilog_expression("!(A&B)") == "~(A&B)"
    assert verilog_expression("(A0&!S)|(A1&S)") == "(A0&~S)|(A1&S)"
    assert verilog_expression("1") == "1'b1"
    assert verilog_expression("0") == "1'b0"


def test_every_logic_cell_has_one_module_with_its_pins():
    cells = build_cells()
    text = models_text("tap130", cells)
    modules = re.findall(r"^module (\w+) \(", text, re.M)
    assert modules == [c.name for c in cells if c.kind != "filler"]
    mux = cell_module(next(c for c in cells if c.name == "MUX2_1"))
    assert "input wire A0" in mux and "input wire S" in mux and "assign Y = (A0&~S)|(A1&S);" in mux
    fa = cell_module(next(c for c in cells if c.name == "FA_1"))
    assert "assign COUT = (A&B)|(A&CIN)|(B&CIN);" in fa and "assign SUM = A^B^CIN;" in fa


def test_flops_clock_on_the_rising_edge_and_clear_low():
    cells = {c.name: c for c in build_cells()}
    assert "always @(posedge CLK)\n    Q <= D;" in cell_module(cells["DFF_1"])
    dffr = cell_module(cells["DFFR_2"])
    assert "always @(posedge CLK or negedge RESET_B)" in dffr and "if (!RESET_B) Q <= 1'b0;" in dffr
    assert cell_module(cells["FILL_1"]) == ""

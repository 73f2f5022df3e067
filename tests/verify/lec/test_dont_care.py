"""Don't-care-aware LEC (tapeout/verify/lec/dont_care.py): an RTL ``x`` the netlist fills with 1 is proven
modulo don't-cares; a real difference where the RTL is defined stays unproven."""

from pathlib import Path

from .small_design import check_small

RTL = """module dc(input clk, input [1:0] s, input [2:0] v, output reg q, output o);
  reg r;                                    // no reset, no initial value
  always @(posedge clk) q <= v[s];          // s = 3 reads past v: x, a don't-care
  always @(posedge clk) r <= v[0];
  assign o = r;
endmodule
"""

NETLIST = """module dc(clk, s, v, q, o);
  input clk; input [1:0] s; input [2:0] v; output q, o;
  wire lo, hi, d, r;
  DFF_1 r_reg (.D(v[0]), .CLK(clk), .Q(r));
  {o_cell} o_buf (.A(r), .Y(o));
  MUX2_1 m0 (.A0(v[0]), .A1(v[1]), .S(s[0]), .Y(lo));
  {hi_cell} m1 (.A(v[2]), .B(s[0]), .Y(hi));
  MUX2_1 m2 (.A0(lo), .A1(hi), .S(s[1]), .Y(d));
  DFF_1 q_reg (.D(d), .CLK(clk), .Q(q));
endmodule
"""


def lec(tmp_path: Path, hi_cell: str, dont_care: bool = True, o_cell: str = "BUF_1"):
    """Check the netlist whose ``hi`` (the s[1] half) is ``hi_cell(v[2], s[0])`` and ``o`` is ``o_cell(r)``
    against the RTL."""
    return check_small(tmp_path, "dc", RTL, NETLIST.format(hi_cell=hi_cell, o_cell=o_cell), dont_care=dont_care)


def test_netlist_that_fills_an_rtl_x_with_1_is_proven_modulo_dont_cares(tmp_path):
    # OR2(v[2], s[0]): 1 where s = 3 (the RTL's x), v[2] where s = 2
    result = lec(tmp_path, "OR2_1")
    assert result.strict_proven is not None and result.strict_proven < result.points   # the strict check fails
    assert result.unproven_count == 0, result.unproven
    assert result.dont_care_proven >= 1


def test_without_dont_cares_the_same_netlist_is_unproven(tmp_path):
    result = lec(tmp_path, "OR2_1", dont_care=False)
    assert result.unproven_count >= 1 and result.dont_care_proven == 0
    assert "q" in result.unproven


def test_real_difference_in_a_defined_branch_is_still_caught(tmp_path):
    # NOR2(v[2], s[0]): ~v[2] where s = 2, where the RTL is defined
    result = lec(tmp_path, "NOR2_1")
    assert result.unproven_count >= 1
    assert "q" in result.unproven


def test_an_uninitialised_register_is_no_dont_care(tmp_path):
    # o = ~r where the RTL has o = r; r has no initial value, but as a cut point it is a free 0/1, never x
    result = lec(tmp_path, "OR2_1", o_cell="INV_1")
    assert result.dont_care_proven >= 1
    assert result.unproven == ["o"]

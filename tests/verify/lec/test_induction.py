"""Sequential LEC (``equiv_induct`` after the cut-point provers, tapeout/verify/equivalence.py): a register
whose next state differs from the RTL's only in a state the design never reaches is proven by induction
over two clocks, which the cut-point check (ABC, ``equiv_simple``) leaves; a reachable difference is caught."""

from pathlib import Path

from .small_design import check_small

RTL = """module seq(input clk, input a, input b, input c, output reg [1:0] s, output reg q);
  always @(posedge clk) s <= {a, ~a};       // after a clock s is 01 or 10, never 11
  always @(posedge clk) q <= s[1] ? b : c;
endmodule
"""

NETLIST = """module seq(clk, a, b, c, s, q);
  input clk, a, b, c; output [1:0] s; output q;
  wire na, ns0, sel, d;
  INV_1 i0 (.A(a), .Y(na));
  DFF_1 s1_reg (.D(a), .CLK(clk), .Q(s[1]));
  DFF_1 s0_reg (.D(na), .CLK(clk), .Q(s[0]));
  INV_1 i1 (.A(s[0]), .Y(ns0));
  AND2_1 g (.A(s[1]), .B({sel_input}), .Y(sel));
  MUX2_1 m (.A0(c), .A1(b), .S(sel), .Y(d));
  DFF_1 q_reg (.D(d), .CLK(clk), .Q(q));
endmodule
"""


def lec(tmp_path: Path, sel_input: str, fallback: bool = True):
    """Check the netlist whose mux select is ``s[1] & sel_input`` against the RTL (select ``s[1]``)."""
    return check_small(tmp_path, "seq", RTL, NETLIST.format(sel_input=sel_input), fallback=fallback)


def test_difference_only_in_an_unreachable_state_is_proven_by_induction(tmp_path):
    # s[1] & ~s[0] differs from s[1] only where s = 11, which no clock of the design produces
    result = lec(tmp_path, "ns0")
    assert result.unproven_count == 0, result.unproven
    assert result.induct_proven == 1                  # q: left by ABC and equiv_simple (s a free cut point)
    assert result.abc_proven == result.points - 1


def test_the_cut_point_check_alone_leaves_it(tmp_path):
    result = lec(tmp_path, "ns0", fallback=False)
    assert result.unproven == ["q"] and result.induct_proven == 0


def test_reachable_difference_is_still_caught(tmp_path):
    # s[1] & s[0] is 0 where s = 10, a state one clock with a = 1 reaches; the RTL selects b there
    result = lec(tmp_path, "s[0]")
    assert result.unproven == ["q"]
    assert result.induct_proven == 0

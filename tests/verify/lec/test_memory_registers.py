"""LEC of a memory whose read-address register Yosys copies into the read port (``memory_dff``, then
``memory_map``: a flip-flop named ``$\\mem$rdreg[0]$q``). Synthesis and the gold steps name that copy
``mem_rdreg_0_q`` (tapeout/synth/register_names.py), so ``equiv_make`` pairs it and it is a register
point; under another name it is paired with nothing, free on both sides, and the read data it
selects is not proven by the cut-point check (on picorv32 with SKY130 not by 6 clocks of
``equiv_induct`` either). A netlist whose copy loads the wrong value is still caught."""

from pathlib import Path

from tapeout.synth import synthesize
from tapeout.tech.generate import LIBERTY_PATH
from tests.synth.test_register_names import MEMORY

from .small_design import check_small

RTL = MEMORY.format(extra="")

# the gold after the word-level steps: mem_rdreg_0_q <= ae ? a : ra; q = mem_rdreg_0_q ? mem[1] : mem[0]
NETLIST = """module rd(clk, we, wa, wd, ae, a, q);
  input clk, we, wa, wd, ae, a; output q;
  wire nwa, we0, we1, d0, d1, dra, {copy};
  wire \\mem[0] , \\mem[1] , ra;
  INV_1 i0 (.A(wa), .Y(nwa));
  AND2_1 e0 (.A(nwa), .B(we), .Y(we0));
  AND2_1 e1 (.A(wa), .B(we), .Y(we1));
  MUX2_1 m0 (.A0(\\mem[0] ), .A1(wd), .S(we0), .Y(d0));
  MUX2_1 m1 (.A0(\\mem[1] ), .A1(wd), .S(we1), .Y(d1));
  DFF_1 f0 (.D(d0), .CLK(clk), .Q(\\mem[0] ));
  DFF_1 f1 (.D(d1), .CLK(clk), .Q(\\mem[1] ));
  MUX2_1 ma (.A0(ra), .A1(a), .S(ae), .Y(dra));
  DFF_1 fa (.D(dra), .CLK(clk), .Q(ra));
  DFF_1 fc (.D({copy_d}), .CLK(clk), .Q({copy}));
  MUX2_1 mq (.A0(\\mem[0] ), .A1(\\mem[1] ), .S({copy}), .Y(q));
endmodule
"""


def lec(tmp_path: Path, copy: str = "mem_rdreg_0_q", copy_d: str = "dra", fallback: bool = True):
    """Check the netlist whose read-address copy is named ``copy`` and loads ``copy_d``."""
    return check_small(tmp_path, "rd", RTL, NETLIST.format(copy=copy, copy_d=copy_d), fallback=fallback)


def test_the_named_read_address_copy_is_a_register_point(tmp_path):
    result = lec(tmp_path, fallback=False)            # ABC's cut-point check alone
    assert result.unproven_count == 0, result.unproven
    assert result.abc_proven == result.points and result.free_flop_bits == 0


def test_under_another_name_the_copy_is_free_and_the_read_data_unproven(tmp_path):
    result = lec(tmp_path, copy="_07_", fallback=False)     # the name synthesis wrote before
    assert result.unproven == ["q"]
    assert result.free_flop_bits == 2                 # the gold's copy and the netlist's, each its own value


def test_a_copy_loading_the_wrong_address_is_caught(tmp_path):
    # loads a every clock: differs from the RTL once ae is 0 and a differs from ra, a reachable state
    result = lec(tmp_path, copy_d="a")
    assert result.unproven == ["mem_rdreg_0_q"]
    assert result.induct_proven == 0


def test_synthesis_names_the_copy_as_the_gold_does(tmp_path):
    (tmp_path / "rd.v").write_text(RTL)
    synthesize([tmp_path / "rd.v"], "rd", LIBERTY_PATH, 5.0, tmp_path / "synth")
    netlist = (tmp_path / "synth" / "rd.v").read_text()
    assert "mem_rdreg_0_q" in netlist
    result = check_small(tmp_path, "rd", RTL, netlist, fallback=False)
    assert result.unproven_count == 0 and result.free_flop_bits == 0, result

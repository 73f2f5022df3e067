"""LEC on SKY130 netlists with cell models from the Liberty file (tapeout/verify/lec/liberty_models.py);
skipped without ../shared/pdk."""

import re

import pytest

from tapeout.synth import synthesize
from tapeout.verify.equivalence import check_equivalence, netlist_steps, rtl_steps
from tapeout.verify.lec.liberty_models import liberty_models

RTL = """module ar(input clk, input rst_n, input en, input [3:0] d, input [3:0] m, output reg [3:0] q);
  always @(posedge clk or negedge rst_n)   // asynchronous clear: a flop with a Liberty `clear`
    if (!rst_n) q <= 4'd0;
    else if (en) q <= (q ^ d) & ~m | (q & d & m);
endmodule
"""

SWAPS = {"nand2": "nor2", "nor2": "nand2", "a21oi": "o21ai", "o21ai": "a21oi", "xor2": "xnor2", "xnor2": "xor2"}
"""Cells of another function with the same pins, one drive strength each way."""


@pytest.fixture(scope="module")
def synthesised(sky130, tmp_path_factory):
    """(work folder, RTL, SKY130 netlist, cell models) of :data:`RTL`."""
    work = tmp_path_factory.mktemp("lec_sky130")
    (work / "ar.v").write_text(RTL)
    synthesize([work / "ar.v"], "ar", sky130.liberty(), 10.0, work / "out", macro_factory=sky130.macro_factory,
               dont_use=sky130.dont_use, fanout_buffer=sky130.fanout_buffer, delay_buffer=sky130.delay_buffer)
    return work, work / "ar.v", work / "out" / "ar.v", liberty_models(sky130.liberty(), work / "models.v")


def lec(synthesised, netlist, tmp_path):
    work, rtl, _, models = synthesised
    (tmp_path / "macros").mkdir()
    (tmp_path / "stubs.v").write_text("")
    gold = rtl_steps(rtl, "ar", tmp_path / "macros", False, 512, "tapeout.tech.sram:sram_macro")
    return check_equivalence(gold, netlist_steps(netlist, "ar", [models], tmp_path / "stubs.v"), [], tmp_path / "check")


def test_liberty_models_have_the_flops_with_their_clear(synthesised):
    text = synthesised[3].read_text()
    dfrtp = text[text.index("module sky130_fd_sc_hd__dfrtp_1("):]
    dfrtp = dfrtp[:dfrtp.index("endmodule")]
    assert "always @(posedge CLK, posedge" in dfrtp and "~RESET_B" in dfrtp
    assert "module sky130_fd_sc_hd__a21oi_1(" in text


def test_sky130_netlist_is_equivalent_to_its_rtl(synthesised, tmp_path):
    netlist = synthesised[2].read_text()
    assert "sky130_fd_sc_hd__dfrtp" in netlist
    result = lec(synthesised, synthesised[2], tmp_path)
    assert result.points >= 4 and result.unproven_count == 0, result.unproven     # q: register and output


def test_swapped_sky130_gate_is_caught(synthesised, tmp_path):
    text = synthesised[2].read_text()
    match = re.search(rf"^(\s*)sky130_fd_sc_hd__({'|'.join(SWAPS)})_(\d) ", text, flags=re.M)
    assert match, "no swappable cell in the netlist"
    broken = tmp_path / "broken.v"
    broken.write_text(text[:match.start()] + f"{match.group(1)}sky130_fd_sc_hd__{SWAPS[match.group(2)]}_"
                      f"{match.group(3)} " + text[match.end():])
    result = lec(synthesised, broken, tmp_path)
    assert result.unproven_count > 0
    assert all(name.startswith("q") for name in result.unproven), result.unproven

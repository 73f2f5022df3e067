"""A small parameterised design of one's own with a cocotb test, written into a scratch folder."""

from pathlib import Path

VERILOG = """\
module pcount #(parameter WIDTH = 8, parameter MODE = "up") (
    input  wire             clk,
    input  wire             rst,
    input  wire             en,
    output reg  [WIDTH-1:0] count,
    output wire             wrap
);
    assign wrap = en & (count == {WIDTH{1'b1}});
    always @(posedge clk)
        if (rst) count <= 0;
        else if (en) count <= (MODE == "up") ? count + 1'b1 : count - 1'b1;
endmodule
"""

TEST = """\
import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge


@cocotb.test()
async def wraps_after_two_to_the_width(dut):
    \"\"\"Built with WIDTH = 4: 4 bits wide, and wrap rises on the 16th enabled clock.\"\"\"
    assert len(dut.count) == 4, f"count is {len(dut.count)} bits wide"
    cocotb.start_soon(Clock(dut.clk, 10, unit="ns").start())
    dut.rst.value, dut.en.value = 1, 0
    await FallingEdge(dut.clk)
    await FallingEdge(dut.clk)
    dut.rst.value, dut.en.value = 0, 1
    for cycle in range(15):
        assert int(dut.wrap.value) == 0, f"wrap at clock {cycle}"
        await FallingEdge(dut.clk)
    assert int(dut.count.value) == 15 and int(dut.wrap.value) == 1
"""


def write_design(folder: Path, verify: str) -> Path:
    """``folder/pcount.toml`` (with the ``[verify]`` table ``verify``), ``src/pcount.v`` and its test."""
    (folder / "src").mkdir(parents=True, exist_ok=True)
    (folder / "src" / "pcount.v").write_text(VERILOG)
    (folder / "src" / "pcount_test.py").write_text(TEST)
    design = folder / "pcount.toml"
    design.write_text('[design]\nname = "pcount"\ntop = "pcount"\nclock_period_ns = 5.0\n'
                      f'verilog = ["src/pcount.v"]\n{verify}')
    return design

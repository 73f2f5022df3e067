"""Public names for the registers Yosys makes (tapeout/synth/register_names.py)."""

import pytest

from tapeout.synth.register_names import name_registers, public_name

ys = pytest.importorskip("pyosys.libyosys")

# memory_dff copies the read-address register into the read port; memory_map makes it $\mem$rdreg[0]$q
MEMORY = """module rd(input clk, input we, input wa, input wd, input ae, input a, output q);
  reg mem [0:1];
  reg ra;
  {extra}
  always @(posedge clk) if (we) mem[wa] <= wd;
  always @(posedge clk) if (ae) ra <= a;
  assign q = mem[ra];
endmodule
"""


def test_a_memory_read_address_copy_gets_a_plain_identifier():
    assert public_name("$\\cpuregs$rdreg[0]$q") == "\\cpuregs_rdreg_0_q"
    assert public_name("$\\buf.mem$rdreg[12]$q") == "\\buf_mem_rdreg_12_q"


def test_a_name_starting_with_a_digit_or_empty_stays_an_identifier():
    assert public_name("$0x") == "\\reg_0x"
    assert public_name("$$") == "\\reg"


def _flop_outputs(tmp_path, extra=""):
    """Names of the wires the flip-flops of MEMORY drive after fine synthesis and name_registers."""
    (tmp_path / "rd.v").write_text(MEMORY.format(extra=extra))
    design = ys.Design()
    for command in [f"read_verilog {tmp_path / 'rd.v'}", "synth -top rd -run begin:fine", "synth -top rd -run fine:check"]:
        ys.run_pass(command, design)
    name_registers(design)
    module = design.module(ys.IdString("\\rd"))
    return {bit.wire.name.str() for cell in module.cells_.values() if cell.is_builtin_ff()
            for bit in cell.getPort(ys.IdString("\\Q")).to_sigbit_vector()}


def test_every_flip_flop_drives_a_public_name(tmp_path):
    assert _flop_outputs(tmp_path) == {"\\mem[0]", "\\mem[1]", "\\ra", "\\mem_rdreg_0_q"}


def test_a_taken_name_gets_a_suffix(tmp_path):
    names = _flop_outputs(tmp_path, "wire mem_rdreg_0_q = ra; (* keep *) wire k = mem_rdreg_0_q;")
    assert "\\mem_rdreg_0_q_1" in names

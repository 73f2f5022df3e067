"""ABC's SAT sweeping of a miter (tapeout/verify/lec/abc.py): an output constant 0 is proven, others not."""

import pytest

from tapeout.synth.yosys_process import run_yosys_steps
from tapeout.verify.lec.abc import AbcError, aiger_outputs, proven_outputs

MITER = """
module m(input a, input b, input c, output p0, output p1, output p2);
  wire [3:0] x = {a, b, c, 1'b1};
  wire [7:0] product_gold = x * x;
  wire [7:0] product_gate = {a, b, c, 1'b1} * {a, b, c, 1'b1} + 8'd0;
  assign p0 = product_gold[5] ^ product_gate[5];   // the same function, two structures: proven
  assign p1 = a ^ b;                                // not constant: not proven
  assign p2 = (a & b) ^ (a & c);                    // 0 only when b == c: not proven
endmodule
"""


@pytest.fixture
def miter(tmp_path):
    (tmp_path / "m.v").write_text(MITER)
    aig = tmp_path / "m.aig"
    run_yosys_steps([f"read_verilog {tmp_path / 'm.v'}", "hierarchy -top m", "proc", "techmap", "aigmap",
                     f"write_aiger -map {tmp_path / 'm.map'} {aig}"], tmp_path / "s.json", tmp_path / "y.log")
    return aig


def test_constant_output_is_proven_and_others_are_not(miter, tmp_path):
    assert len(aiger_outputs(miter)) == 3
    outputs = {line.split()[3]: int(line.split()[1]) for line in (tmp_path / "m.map").read_text().splitlines()
               if line.startswith("output")}
    proven = proven_outputs(miter, tmp_path)
    assert [proven[outputs[name]] for name in ("p0", "p1", "p2")] == [True, False, False]
    assert "&fraig" in (tmp_path / "abc.log").read_text()


def test_unreadable_miter_is_one_line(tmp_path):
    bad = tmp_path / "bad.aig"
    bad.write_text("not an aiger file\n")
    with pytest.raises(AbcError) as error:
        proven_outputs(bad, tmp_path)
    assert "\n" not in str(error.value)
    with pytest.raises(AbcError, match="not a binary AIGER file"):
        aiger_outputs(bad)

"""Behavioural SRAM models for gate-level simulation and LEC (tapeout/verify/macro_models.py)."""

from tapeout.tech.sram import sram_macro
from tapeout.verify.macro_models import macro_models, macro_types


def test_sram_models_for_the_macros_of_a_memory_report(tmp_path):
    report = tmp_path / "memories.json"
    report.write_text('[{"module": "m", "memory": "a", "words": 64, "bits": 16, "read_ports": 1, '
                      '"mapped_to": "tap130_sram_64x16_1r1w_8", "instances": 1, "write_granularity": 8},'
                      '{"module": "m", "memory": "b", "words": 4, "bits": 2, "read_ports": 1, '
                      '"mapped_to": "flops", "instances": 0}]')
    assert macro_types(report) == ["tap130_sram_64x16_1r1w_8"]
    text = macro_models(report, "tapeout.tech.sram:sram_macro", tmp_path / "m.v").read_text()
    assert text == sram_macro(64, 16, 8).verilog_model() + "\n"
    assert "if (RE) RDATA <= memory[RADDR];" in text and "if (WMASK[group])" in text

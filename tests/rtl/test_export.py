"""export() writes RTLIL and Verilog; inventory() counts flops and memory bits."""

import pytest

from tapeout.rtl.export import export, inventory
from tapeout.rtl.systolic_array import SystolicArray
from tapeout.rtl.tile_buffer import TileBuffer

# Flops of one output-stationary PE (8-bit operands, 32-bit accumulators):
# a, b (8 + 8), valid/first/last (3), product (16) and its valid/first/last (3),
# drain_out (32), two accumulators (64), bank (1).
OS_PE_FLOPS = 8 + 8 + 3 + 16 + 3 + 32 + 64 + 1


def test_export_writes_both_files_with_the_top_module(tmp_path):
    paths = export(SystolicArray(2, 2), "tensor_core", tmp_path / "out")
    assert paths == {"rtlil": tmp_path / "out" / "tensor_core.il",
                     "verilog": tmp_path / "out" / "tensor_core.v"}
    assert "module \\tensor_core" in paths["rtlil"].read_text()
    verilog = paths["verilog"].read_text()
    assert "module tensor_core(" in verilog
    assert "operands__payload" in verilog and "results__ready" in verilog


def test_inventory_of_a_2x2_array_matches_a_hand_count(tmp_path):
    paths = export(SystolicArray(2, 2), "sa", tmp_path)
    # Every PE keeps all its flops: the edge PEs' operand registers feed their own
    # multiplier.
    pe_flops = {f"sa.pe_{row}_{col}": OS_PE_FLOPS for row in range(2) for col in range(2)}
    # Top: skew (row 1: a + 3 flags; column 1: b), after_last, since_last (2 bits),
    # the corner's done flag delayed by MAC_LATENCY (2), draining, row_index (1 bit),
    # deskew of column 0 (32), output register and skid spare (2 x (1 + 1 + 64)).
    top_flops = (8 + 3) + 8 + 1 + 2 + 2 + 1 + 1 + 32 + 2 * 66
    for path in paths.values():
        counts = inventory(path, "sa")
        assert {name: block["flops"] for name, block in counts["blocks"].items()} == pe_flops
        assert counts["modules"]["sa"]["flops"] == top_flops
        assert counts["total"] == {"flops": sum(pe_flops.values()) + top_flops, "memory_bits": 0}


def test_inventory_counts_memory_bits(tmp_path):
    paths = export(TileBuffer(2, 16, 8), "buffer", tmp_path)
    counts = inventory(paths["rtlil"], "buffer")
    assert counts["total"] == {"flops": 0, "memory_bits": 2 * 16 * 8}


def test_bad_input(tmp_path):
    with pytest.raises(ValueError, match=r"^top_name must be a Verilog identifier, not '1top'$"):
        export(SystolicArray(1, 1), "1top", tmp_path)
    with pytest.raises(ValueError, match=r"^.*missing\.il: no such RTLIL or Verilog file$"):
        inventory(tmp_path / "missing.il", "top")
    paths = export(SystolicArray(1, 1), "one", tmp_path)
    with pytest.raises(ValueError, match=r"^.*one\.il: top module 'two' not found$"):
        inventory(paths["rtlil"], "two")


def test_inventory_counts_through_parameterised_submodules():
    from tests.conftest import ROOT

    inv = inventory(ROOT / "tests" / "synth" / "data" / "hier.v", "top")
    assert inv["blocks"] == {"acc(W=8)": {"flops": 8, "memory_bits": 0}, "acc(W=4)": {"flops": 4, "memory_bits": 0}}
    assert inv["total"] == {"flops": 12, "memory_bits": 0}


def test_readable_names_of_parameterised_modules():
    from tapeout.yosys_text import module_name

    assert module_name("$paramod\\acc\\W=s32'00000000000000000000000000000100") == "acc(W=4)"
    assert module_name("$paramod\\f\\N=s8'11111111\\M=1") == "f(N=-1, M=1)"
    assert module_name("\\top") == "top"

"""select_by_index: an index-selected mux, and no comb-only ``always @*`` block in the tile's Verilog."""

import re

import pytest
from amaranth.hdl import Const, Module, Signal
from amaranth.sim import Simulator

from tapeout.rtl.export import export
from tapeout.rtl.mux import select_by_index
from tapeout.rtl.tensor_tile import TensorTile


def selected(values, indices, index_width=3):
    """Value of ``select_by_index`` for each index of ``indices`` (Amaranth simulator)."""
    index = Signal(index_width)
    out = Signal(8)
    seen = []

    async def testbench(ctx):
        for value in indices:
            ctx.set(index, value)
            seen.append(ctx.get(out))
    m = Module()
    m.d.comb += out.eq(select_by_index(index, [Const(v, 8) for v in values]))
    sim = Simulator(m)
    sim.add_testbench(testbench)
    sim.run()
    return seen


def test_select_by_index_picks_the_indexed_value_and_the_first_out_of_range():
    assert selected([10, 20, 30, 40, 50], [0, 1, 2, 3, 4, 5, 7]) == [10, 20, 30, 40, 50, 10, 10]
    assert selected([99], [0, 3]) == [99, 99]


def test_select_by_index_rejects_no_values():
    with pytest.raises(ValueError, match=r"^values must hold at least one value, not 0$"):
        select_by_index(Signal(2), [])


def comb_only_processes(verilog):
    """``always @*`` blocks that do not read ``rst``: pure comb logic, X in Icarus (-g2012)
    until one of their inputs changes; flop next-state blocks all read ``rst``."""
    blocks = re.findall(r"^  always @\*.*?^  end$", verilog, flags=re.S | re.M)
    assert blocks, "expected the flops' next-state blocks"
    return [block for block in blocks if not re.search(r"\brst\b", block)]


@pytest.mark.parametrize("arbitration", ["round_robin", "fixed"])
def test_tile_verilog_has_no_comb_only_always_block(tmp_path, arbitration):
    tile = TensorTile(rows=2, cols=2, depth=16, width=32, ports=3, arbitration=arbitration)
    verilog = export(tile, "tile", tmp_path)["verilog"].read_text()
    assert comb_only_processes(verilog) == []

"""Inferred memories to SRAM macros: the mapping rule, the wiring, and the flop fallback."""

import json

import pytest

from tapeout.synth import macro_models, read_mappings, synthesize
from tapeout.synth.memory_macros import MemoryMapping
from tapeout.tech.generate import LIBERTY_PATH
from tapeout.tech.library import parse_library
from tapeout.tech.sram import sram_macro

from .conftest import DATA

MACRO = "tap130_sram_64x16_1r1w_8"

TWO_READS = """module two_reads(input clk, input we, input [5:0] wa, input [15:0] wd,
  input [5:0] ra0, input [5:0] ra1, output reg [15:0] rd0, output reg [15:0] rd1);
  reg [15:0] mem [0:63];
  always @(posedge clk) begin
    if (we) mem[wa] <= wd;
    rd0 <= mem[ra0];
    rd1 <= mem[ra1];
  end
endmodule
"""

BYTE_WRITES = """module byte_writes(input clk, input [1:0] we, input [3:0] wa, input [15:0] wd,
  input [3:0] ra, output reg [15:0] rd);
  reg [15:0] mem [0:15];
  always @(posedge clk) begin
    if (we[0]) mem[wa][7:0] <= wd[7:0];
    if (we[1]) mem[wa][15:8] <= wd[15:8];
    rd <= mem[ra];
  end
endmodule
"""

NIBBLE_WRITES = """module nibble_writes(input clk, input [3:0] we, input [3:0] wa, input [15:0] wd,
  input [3:0] ra, output reg [15:0] rd);
  reg [15:0] mem [0:15];
  integer i;
  always @(posedge clk) begin
    for (i = 0; i < 4; i = i + 1)
      if (we[i]) mem[wa][4 * i +: 4] <= wd[4 * i +: 4];
    rd <= mem[ra];
  end
endmodule
"""

ODD_WIDTH = """module odd_width(input clk, input we, input [5:0] wa, input [11:0] wd,
  input [5:0] ra, output reg [11:0] rd);
  reg [11:0] mem [0:63];
  always @(posedge clk) begin
    if (we) mem[wa] <= wd;
    rd <= mem[ra];
  end
endmodule
"""

WRITE_THROUGH = """module write_through(input clk, input we, input [3:0] wa, input [15:0] wd,
  input [3:0] ra, output [15:0] rd);
  reg [15:0] mem [0:15];
  reg [3:0] ra_q;
  always @(posedge clk) begin
    if (we) mem[wa] <= wd;
    ra_q <= ra;
  end
  assign rd = mem[ra_q];
endmodule
"""


def _synth(tmp_path, text, top, **kwargs):
    source = tmp_path / f"{top}.v"
    source.write_text(text)
    kwargs.setdefault("macro_input_stages", 0)  # check the macro's pins wired straight to the memory ports
    return synthesize([source], top, LIBERTY_PATH, 5.0, tmp_path / "out", **kwargs)


def _top_json(result):
    return json.loads(result.netlist_json.read_text())["modules"][result.top]


def test_1r1w_memory_becomes_one_macro(synthesized):
    result = synthesized("mem1r1w")
    assert result.memories == [MemoryMapping("mem1r1w", "mem", 64, 16, 1, MACRO, 1, "", 8)]
    assert result.area.cells_by_type == {MACRO: 1}
    assert result.macro_count == 1 and result.metrics["synth__macros__count"] == 1
    liberty_area = parse_library(sram_macro(64, 16).liberty_text())[MACRO].area_um2
    assert result.area.area_um2 == pytest.approx(liberty_area)
    assert liberty_area == pytest.approx(sram_macro(64, 16).area_um2, rel=1e-5)
    assert result.macro_liberty[MACRO].read_text() == sram_macro(64, 16).liberty_text()
    assert result.macro_models[MACRO] == sram_macro(64, 16)
    assert macro_models(read_mappings(result.netlist_json.parent / "memories.json")) == {MACRO: sram_macro(64, 16)}


def test_macro_pins_wired_to_the_memory_ports_through_hold_buffers(synthesized):
    top = _top_json(synthesized("mem1r1w"))
    (cell,) = [c for c in top["cells"].values() if c["type"].startswith("tap130_sram_")]
    buffers = {c["connections"]["Y"][0]: c["connections"]["A"][0]
               for c in top["cells"].values() if c["type"] == "BUF_1"}

    def source(bit, depth=0):  # back through the chain of two buffers in front of each data input
        return source(buffers[bit], depth + 1) if bit in buffers else (bit, depth)

    ports = {name: port["bits"] for name, port in top["ports"].items()}
    wiring = {"CLK": "clk", "WE": "we", "WADDR": "waddr", "WDATA": "wdata",
              "RE": "re", "RADDR": "raddr", "RDATA": "rdata"}
    traced = {pin: [source(b)[0] for b in cell["connections"][pin]] for pin in wiring}
    assert traced == {pin: ports[p] for pin, p in wiring.items()}
    assert {source(b)[1] for pin in ("WE", "WADDR", "WDATA", "RE", "RADDR") for b in cell["connections"][pin]} == {2}
    assert cell["connections"]["CLK"] == ports["clk"]   # the clock goes straight to the macro
    assert [source(b)[0] for b in cell["connections"]["WMASK"]] == ports["we"] * 2   # whole-word enable


def test_small_memory_goes_to_flops(tmp_path):
    result = synthesize([DATA / "mem1r1w.v"], "mem1r1w", LIBERTY_PATH, 5.0, tmp_path, macro_min_bits=2048,
                        macro_input_stages=0)
    assert result.memories == [MemoryMapping("mem1r1w", "mem", 64, 16, 1, "flops", 0,
                                             "1024 bits, below the 2048-bit macro threshold")]
    assert result.macro_count == 0
    assert result.flops == 64 * 16 + 16   # the array plus the read data register
    assert result.metrics["synth__memories_as_flops__count"] == 1


def test_macros_disabled_gives_flops(tmp_path):
    result = synthesize([DATA / "mem1r1w.v"], "mem1r1w", LIBERTY_PATH, 5.0, tmp_path, macros=False)
    assert result.memories[0].mapped_to == "flops"
    assert result.memories[0].reason == "macros disabled"
    assert result.macro_liberty == {}


def test_two_read_ports_replicate_the_macro(tmp_path):
    result = _synth(tmp_path, TWO_READS, "two_reads")
    assert result.memories == [MemoryMapping("two_reads", "mem", 64, 16, 2, MACRO, 2, "", 8)]
    top = _top_json(result)
    cells = sorted((name, c) for name, c in top["cells"].items() if c["type"] == MACRO)
    assert [name for name, _ in cells] == ["mem_sram_r0", "mem_sram_r1"]
    assert result.area.cells_by_type == {MACRO: 2, "TIE_1": 2}   # RE tied high on both
    (_, first), (_, second) = cells
    assert first["connections"]["WDATA"] == second["connections"]["WDATA"] == top["ports"]["wd"]["bits"]
    assert first["connections"]["WE"] == second["connections"]["WE"] == top["ports"]["we"]["bits"]
    read_data = {tuple(first["connections"]["RDATA"]), tuple(second["connections"]["RDATA"])}
    assert read_data == {tuple(top["ports"]["rd0"]["bits"]), tuple(top["ports"]["rd1"]["bits"])}


def _macro_cells(top):
    return [c for c in top["cells"].values() if c["type"].startswith("tap130_sram_")]


def test_byte_write_enables_drive_the_write_mask(tmp_path):
    result = _synth(tmp_path, BYTE_WRITES, "byte_writes", macro_min_bits=128)
    macro = "tap130_sram_16x16_1r1w_8"
    assert result.memories == [MemoryMapping("byte_writes", "mem", 16, 16, 1, macro, 1, "", 8)]
    assert result.area.cells_by_type == {macro: 1, "OR2_1": 1, "TIE_1": 1}   # WE = we[0] | we[1]; RE tied
    top = _top_json(result)
    (cell,) = _macro_cells(top)
    we = top["ports"]["we"]["bits"]
    assert cell["connections"]["WMASK"] == we          # WMASK[i] = enable of byte i
    (gate,) = [c for c in top["cells"].values() if c["type"] == "OR2_1"]
    assert [gate["connections"]["A"] + gate["connections"]["B"], gate["connections"]["Y"]] == \
        [we, cell["connections"]["WE"]]
    assert result.macro_models[macro] == sram_macro(16, 16, 8)


def test_nibble_write_enables_stay_in_flops(tmp_path):
    result = _synth(tmp_path, NIBBLE_WRITES, "nibble_writes", macro_min_bits=128)
    assert result.memories == [MemoryMapping(
        "nibble_writes", "mem", 16, 16, 1, "flops", 0,
        "partial write enables in 4-bit groups, not aligned to the 8-bit macro write mask")]
    assert result.macro_count == 0
    assert result.flops == 16 * 16 + 16


def test_byte_enables_finer_than_a_coarser_macro_mask_stay_in_flops(tmp_path):
    result = _synth(tmp_path, BYTE_WRITES, "byte_writes", macro_min_bits=128, macro_write_granularity=16)
    assert [(m.mapped_to, m.reason) for m in result.memories] == [
        ("flops", "partial write enables in 8-bit groups, not aligned to the 16-bit macro write mask")]


def test_whole_word_enable_of_odd_width_uses_a_word_granular_macro(tmp_path):
    result = _synth(tmp_path, ODD_WIDTH, "odd_width", macro_min_bits=128)
    macro = "tap130_sram_64x12_1r1w_12"
    assert result.memories == [MemoryMapping("odd_width", "mem", 64, 12, 1, macro, 1, "", 12)]
    top = _top_json(result)
    (cell,) = _macro_cells(top)
    assert cell["connections"]["WMASK"] == cell["connections"]["WE"] == top["ports"]["we"]["bits"]


@pytest.mark.parametrize("granularity,mapped_to,reason", [
    (8, "tap130_sram_16x32_1r1w_8", ""),
    (4, "flops", "partial write enables in 4-bit groups, not aligned to the 8-bit macro write mask"),
])
def test_tile_buffer_bank_with_field_enables(tmp_path, granularity, mapped_to, reason):
    # The tensor tile's buffer: Amaranth Memory written with `granularity`-bit enables.
    from tapeout.rtl.export import export
    from tapeout.rtl.tile_buffer import TileBuffer

    files = export(TileBuffer(1, 16, 32, granularity=granularity), "tile_buffer", tmp_path)
    result = synthesize([files["rtlil"]], "tile_buffer", LIBERTY_PATH, 5.0, tmp_path / "out", macro_min_bits=128,
                        macro_input_stages=0)
    assert [(m.words, m.bits, m.mapped_to, m.reason) for m in result.memories] == [(16, 32, mapped_to, reason)]
    if mapped_to == "flops":
        return
    top = _top_json(result)
    (cell,) = _macro_cells(top)
    assert cell["connections"]["WMASK"] == top["ports"]["write__0__en"]["bits"]
    assert cell["connections"]["WDATA"] == top["ports"]["write__0__data"]["bits"]
    assert result.area.cells_by_type[mapped_to] == 1 and result.flops == 0


def test_write_through_read_stays_in_flops(tmp_path):
    result = _synth(tmp_path, WRITE_THROUGH, "write_through", macro_min_bits=128)
    assert [(m.mapped_to, m.reason) for m in result.memories] == \
        [("flops", "transparent (write-through) read port")]


def test_asynchronous_read_stays_in_flops(tmp_path):
    text = ("module async_read(input clk, input we, input [3:0] wa, input [15:0] wd, input [3:0] ra,\n"
            "  output [15:0] rd);\n  reg [15:0] mem [0:15];\n"
            "  always @(posedge clk) if (we) mem[wa] <= wd;\n  assign rd = mem[ra];\nendmodule\n")
    result = _synth(tmp_path, text, "async_read", macro_min_bits=128)
    assert [(m.mapped_to, m.reason) for m in result.memories] == [("flops", "asynchronous read port")]
    assert result.flops == 16 * 16


def test_memory_report_file_lists_every_memory(synthesized):
    result = synthesized("mem1r1w")
    rows = json.loads((result.netlist_json.parent / "memories.json").read_text())
    assert rows == [{"module": "mem1r1w", "memory": "mem", "words": 64, "bits": 16, "read_ports": 1,
                     "mapped_to": MACRO, "instances": 1, "reason": "", "write_granularity": 8}]

import re

import pytest

from tapeout.tech.library import parse_library
from tapeout.tech.sram import sram_macro


def test_calibration_point_sky130_sram_1kbyte_1rw1r_32x256_8():
    m = sram_macro(256, 32)
    assert m.name == "tap130_sram_256x32_1r1w_8"
    assert m.write_granularity == 8 and m.mask_bits == 4   # wmask0[3:0] of the OpenRAM macro
    assert m.column_mux == 2 and m.rows == 128 and m.columns == 64
    assert m.width_um == pytest.approx(479.78, rel=0.01)
    assert m.height_um == pytest.approx(397.5, rel=0.01)
    assert m.access_time_ns == pytest.approx(2.87, rel=0.01)
    assert m.min_period_ns == pytest.approx(6.875, rel=0.01)
    assert m.read_energy_pj == pytest.approx(4.600, rel=0.01)
    assert m.write_energy_pj == pytest.approx(4.598, rel=0.01)
    assert m.leakage_nw == pytest.approx(911.8, rel=0.01)


def test_cross_check_sky130_sram_1kbyte_1rw1r_8x1024_8():
    # Not fitted: OpenRAM 8x1024 is 464.82 x 447.14 um, clk-to-dout 2.618 ns.
    m = sram_macro(1024, 8)
    assert m.column_mux == 8
    assert m.area_um2 == pytest.approx(464.82 * 447.14, rel=0.10)
    assert m.access_time_ns == pytest.approx(2.618, rel=0.15)


@pytest.mark.parametrize("figure", ["area_um2", "access_time_ns", "read_energy_pj",
                                    "write_energy_pj", "leakage_nw"])
def test_monotone_in_words_and_bits(figure):
    words = [16, 32, 64, 128, 256, 512, 1024, 2048, 4096]
    values = [getattr(sram_macro(w, 32), figure) for w in words]
    assert all(b > a for a, b in zip(values, values[1:])), values
    bits = [1, 2, 4, 8, 16, 32, 64, 128]
    values = [getattr(sram_macro(256, b, write_granularity=b), figure) for b in bits]
    assert all(b >= a for a, b in zip(values, values[1:])), values
    assert values[-1] > values[0]


def test_liberty_view_parses_with_bus_pins_and_arcs():
    m = sram_macro(64, 16)
    lib = parse_library(m.liberty_text())
    cell = lib[m.name]
    assert cell.area_um2 == pytest.approx(m.area_um2, rel=1e-6)
    assert {f"WADDR[{i}]" for i in range(6)} <= set(cell.pins)
    assert cell.pins["RDATA[7]"].direction == "output"
    assert cell.pins["CLK"].is_clock
    assert cell.pins["WMASK[1]"].direction == "input" and "WMASK[2]" not in cell.pins
    assert cell.pins["WMASK[1]"].capacitance == pytest.approx(m.pin_capacitance_pf)
    arc = cell.arc("CLK", "RDATA[3]")
    assert arc.timing_type == "rising_edge"
    assert arc.tables["cell_rise"](0.0, 0.0017225) == pytest.approx(m.access_time_ns, rel=1e-3)
    setups = [c for c in cell.checks if c.pin == "WE" and c.timing_type == "setup_rising"]
    assert setups[0].tables["rise_constraint"](0.0, 0.0) == pytest.approx(m.setup_ns, rel=1e-3)
    mask_checks = {(c.related_pin, c.timing_type) for c in cell.checks if c.pin == "WMASK[1]"}
    assert mask_checks == {("CLK", "setup_rising"), ("CLK", "hold_rising")}
    clock_energy = sorted(float(p.rise.values[0]) for p in cell.power if p.pin == "CLK")
    assert clock_energy == pytest.approx(sorted([
        m.idle_energy_pj, m.write_energy_pj, m.read_energy_pj,
        m.read_energy_pj + m.write_energy_pj - m.idle_energy_pj]), rel=1e-4)


def test_lef_view_reads_in_klayout(tmp_path):
    db = pytest.importorskip("klayout.db")
    m = sram_macro(256, 32)
    path = tmp_path / "m.lef"
    path.write_text(m.lef_text())
    layout = db.Layout()
    layout.read(str(path))
    cell = layout.cell(m.name)
    assert cell is not None
    outline = layout.find_layer(db.LayerInfo("OUTLINE"))
    box = cell.bbox_per_layer(outline) if outline is not None else cell.bbox()
    assert box.width() * layout.dbu == pytest.approx(m.width_um, abs=0.01)
    assert box.height() * layout.dbu == pytest.approx(m.height_um, abs=0.01)
    assert "PIN RDATA[31]" in m.lef_text() and "CLASS BLOCK" in m.lef_text()


def test_lef_write_mask_pins_on_the_signal_edge():
    m = sram_macro(256, 32)
    text = m.lef_text()
    pins = {}
    for block in text.split("  PIN ")[1:]:
        name = block.split()[0]
        rect = next(line for line in block.splitlines() if line.strip().startswith("RECT"))
        pins[name] = [float(v) for v in rect.split()[1:5]]
    masks = [pins[f"WMASK[{i}]"] for i in range(4)]
    assert "WMASK[4]" not in pins
    assert all(rect[1] == 0.0 for rect in masks)   # bottom edge, as every signal pin
    assert {tuple(r[1::2]) for r in masks} == {tuple(pins["WE"][1::2])}
    xs = sorted(r[0] for name, r in pins.items() if name not in ("VDD", "VSS"))
    assert len(xs) == 1 + 1 + 4 + 8 + 32 + 1 + 8 + 32 and len(set(xs)) == len(xs)


def test_verilog_blackbox_ports():
    text = sram_macro(100, 12, write_granularity=4).verilog_blackbox()
    assert text.startswith("(* blackbox *)\nmodule tap130_sram_100x12_1r1w_4 (")
    assert "input wire [6:0] WADDR" in text and "output wire [11:0] RDATA" in text
    assert "    input wire WE,\n    input wire [2:0] WMASK,\n" in text


def test_word_granular_macro_has_a_scalar_mask_pin():
    m = sram_macro(64, 12, write_granularity=12)
    assert m.name == "tap130_sram_64x12_1r1w_12" and m.mask_bits == 1
    assert "    input wire WMASK,\n" in m.verilog_blackbox()
    assert "WMASK" in parse_library(m.liberty_text())[m.name].pins


def test_write_mask_leaves_the_figures_unchanged():
    byte, word = sram_macro(256, 64), sram_macro(256, 64, write_granularity=64)
    for figure in ("area_um2", "access_time_ns", "min_period_ns", "read_energy_pj", "write_energy_pj",
                   "idle_energy_pj", "leakage_nw"):
        assert getattr(byte, figure) == getattr(word, figure)


@pytest.mark.parametrize("words,bits,message", [
    (0, 8, "words must be an integer from 2 to 65536, not 0"),
    (256.0, 8, "words must be an integer from 2 to 65536, not 256.0"),
    (True, 8, "words must be an integer from 2 to 65536, not True"),
    (256, 0, "bits must be an integer from 1 to 512, not 0"),
    (256, 1000, "bits must be an integer from 1 to 512, not 1000"),
    (256, 12, "bits must be a multiple of write_granularity (8), not 12"),
])
def test_bad_parameters(words, bits, message):
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        sram_macro(words, bits)


@pytest.mark.parametrize("granularity,message", [
    (0, "write_granularity must be an integer from 1 to 512, not 0"),
    (8.0, "write_granularity must be an integer from 1 to 512, not 8.0"),
    (5, "bits must be a multiple of write_granularity (5), not 32"),
])
def test_bad_write_granularity(granularity, message):
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        sram_macro(256, 32, write_granularity=granularity)

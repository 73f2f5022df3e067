"""DEF writer and reader: a layout reads back identically (to the database unit)."""

import pytest

from tapeout.pnr.errors import FormatError
from tapeout.pnr.formats.def_reader import read_def
from tapeout.pnr.formats.def_writer import write_def
from tapeout.pnr.formats.layout import Component, IoPin, Layout, Row


def sample_layout():
    return Layout(
        design="tile",
        die=(0.0, 0.0, 50.6, 54.4),
        rows=[Row(f"ROW_{i}", "unithd", 5.52, round(5.44 + 2.72 * i, 3), "FS" if i % 2 else "N", 80, 0.46)
              for i in range(4)],
        components=[
            Component("u_inv", "tap130_inv_1", 5.52, 5.44, "N"),
            Component("pe_0_0.acc[3]$dff", "tap130_dff_1", 6.44, 8.16, "FS"),
            Component("sram0", "tap130_sram_256x32_1r1w", 20.0, 20.0, "N", fixed=True),
        ],
        pins=[IoPin("clk", "clk", "INPUT", "met2", 25.3, 0.0, 0.28, 0.56),
              IoPin("out[0]", "out[0]", "OUTPUT", "met3", 50.6, 10.0, 0.56, 0.28)],
        nets={"clk": [("PIN", "clk"), ("pe_0_0.acc[3]$dff", "CLK")],
              "n1": [("u_inv", "Y"), ("pe_0_0.acc[3]$dff", "D")],
              "out[0]": [("pe_0_0.acc[3]$dff", "Q"), ("PIN", "out[0]")]},
    )


def test_round_trip_is_identical(tmp_path):
    layout = sample_layout()
    write_def(layout, tmp_path / "t.def")
    back = read_def(tmp_path / "t.def")
    assert back == layout
    write_def(back, tmp_path / "u.def")
    assert (tmp_path / "t.def").read_text() == (tmp_path / "u.def").read_text()


def test_written_text_is_standard_def(tmp_path):
    write_def(sample_layout(), tmp_path / "t.def")
    text = (tmp_path / "t.def").read_text()
    assert "UNITS DISTANCE MICRONS 1000 ;" in text
    assert "DIEAREA ( 0 0 ) ( 50600 54400 ) ;" in text
    assert "ROW ROW_1 unithd 5520 8160 FS DO 80 BY 1 STEP 460 0 ;" in text
    assert "- sram0 tap130_sram_256x32_1r1w + FIXED ( 20000 20000 ) N ;" in text
    assert text.rstrip().endswith("END DESIGN")


def test_unknown_sections_are_skipped(tmp_path):
    write_def(sample_layout(), tmp_path / "t.def")
    text = (tmp_path / "t.def").read_text().replace(
        "COMPONENTS 3 ;", "VIAS 1 ;\n- v1 + RECT met1 ( 0 0 ) ( 1 1 ) ;\nEND VIAS\nCOMPONENTS 3 ;")
    (tmp_path / "v.def").write_text(text)
    assert read_def(tmp_path / "v.def") == sample_layout()


def test_truncated_def_is_one_line_error(tmp_path):
    write_def(sample_layout(), tmp_path / "t.def")
    text = (tmp_path / "t.def").read_text()
    (tmp_path / "bad.def").write_text(text[: text.index("END COMPONENTS") - 10])
    with pytest.raises(FormatError, match="bad.def: DEF ends early"):
        read_def(tmp_path / "bad.def")

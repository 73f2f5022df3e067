"""GDSII stream-out with KLayout: cells merged from the library GDS, black boxes, layer numbers."""

import pytest

from tapeout.gds.stream_out import GdsError, stream_out

db = pytest.importorskip("klayout.db")

SKY130_DEF = """VERSION 5.8 ;
DIVIDERCHAR "/" ;
BUSBITCHARS "[]" ;
DESIGN t ;
UNITS DISTANCE MICRONS 1000 ;
DIEAREA ( 0 0 ) ( 20000 10880 ) ;
ROW ROW_0 unithd 0 0 N DO 40 BY 1 STEP 460 0 ;
COMPONENTS 3 ;
- u1 sky130_fd_sc_hd__inv_1 + PLACED ( 920 0 ) N ;
- tap_0 sky130_fd_sc_hd__tapvpwrvgnd_1 + PLACED ( 0 0 ) N ;
- u2 {second} + PLACED ( 2760 0 ) N ;
END COMPONENTS
PINS 1 ;
- a + NET a + DIRECTION INPUT + USE SIGNAL + LAYER met2 ( -70 -70 ) ( 70 70 ) + PLACED ( 10000 70 ) N ;
END PINS
NETS 1 ;
- a ( PIN a ) ( u1 A ) ;
END NETS
END DESIGN
"""


def shapes_on(layout, cell_name, layer, datatype):
    index = layout.find_layer(layer, datatype)
    return 0 if index is None else layout.cell(cell_name).shapes(index).size()


def test_sky130_cells_come_from_the_library_gds(sky130, tmp_path):
    path = tmp_path / "t.def"
    path.write_text(SKY130_DEF.format(second="sky130_fd_sc_hd__nand2_1"))
    summary = stream_out(path, sky130, tmp_path / "t.gds")
    assert (summary.instances, summary.cells) == (3, 4)
    layout = db.Layout()
    layout.read(str(tmp_path / "t.gds"))
    assert layout.top_cell().name == "t"
    # SKY130 numbers (libs.tech/klayout/sky130A.lyt): diff 65/20, poly 66/20, li1 67/20, mcon 67/44, met1 68/20
    for layer, datatype in ((65, 20), (66, 20), (67, 20), (67, 44), (68, 20)):
        assert shapes_on(layout, "sky130_fd_sc_hd__inv_1", layer, datatype) > 0, (layer, datatype)
    assert shapes_on(layout, "t", 69, 16) == 1  # the met2 I/O pin


def test_same_input_same_bytes(sky130, tmp_path):
    path = tmp_path / "t.def"
    path.write_text(SKY130_DEF.format(second="sky130_fd_sc_hd__nand2_1"))
    stream_out(path, sky130, tmp_path / "a.gds")
    stream_out(path, sky130, tmp_path / "b.gds")
    assert (tmp_path / "a.gds").read_bytes() == (tmp_path / "b.gds").read_bytes()


def test_a_macro_without_lef_is_named(sky130, tmp_path):
    path = tmp_path / "t.def"
    path.write_text(SKY130_DEF.format(second="my_sram"))
    with pytest.raises(GdsError, match=r"t.def: no LEF or GDS geometry for macro my_sram$"):
        stream_out(path, sky130, tmp_path / "t.gds")


def test_a_macro_with_only_a_lef_is_a_labelled_black_box(sky130, tmp_path):
    from tapeout.tech.sram import sram_macro

    macro = sram_macro(32, 32, 8)
    lef = tmp_path / f"{macro.name}.lef"
    lef.write_text(macro.lef_text())
    path = tmp_path / "t.def"
    path.write_text(SKY130_DEF.format(second=macro.name).replace("( 20000 10880 )", "( 900000 900000 )"))
    summary = stream_out(path, sky130, tmp_path / "t.gds", [lef])
    assert summary.black_boxes == [macro.name]
    layout = db.Layout()
    layout.read(str(tmp_path / "t.gds"))
    texts = [s.text.string for s in layout.cell(macro.name).shapes(layout.find_layer(83, 44)).each()]
    assert texts == [f"BLACKBOX {macro.name}"]

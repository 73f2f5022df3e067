import pytest

from tapeout.tech import generate
from tapeout.tech.cells import build_cells
from tapeout.tech.lef_writer import cell_pins
from tapeout.tech.process import ROW_HEIGHT_UM, SITE_WIDTH_UM

db = pytest.importorskip("klayout.db")


@pytest.fixture(scope="module")
def layout():
    ly = db.Layout()
    ly.read(str(generate.LEF_PATH))
    return ly


def test_every_cell_is_a_macro_of_whole_sites(layout):
    outline = layout.find_layer(db.LayerInfo("OUTLINE"))
    for cell in build_cells():
        macro = layout.cell(cell.name)
        assert macro is not None, cell.name
        box = macro.bbox_per_layer(outline)
        assert box.width() * layout.dbu == pytest.approx(cell.sites * SITE_WIDTH_UM), cell.name
        assert box.height() * layout.dbu == pytest.approx(ROW_HEIGHT_UM), cell.name


def test_pins_on_li1_and_rails_on_met1(layout):
    names = {layout.get_info(i).name for i in layout.layer_indexes()}
    assert {"li1.PIN", "met1.PIN"} <= names


def test_technology_section():
    text = generate.LEF_PATH.read_text()
    assert "SITE unithd" in text and "SIZE 0.46 BY 2.72 ;" in text
    for name in ("li1", "met1", "met2", "met3", "met4", "met5"):
        assert f"LAYER {name}\n  TYPE ROUTING ;" in text
    assert "LAYER met1\n  TYPE ROUTING ;\n  DIRECTION HORIZONTAL ;\n  PITCH 0.34 ;" in text


def test_signal_pins_do_not_overlap():
    for cell in build_cells():
        rects = [p.rects[0] for p in cell_pins(cell) if p.use in ("SIGNAL", "CLOCK")]
        xs = sorted((r[1], r[3]) for r in rects)
        assert all(a[1] < b[0] for a, b in zip(xs, xs[1:])), cell.name

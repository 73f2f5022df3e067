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


def test_every_cut_layer_has_a_default_via_that_klayout_places(tmp_path, capfd):
    """A DEF net using each DEFAULT via of the generated LEF reads in KLayout with no warning; each via
    is its cut with the metals grown by the cut layer's enclosures, on the tap130 GDS layers, and the
    flow's technology-LEF reader gives the same metal pads."""
    from tapeout.gds.layer_map import CUT, DRAWING, GDS_LAYER, reader_options
    from tapeout.tech.layers import CUT_STACK
    from tapeout.tech.lef_writer import default_via_name
    from tapeout.tech.tech_lef import read_tech_lef
    from tapeout.tech.technology import technology_named

    points = " NEW ".join(f"{cut.below} ( {1000 + 2000 * k} 1000 ) {default_via_name(cut)}"
                          for k, cut in enumerate(CUT_STACK))
    (tmp_path / "vias.def").write_text(
        'VERSION 5.8 ;\nDIVIDERCHAR "/" ;\nBUSBITCHARS "[]" ;\nDESIGN vias ;\nUNITS DISTANCE MICRONS 1000 ;\n'
        f"DIEAREA ( 0 0 ) ( 12000 2000 ) ;\nNETS 1 ;\n- n\n  + ROUTED {points} ;\nEND NETS\nEND DESIGN\n")
    layout = db.Layout()
    layout.read(str(tmp_path / "vias.def"), reader_options(technology_named("tap130")))
    assert "Warning" not in capfd.readouterr().err
    vias = read_tech_lef(generate.LEF_PATH).vias
    for cut in CUT_STACK:
        cell = layout.cell(f"VIA_{default_via_name(cut)}")
        assert cell is not None, cut.name
        assert vias[default_via_name(cut)].default and vias[default_via_name(cut)].layers == (cut.below, cut.above)

        def size(layer, datatype, cell=cell):
            box = cell.dbbox_per_layer(layout.layer(GDS_LAYER[layer], datatype))
            return pytest.approx((box.width(), box.height()))

        assert size(cut.name, CUT) == (cut.width_um, cut.width_um)
        for metal, (ex, ey) in ((cut.below, cut.enclosure_below_um), (cut.above, cut.enclosure_above_um)):
            assert size(metal, DRAWING) == (cut.width_um + 2 * ex, cut.width_um + 2 * ey), (cut.name, metal)
            (x0, y0, x1, y1), = [rect for layer, rect in vias[default_via_name(cut)].shapes if layer == metal]
            assert (x1 - x0, y1 - y0) == size(metal, DRAWING)

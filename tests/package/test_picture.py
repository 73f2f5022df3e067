import xml.etree.ElementTree as ET

from tapeout.package.interposer import interposer_type, layout_package
from tapeout.package.picture import draw_package

SVG_NS = "{http://www.w3.org/2000/svg}"


def _rect_ids(svg_path):
    root = ET.parse(svg_path).getroot()
    ids = [g.get("id") for g in root.iter(SVG_NS + "g") if g.get("id")]
    return sorted(i for i in ids if i.split("-")[0] in ("interposer", "reticle", "die", "hbm"))


def test_picture_files_and_rectangles(tmp_path):
    layout = layout_package(interposer_type("cowos-l"), 2, 25.0, 32.0, 8, (11.0, 11.0))
    svg, png = tmp_path / "p.svg", tmp_path / "p.png"
    n = draw_package(layout, svg, png, die_labels=["a", "b"], hbm_label="HBM3E", title="t")
    assert n == 1 + 1 + 2 + 8
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 1000
    ids = _rect_ids(svg)
    assert ids == sorted(["interposer", "reticle", "die-0", "die-1"] + [f"hbm-{i}" for i in range(8)])


def test_picture_is_deterministic_and_monolithic_has_no_interposer(tmp_path):
    layout = layout_package(interposer_type("monolithic"), 1, 20.0, 25.0)
    a, b = tmp_path / "a.svg", tmp_path / "b.svg"
    draw_package(layout, a, tmp_path / "a.png", die_labels=["die"])
    draw_package(layout, b, tmp_path / "b.png", die_labels=["die"])
    assert a.read_bytes() == b.read_bytes()
    assert _rect_ids(a) == ["die-0", "reticle"]

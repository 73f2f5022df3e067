"""DRC on hand-built layouts: a clean two-net layout passes, a short drawn too close and a spacing
violation drawn on purpose are caught with the rule name, markers land in a KLayout report database.
The geometry checks run with SKY130's rule table and with tap130's (its metal stack's rules: the same
GDS numbers, rules named by layer), each rule found by its own name."""

import pytest

from tapeout.drc_lvs.drc import LayoutError, run_drc
from tapeout.drc_lvs.rules import rules_of
from tapeout.drc_lvs.sky130_rules import SKY130_RULES
from tapeout.tech.technology import technology_named
from tests.drc_lvs.two_nets import write_two_nets

db = pytest.importorskip("klayout.db")

TABLES = {"sky130": SKY130_RULES, "tap130": rules_of(technology_named("tap130"))}
NAMES = {  # the rule each drawn fault breaks, in each table
    "sky130": {"space": "m1.2", "width": "m1.1", "area": "m1.6", "via_in_met1": "via.4a", "via_in_met2": "m2.4",
               "via_size": "via.1a"},
    "tap130": {"space": "met1.space", "width": "met1.width", "area": "met1.area", "via_in_met1": "via.enclosure.met1",
               "via_in_met2": "via.enclosure.met2", "via_size": "via.size"}}
BOTH = pytest.mark.parametrize("tech", sorted(TABLES))


def failing(report):
    return {r.rule.name: r.count for r in report.failing()}


@BOTH
def test_clean_two_nets_pass_every_rule(tmp_path, tech):
    write_two_nets(tmp_path / "clean.gds")
    report = run_drc(tmp_path / "clean.gds", TABLES[tech])
    assert report.top == "two_nets"
    assert report.violations == 0, report.text()
    assert report.shapes["68/20"] == 2 and report.shapes["68/44"] == 2  # two met1 nets, two vias


@BOTH
def test_a_spacing_violation_is_caught_by_the_met1_spacing_rule(tmp_path, tech):
    write_two_nets(tmp_path / "space.gds", extra_met1=(3.0, -0.24, 4.0, -0.10))  # 0.10 um below net a
    report = run_drc(tmp_path / "space.gds", TABLES[tech])
    assert failing(report) == {NAMES[tech]["space"]: 1}
    (x0, y0, x1, y1), = report.failing()[0].boxes_um(report.dbu)
    assert (y0, y1) == pytest.approx((-0.10, 0.0))  # the 0.10 um gap; Euclidian reach past the ends in x
    assert 3.0 - 0.14 < x0 < 3.0 and 4.0 < x1 < 4.0 + 0.14
    assert f"{NAMES[tech]['space']} space met1 >= 0.14 um: 1 violations" in report.text()


@BOTH
def test_a_short_between_close_wires_is_caught_by_spacing(tmp_path, tech):
    write_two_nets(tmp_path / "short.gds", gap_um=0.10, short=True)
    assert set(failing(run_drc(tmp_path / "short.gds", TABLES[tech]))) == {NAMES[tech]["space"]}


@BOTH
def test_missing_enclosure_width_area_and_cut_size(tmp_path, tech):
    layout = db.Layout()
    layout.dbu = 0.001
    top = layout.create_cell("t")
    met1, via, met2 = layout.layer(68, 20), layout.layer(68, 44), layout.layer(69, 20)
    top.shapes(met1).insert(db.DBox(0, 0, 5, 0.10))           # too narrow (m1.1)
    top.shapes(met1).insert(db.DBox(0, 1, 0.25, 1.25))        # 0.0625 um2 < 0.083 (m1.6)
    top.shapes(via).insert(db.DBox(0.05, 1.05, 0.2, 1.2))     # via in met1 by 0.05 < 0.055 (via.4a), no met2 (m2.4)
    top.shapes(via).insert(db.DBox(3, 3, 3.2, 3.15))          # not a 0.15 square (via.1a), in nothing
    top.shapes(met2).insert(db.DBox(2.9, 2.9, 3.3, 3.25))
    layout.write(str(tmp_path / "t.gds"))
    found = failing(run_drc(tmp_path / "t.gds", TABLES[tech]))
    names = NAMES[tech]
    assert set(found) == {names[k] for k in ("width", "area", "via_in_met1", "via_in_met2", "via_size")}
    assert found[names["via_in_met2"]] == 1  # the first via is not in met2; the second is well inside it
    assert found[names["via_in_met1"]] >= 2  # the first via: enclosure edges; the second: not in met1 at all


def test_bad_input_is_one_line(tmp_path):
    with pytest.raises(LayoutError, match=r"missing.gds: no such GDS file"):
        run_drc(tmp_path / "missing.gds", SKY130_RULES)
    (tmp_path / "junk.gds").write_bytes(b"not a layout")
    with pytest.raises(LayoutError, match=r"junk.gds: not a readable layout"):
        run_drc(tmp_path / "junk.gds", SKY130_RULES)
    write_two_nets(tmp_path / "clean.gds")
    with pytest.raises(LayoutError, match=r"no cell named 'nope'"):
        run_drc(tmp_path / "clean.gds", SKY130_RULES, top="nope")


def test_shapes_with_different_net_properties_merge(tmp_path):
    """A via pad inside a strap, the strap carrying a net-name property (as KLayout's DEF reader writes
    special nets): one met5 polygon, no m5.4 area violation for the pad."""
    layout = db.Layout()
    layout.dbu = 0.001
    top = layout.create_cell("t")
    met5 = layout.layer(72, 20)
    strap = top.shapes(met5).insert(db.DBox(0, 0, 30, 1.6))
    strap.set_property(1, "VPWR")
    top.shapes(met5).insert(db.DBox(10, 0, 11.6, 1.6))
    layout.write(str(tmp_path / "t.gds"))
    report = run_drc(tmp_path / "t.gds", SKY130_RULES)
    assert report.violations == 0 and report.shapes["72/20"] == 1


def test_violations_between_and_inside_cell_instances_are_found(tmp_path):
    """Deep (hierarchical) checking still sees what a flat check sees: two instances of one cell placed
    0.10 um apart (m1.2 between instances), a top-level wire too close to an instance, and a narrow
    shape inside the cell counted once per instance, each marker in top-cell coordinates."""
    layout = db.Layout()
    layout.dbu = 0.001
    top, leaf = layout.create_cell("top"), layout.create_cell("leaf")
    met1 = layout.layer(68, 20)
    leaf.shapes(met1).insert(db.DBox(0, 0, 1, 1))
    leaf.shapes(met1).insert(db.DBox(0, 2, 1, 2.1))  # 0.10 wide: m1.1 in every instance
    for x in (0.0, 1.1, 10.0):  # the first two 0.10 um apart, the third alone
        top.insert(db.DCellInstArray(leaf.cell_index(), db.DTrans(x, 0.0)))
    top.shapes(met1).insert(db.DBox(10, -0.5, 11, -0.1))  # 0.10 below the third instance
    layout.write(str(tmp_path / "h.gds"))
    report = run_drc(tmp_path / "h.gds", SKY130_RULES, top="top")
    assert failing(report) == {"m1.1": 3, "m1.2": 3}  # m1.2: two between the first two (boxes, rails), one at the wire
    space = next(r for r in report.results if r.rule.name == "m1.2")
    xs = sorted(round(x0, 2) for x0, _, _, _ in space.boxes_um(report.dbu))
    assert xs[-1] >= 9.8 and xs[0] < 1.1  # markers in top coordinates, not the leaf's

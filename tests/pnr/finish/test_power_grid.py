"""The power grid: alternating follow-pin rails, strap pairs, via stacks only where a net meets itself."""

import pytest

from tapeout.pnr.finish.power_grid import power_grid, rails, straps, via_enclosures, via_stack
from tapeout.pnr.floorplan.floorplan import Floorplan, MacroBlock
from tapeout.tech.layers import CUT_STACK, METAL_STACK
from tapeout.tech.tech_lef import Via
from tapeout.tech.technology import PowerGridRules, Strap

RULES = PowerGridRules("VPWR", "VGND", "met1", 0.48, (Strap("met4", 1.6, 40.0, 5.0), Strap("met5", 1.6, 30.0, 4.0)))


def plan(macros=()):
    return Floorplan((0, 0, 110, 70), (5.0, 5.0, 105.0, 5.0 + 20 * 2.72), 2.72, 0.46, 1.0, list(macros))


def test_rails_alternate_ground_and_power_on_every_row_boundary():
    found = rails(plan(), RULES)
    assert len(found) == 21
    assert [r.net for r in found[:3]] == ["VGND", "VPWR", "VGND"]
    assert all(r.layer == "met1" and r.x0 == 5.0 and r.x1 == 105.0 and r.width == 0.48 for r in found)
    assert found[1].y0 == pytest.approx(5.0 + 2.72)


def test_strap_pairs_half_a_pitch_apart_inside_the_core():
    found = straps(plan(), RULES, METAL_STACK)
    met4 = [s for s in found if s.layer == "met4"]
    assert [(s.net, s.x0) for s in met4] == [("VPWR", 10.0), ("VGND", 30.0), ("VPWR", 50.0), ("VGND", 70.0),
                                              ("VPWR", 90.0)]
    assert all(s.vertical and s.y0 == 5.0 and s.y1 == pytest.approx(59.4) for s in met4)
    met5 = [s for s in found if s.layer == "met5"]
    assert [s.y0 for s in met5] == [9.0, 24.0, 39.0, 54.0] and not any(s.vertical for s in met5)


def test_rails_and_straps_stop_at_macros():
    ram = MacroBlock(0, "ram", 20.0, 5.0, 20.0, 10.0, "N")
    cut = rails(plan([ram]), RULES)
    assert sum(r.y0 < 15.0 for r in cut) == 2 * 4  # the four boundaries beside the macro are split in two
    strap = [s for s in straps(plan([ram]), RULES, METAL_STACK) if s.layer == "met4" and s.x0 == 30.0]
    # the strap over the macro starts a halo (1 um) above its top edge, clear of the pins there
    assert [(s.y0, s.y1) for s in strap] == [(16.0, pytest.approx(59.4))]


def test_vias_only_where_a_net_crosses_its_own_strap():
    nets, vias = power_grid(plan(), RULES, METAL_STACK, CUT_STACK, {"via4": 0.31})
    by_name = {n.name: n for n in nets}
    power_rails = 10  # boundaries 1, 3, ..., 19
    # a rail meets each of its net's met4 straps through one via per cut layer: met1-2, met2-3, met3-4
    assert len([v for v in by_name["VPWR"].vias if v[0].startswith("pg_met1_met2")]) == power_rails * 3
    assert len([v for v in by_name["VPWR"].vias if v[0].startswith("pg_met3_met4")]) == power_rails * 3
    assert len([v for v in by_name["VGND"].vias if v[0].startswith("pg_met1_met2")]) == 11 * 2
    for via in vias:  # DEF vias: two metals and one cut layer each
        layers = {layer for layer, _ in via.rects}
        assert len(layers) == 3 and len([m for m in layers if m.startswith("met")]) == 2
    top = next(v for v in vias if v.name.startswith("pg_met4_met5"))
    cuts = [box for layer, box in top.rects if layer == "via4"]
    assert len(cuts) == 1 and cuts[0] == (-0.4, -0.4, 0.4, 0.4)  # 1.6 um less 2 x 0.31 leaves room for one


def test_cut_arrays_fill_the_crossing():
    (via,) = via_stack("met1", "met2", 1.6, 0.48, [layer.name for layer in METAL_STACK], CUT_STACK, {"via": 0.085})
    cuts = [box for layer, box in via.rects if layer == "via"]
    assert len(cuts) == 5  # (1.6 - 2 x 0.085 + 0.17) // (0.15 + 0.17) = 5 across, one along 0.48
    assert all(-0.8 + 0.085 <= x0 and x1 <= 0.8 - 0.085 for x0, _, x1, _ in cuts)


def test_enclosure_from_the_default_vias():
    vias = {"M4M5": Via("M4M5", True, (("met4", (-0.59, -0.59, 0.59, 0.59)), ("met5", (-0.71, -0.71, 0.71, 0.71))))}
    assert via_enclosures(vias, CUT_STACK) == {"via4": pytest.approx(0.31)}


def test_tap130_grid_vias_take_the_enclosures_its_lef_states():
    """tap130's generated LEF has a DEFAULT via per cut layer; the grid's via stacks keep, per cut, the larger
    overhang of its two metals, so every cut of a stack is enclosed as the stack rules ask."""
    from tapeout.tech.generate import LEF_PATH
    from tapeout.tech.tech_lef import read_tech_lef

    enclosure = via_enclosures(read_tech_lef(LEF_PATH).vias, CUT_STACK)
    assert enclosure == {c.name: pytest.approx(max(*c.enclosure_below_um, *c.enclosure_above_um)) for c in CUT_STACK}
    (via,) = via_stack("met3", "met4", 1.6, 1.6, [layer.name for layer in METAL_STACK], CUT_STACK, enclosure)
    cuts = [box for layer, box in via.rects if layer == "via3"]  # (1.6 - 2 x 0.09 + 0.2) // 0.4 = 4 by 4
    assert len(cuts) == 16 and all(-0.8 + 0.09 <= x0 and y1 <= 0.8 - 0.09 for x0, _, _, y1 in cuts)


def test_given_block_supply_pins_the_top_straps_cross_the_block_and_hook_onto_them():
    """Without pins the straps stop a halo away from the block; with its met4 supply pins the met5 straps
    run over it and a via4 stack joins each pin of the same net they cross (none onto the other net's)."""
    from tapeout.pnr.finish.block_supplies import block_supply_pins
    from tapeout.pnr.formats.layout import Component
    from tapeout.pnr.formats.lef_macros import LefMacro

    block = MacroBlock(0, "sram", 30.0, 20.0, 40.0, 30.0)
    lef = LefMacro("SRAM", "BLOCK", 40.0, 30.0, pin_shapes={"VDD": [("met4", (2.0, 2.0, 3.74, 28.0))],
                                                              "VSS": [("met4", (36.26, 2.0, 38.0, 28.0))],
                                                              "D": [("met4", (10.0, 0.0, 10.3, 1.0))]})
    pins = block_supply_pins([Component("sram", "SRAM", 30.0, 20.0)], {"SRAM": lef}, RULES)
    assert [(p.net, p.layer, p.x0, p.width) for p in pins] == [("VPWR", "met4", pytest.approx(32.87), pytest.approx(1.74)),
                                                               ("VGND", "met4", pytest.approx(67.13), pytest.approx(1.74))]
    cut_off, _ = power_grid(plan([block]), RULES, METAL_STACK, CUT_STACK, {"via4": 0.31})
    hooked, _ = power_grid(plan([block]), RULES, METAL_STACK, CUT_STACK, {"via4": 0.31}, pins)

    def met5_over_block(nets):
        return [w for net in nets for w in net.wires if w.layer == "met5" and 20.0 < w.y0 < 50.0
                and min(w.x0, w.x1) < 50.0 < max(w.x0, w.x1)]

    def hooks(nets):
        return sorted((net.name, round(x, 2)) for net in nets for name, x, y in net.vias
                      if name.startswith("pg_met4_met5") and 20.0 < y < 50.0 and 30.0 < x < 70.0)

    assert met5_over_block(cut_off) == [] and hooks(cut_off) == []
    assert met5_over_block(hooked)
    met5 = {net.name: [w.y0 for w in net.wires if w.layer == "met5" and 22.0 < w.y0 < 48.0] for net in hooked}
    assert hooks(hooked) == sorted([("VPWR", 32.87)] * len(met5["VPWR"]) + [("VGND", 67.13)] * len(met5["VGND"]))
    assert met5["VPWR"] or met5["VGND"]
    obstructed = LefMacro("SRAM", "BLOCK", 40.0, 30.0, pin_shapes=lef.pin_shapes,
                          obstructions=[("met5", (0.0, 0.0, 40.0, 30.0))])
    assert block_supply_pins([Component("sram", "SRAM", 30.0, 20.0)], {"SRAM": obstructed}, RULES) == []


def test_a_core_smaller_than_one_pair_gets_one_pair_at_a_quarter_and_three_quarters():
    small = Floorplan((0, 0, 40, 40), (5.0, 5.0, 25.0, 5.0 + 8 * 2.72), 2.72, 0.46, 1.0, [])
    met4 = [s for s in straps(small, RULES, METAL_STACK) if s.layer == "met4"]
    assert [(s.net, s.x0) for s in met4] == [("VPWR", 10.0), ("VGND", 20.0)]
    nets, _ = power_grid(small, RULES, METAL_STACK, CUT_STACK, {})
    ground = next(n for n in nets if n.name == "VGND")
    rails = [w for w in ground.wires if w.shape == "FOLLOWPIN"]
    assert len(rails) == 5 and len([v for v in ground.vias if v[0].startswith("pg_met1_met2")]) == 5


def test_no_strap_sliver_between_the_core_edge_and_a_macro_halo():
    ram = MacroBlock(0, "ram", 6.3, 5.0, 20.0, 10.0, "N")  # a halo (1 um) and 0.3 um from the core edge
    found = [s for s in straps(plan([ram]), RULES, METAL_STACK) if s.layer == "met5"]
    assert found and all(s.x1 - s.x0 >= s.width for s in found)

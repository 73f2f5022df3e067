"""Same-net patches: the closing fills gaps and notches narrower than the spacing between one net's
shapes, and leaves wide gaps and other nets alone."""

import pytest

from tapeout.pnr.formats.layout import RoutedRect, RoutedVia, RoutedWire
from tapeout.pnr.route.detailed.patches import item_rects, lengthen_along_tracks, same_net_patches, wire_rect
from tapeout.pnr.route.detailed.rect_index import RectIndex, gap

pytest.importorskip("klayout.db")

VIAS = {"M1M2_PR": (("via", (-0.075, -0.075, 0.075, 0.075)), ("met1", (-0.16, -0.13, 0.16, 0.13)),
                    ("met2", (-0.13, -0.16, 0.13, 0.16)))}
WIDTHS = {"li1": 0.17, "met1": 0.14, "met2": 0.14}
SPACINGS = {"li1": 0.17, "met1": 0.14, "met2": 0.14}


def area(rects):
    return sum((r.x1 - r.x0) * (r.y1 - r.y0) for r in rects)


def test_two_pads_on_adjacent_tracks_get_their_gaps_filled():
    # the pattern the DRC found: two vias one met1 row apart joined by met2 (pads 0.08 apart on met1)
    items = [RoutedVia("met1", "M1M2_PR", 1.0, 1.0), RoutedVia("met1", "M1M2_PR", 1.0, 1.34),
             RoutedWire("met2", 1.0, 1.0, 1.0, 1.34)]
    patches = same_net_patches(items, [], WIDTHS, SPACINGS, VIAS)
    met1 = [p for p in patches if p.layer == "met1"]
    assert met1 and all(isinstance(p, RoutedRect) for p in patches)
    assert area(met1) == pytest.approx(0.32 * 0.08)  # exactly the gap between the two pads
    met2 = [p for p in patches if p.layer == "met2"]
    assert area(met2) == pytest.approx(2 * (0.13 - 0.07) * 0.02)  # the notches beside the wire


def test_apart_shapes_and_the_pins_own_metal_are_not_patched():
    items = [RoutedVia("met1", "M1M2_PR", 1.0, 1.0), RoutedVia("met1", "M1M2_PR", 1.0, 1.68)]
    assert same_net_patches(items, [], WIDTHS, SPACINGS, VIAS) == []
    # a pad overlapping its pin's li1 adds nothing; one 0.1 um beside it is joined to it, the pin not redrawn
    pad = RoutedRect("li1", 0.915, 0.915, 1.085, 1.085)
    assert same_net_patches([pad], [("li1", (1.0, 0.6, 1.3, 1.4))], WIDTHS, SPACINGS, VIAS) == []
    patches = same_net_patches([pad], [("li1", (1.185, 0.915, 1.4, 1.085))], WIDTHS, SPACINGS, VIAS)
    assert patches == [RoutedRect("li1", 1.085, 0.915, 1.185, 1.085)]


def test_wire_rect_reaches_half_the_width_past_the_ends():
    assert wire_rect(RoutedWire("met1", 1.0, 2.0, 3.0, 2.0), 0.14) == pytest.approx((0.93, 1.93, 3.07, 2.07))


def test_a_lone_via_stack_pad_is_lengthened_to_the_minimum_area_along_the_layer():
    # met2 -> met3 -> met4 stacked at one point: met3 holds only the two vias' pads (0.38 x 0.38 um)
    vias = {"M2M3_PR": (("met2", (-0.15, -0.15, 0.15, 0.15)), ("met3", (-0.19, -0.19, 0.19, 0.19))),
            "M3M4_PR": (("met3", (-0.19, -0.19, 0.19, 0.19)), ("met4", (-0.165, -0.165, 0.165, 0.165)))}
    items = [RoutedVia("met2", "M2M3_PR", 5.0, 5.0), RoutedVia("met3", "M3M4_PR", 5.0, 5.0)]
    widths, spacings = {"met2": 0.14, "met3": 0.3, "met4": 0.3}, {"met2": 0.14, "met3": 0.3, "met4": 0.3}
    patches = same_net_patches(items, [], widths, spacings, vias, {"met3": 0.24, "met4": 0.24},
                               {"met3": True, "met4": False})
    # one patch over the pads' whole box, grown on both ends: 0.38 x 0.635 um2 >= 0.24, along x
    (met3,) = [p for p in patches if p.layer == "met3"]
    assert (met3.y0, met3.y1) == pytest.approx((4.81, 5.19)) and (met3.x1 - met3.x0) * 0.38 >= 0.24 - 1e-9
    assert 5.0 - met3.x0 == pytest.approx(met3.x1 - 5.0) and (met3.x1 - met3.x0) * 0.38 < 0.24 + 0.38 * 0.01
    # 0.33 x 0.73 um = 0.2409 um2 on met4, lengthened along y (its direction), ends on the 5 nm grid
    assert [p for p in patches if p.layer == "met4"] == [RoutedRect("met4", 4.835, 4.635, 5.165, 5.365)]
    wire = [RoutedVia("met2", "M2M3_PR", 5.0, 5.0), RoutedWire("met3", 5.0, 5.0, 7.0, 5.0)]
    assert not [p for p in same_net_patches(wire, [], widths, spacings, vias, {"met3": 0.24}, {"met3": True})
                if p.layer == "met3"]  # a wire is long enough


MET3_STACK = {"M3M4_PR": (("met3", (-0.19, -0.165, 0.19, 0.165)), ("met4", (-0.165, -0.165, 0.165, 0.165)))}


def test_a_lone_pad_beside_another_nets_metal_is_lengthened_away_from_it():
    # picorv32's case: two nets' via stacks two columns (0.92 um) apart on one met3 track; the other's pad,
    # right of ours, was lengthened first (on both ends); ours grown on both ends would come 0.17 um from
    # it, so it grows on its free end only
    other = (5.545, 4.84, 6.295, 5.16)

    def room(layer, rect):
        return max(0.0, max(rect[0], other[0]) - min(rect[2], other[2])) if layer == "met3" else 1.0

    items = [RoutedVia("met3", "M3M4_PR", 5.0, 5.0)]
    spacings = {"met3": 0.3}
    patches = same_net_patches(items, [], {"met3": 0.3}, spacings, MET3_STACK, {"met3": 0.24}, {"met3": True}, room)
    assert len(patches) == 1 and patches[0].x1 == pytest.approx(5.19) and patches[0].x0 < 4.81 - 0.3
    both = same_net_patches(items, [], {"met3": 0.3}, spacings, MET3_STACK, {"met3": 0.24}, {"met3": True})
    assert min(room("met3", (p.x0, p.y0, p.x1, p.y1)) for p in both) < 0.3  # without `room`: both ends


def lengthened_along_the_track(pads, obstacles=()):
    """Lone met3 pads (RoutedVia M3M4_PR, one net each) lengthened as the router does: in order along
    the track, with the room left by the obstacles and the pads before; every net's met3 rectangles."""
    index = {"met3": RectIndex()}
    for rect in obstacles:
        index["met3"].add(rect, -1)
    short = []
    for k, pad in enumerate(pads):
        rect = next(r for layer, r in item_rects(pad, {}, MET3_STACK) if layer == "met3")
        index["met3"].add(rect, k)
        short.append(("met3", rect, k))
    placed = lengthen_along_tracks(short[::-1], {"met3": 0.24}, {"met3": True}, {"met3": 0.3}, index, 2.0)
    return [[s[1]] + [(p.x0, p.y0, p.x1, p.y1) for owner, p in placed if owner == k] for k, s in enumerate(short)]


def nearest(a, b):
    return min(gap(r, s) for r in a for s in b)


def area_of(rects):
    return sum((r[2] - r[0]) * (r[3] - r[1]) for r in rects)


def test_via_stacks_in_a_row_leave_each_other_room_to_grow():
    # tc4x4_sky130's 4 met3 violations: the first pad grew on both ends, towards the second, which then
    # had room on neither side (here a power-grid via stack 0.44 um right of it): 0.19 um between them
    grid_via = (6.55, 4.76, 8.15, 5.24)
    a, b = lengthened_along_the_track([RoutedVia("met3", "M3M4_PR", x, 5.0) for x in (5.0, 5.92)], [grid_via])
    assert nearest(a, b) >= 0.3 - 1e-9 and nearest(b, [grid_via]) >= 0.3 - 1e-9
    assert area_of(a) >= 0.24 - 1e-9 and area_of(b) >= 0.24 - 1e-9
    # picorv32_axi's: three stacks two columns apart, a wire 0.565 um right of the last (room for 0.265 um)
    wire = (6.985, 4.85, 9.0, 5.15)
    row = lengthened_along_the_track([RoutedVia("met3", "M3M4_PR", x, 5.0) for x in (4.08, 5.0, 5.92)], [wire])
    for k, shapes in enumerate(row):
        others = [r for j, s in enumerate(row) if j != k for r in s] + [wire]
        assert nearest(shapes, others) >= 0.3 - 1e-9 and area_of(shapes) >= 0.24 - 1e-9


def test_a_lengthened_via_stack_leaves_no_step_at_its_corners():
    # SKY130's stack: M2M3_PR's met3 pad 0.33 x 0.33 um, M3M4_PR's 0.38 x 0.32: a patch beside their box
    # only left 5 nm steps at its corners (tc4x4_sky130: 744 m3.1 and 2,873 m3.2 markers)
    import klayout.db as db

    vias = {"M2M3_PR": (("met3", (-0.165, -0.165, 0.165, 0.165)),),
            "M3M4_PR": (("met3", (-0.19, -0.16, 0.19, 0.16)),)}
    items = [RoutedVia("met3", "M2M3_PR", 5.0, 5.0), RoutedVia("met3", "M3M4_PR", 5.0, 5.0)]
    patches = same_net_patches(items, [], {"met3": 0.3}, {"met3": 0.3}, vias, {"met3": 0.24}, {"met3": True})
    region = db.Region()
    for item in items + patches:
        for _, rect in item_rects(item, {"met3": 0.3}, vias):
            region.insert(db.Box(*(round(v * 1000) for v in rect)))
    region.merge()
    assert region.count() == 1 and region.area() >= 240_000
    assert region.space_check(300).count() == 0 and region.width_check(300).count() == 0


def test_a_pad_boxed_in_on_both_ends_splits_its_growth_unevenly():
    # room for 0.1 um more on the left and 0.3 um on the right: neither both ends (0.175 each) nor one end
    # (0.35) fits, 0.07 left and 0.28 right does
    left, right = (4.0, 4.8, 4.41, 5.2), (5.79, 4.8, 6.5, 5.2)
    (shapes,) = lengthened_along_the_track([RoutedVia("met3", "M3M4_PR", 5.0, 5.0)], [left, right])
    assert nearest(shapes, [left, right]) >= 0.3 - 1e-9 and area_of(shapes) >= 0.24 - 1e-9


def test_a_pad_with_too_little_room_at_its_ends_also_widens_across_the_track():
    # tc4x4_sky130's last m3.2: 0.25 um of room in all beyond the pad's ends (less than the 0.35 um a
    # 0.33 um wide pad needs); the next met3 tracks (0.68 um away) hold wires 0.3 um wide: a patch
    # widened to 0.45 um needs 0.155 um more length, which fits
    left, right = (4.0, 4.8, 4.51, 5.2), (5.74, 4.8, 6.5, 5.2)
    below, above = (3.0, 4.17, 7.0, 4.47), (3.0, 5.53, 7.0, 5.83)
    (shapes,) = lengthened_along_the_track([RoutedVia("met3", "M3M4_PR", 5.0, 5.0)], [left, right, below, above])
    patch = max(shapes, key=lambda r: area_of([r]))  # the patch covers the pad's whole box
    assert nearest(shapes, [left, right, below, above]) >= 0.3 - 1e-9 and area_of([patch]) >= 0.24 - 1e-9
    assert patch[3] - patch[1] > 0.33 + 1e-9  # wider than the pad


def test_corners_of_one_net_diagonally_too_near_are_bridged():
    # tc4x4_sky130's m1.2 case: an access via's met1 pad and a met1-met2 via pad of the same net, their
    # corners 0.095 um apart in x and y (0.134 um < 0.14): the closing leaves it, a bridge joins them
    import klayout.db as db

    vias = {"L1M1_PR": (("met1", (-0.145, -0.115, 0.145, 0.115)),),
            "M1M2_PR": (("met1", (-0.16, -0.13, 0.16, 0.13)),)}
    items = [RoutedVia("met1", "L1M1_PR", 907.29, 209.27), RoutedVia("met1", "M1M2_PR", 906.89, 209.61)]
    patches = same_net_patches(items, [], {"met1": 0.14}, {"met1": 0.14}, vias)
    assert patches
    region = db.Region()
    for item in items + patches:
        for _, rect in item_rects(item, {"met1": 0.14}, vias):
            region.insert(db.Box(*(round(v * 1000) for v in rect)))
    region.merge()
    assert region.count() == 1
    assert region.space_check(140).count() == 0 and region.width_check(140).count() == 0
    # where the bridge would come too near another net's metal, it is left out
    assert same_net_patches(items, [], {"met1": 0.14}, {"met1": 0.14}, vias, room=lambda layer, rect: 0.1) == []

"""Floorplan: core sizing, macro columns with pins facing the core, pin spreading, impossible cases."""

import pytest

from tapeout.pnr.errors import FloorplanError
from tapeout.pnr.floorplan.floorplan import pack_macros, plan_core, spread_pins

ROW, SITE = 2.72, 0.46


def test_core_area_follows_utilization_and_aspect():
    w, h = plan_core(6000.0, [], 0.6, 1.0, 0.0, ROW, SITE)
    assert w * h >= 10000.0
    assert w * h < 10000.0 * 1.1
    assert abs(w / SITE - round(w / SITE)) < 1e-6 and abs(h / ROW - round(h / ROW)) < 1e-6
    w2, h2 = plan_core(6000.0, [], 0.6, 2.0, 0.0, ROW, SITE)
    assert h2 / w2 == pytest.approx(2.0, rel=0.05)


def test_macros_with_halo_add_to_the_core():
    w, h = plan_core(6000.0, [(40.0, 30.0)], 0.6, 1.0, 5.0, ROW, SITE)
    assert w * h >= 10000.0 + 50 * 40


def test_core_is_as_wide_as_the_widest_cell_and_keeps_the_area():
    # One 7.36 um flop at utilisation 0.6: the square core would be 4.9 um wide.
    w, h = plan_core(20.0, [], 0.6, 1.0, 0.0, ROW, SITE, min_width=7.36)
    assert w == pytest.approx(7.36) and h == pytest.approx(2 * ROW)
    assert plan_core(6000.0, [], 0.6, 1.0, 0.0, ROW, SITE, min_width=7.36) == plan_core(6000.0, [], 0.6, 1.0,
                                                                                          0.0, ROW, SITE)


def test_design_without_cells_gets_one_site_and_one_row():
    assert plan_core(0.0, [], 0.6, 1.0, 0.0, ROW, SITE) == (pytest.approx(SITE), pytest.approx(ROW))


def test_utilization_over_one_is_impossible():
    with pytest.raises(FloorplanError, match="impossible floorplan: target_utilization 1.2 is over 1"):
        plan_core(100.0, [], 1.2, 1.0, 0.0, ROW, SITE)


def test_macro_pair_faces_the_channel():
    core = (10.0, 10.0, 210.0, 210.0)
    (x1, y1, o1), (x2, y2, o2) = pack_macros(["a", "b"], [(80.0, 60.0), (80.0, 60.0)], core, 5.0, ROW, SITE)
    assert (o1, o2) == ("N", "FS")
    assert y1 + 60 <= 210 - 5 + 1e-9 and y2 >= 10 + 5 - 1e-9  # top and bottom of the core, inside halos
    assert x1 == x2 and x1 >= 15 - 1e-9
    assert abs((y1 - 10) / ROW - round((y1 - 10) / ROW)) < 1e-6


def test_macro_too_big_is_impossible():
    with pytest.raises(FloorplanError, match=r"impossible floorplan: macro big \(300.0 x 60.0 um plus a 5 um halo\) "
                                         r"does not fit the 200.0 x 200.0 um core"):
        pack_macros(["big"], [(300.0, 60.0)], (0.0, 0.0, 200.0, 200.0), 5.0, ROW, SITE)


def test_pins_spread_in_bus_order_along_sides():
    groups = [[(0, "a[0]"), (1, "a[1]")], [(2, "b")]]
    spots = spread_pins(groups, ("right",), (0.0, 0.0, 30.0, 30.0))
    assert [s.pin for s in spots] == [0, 1, 2]
    assert [s.y for s in spots] == pytest.approx([5.0, 15.0, 25.0])
    assert {s.x for s in spots} == {30.0} and {s.layer for s in spots} == {"met3"}
    two = spread_pins(groups, ("bottom", "top"), (0.0, 0.0, 30.0, 30.0))
    assert [s.side for s in two] == ["bottom", "bottom", "top"]

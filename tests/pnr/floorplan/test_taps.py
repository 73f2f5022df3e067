"""Well taps: every point of every row within reach of a tap, staggered rows, out of macro halos, left out
of the placement rows, and a placement and fill around them that never covers one."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tapeout.pnr.finish.fill import fill_rows, occupied_sites
from tapeout.pnr.floorplan.floorplan import Floorplan, MacroBlock
from tapeout.pnr.floorplan.from_netlist import add_taps, free_row_segments
from tapeout.pnr.floorplan.rows import RowSegments
from tapeout.pnr.floorplan.taps import TapCell, farthest_from_tap, place_taps, rows_between_taps, segment_taps

ROW, SITE, TAP, REACH = 2.72, 0.46, 0.46, 14.0


def one_row(a, b, row=0):
    return RowSegments(np.array([row]), np.array([a]), np.array([b]), np.array([0, 1] if row == 0 else [0, 0, 1]),
                       np.array([0.0, ROW][:row + 1]))


@settings(max_examples=200, deadline=None)
@given(sites=st.integers(1, 400), odd=st.booleans(), reach=st.sampled_from([2.0, 7.0, 14.0]))
def test_every_point_of_a_stretch_is_within_reach(sites, odd, reach):
    a, b = 3.0, 3.0 + sites * SITE
    xs = segment_taps(a, b, a + (reach if odd else TAP / 2), reach, TAP, SITE)
    assert xs == sorted(set(xs))
    for x in xs:  # on the site grid, inside the stretch
        assert a - 1e-9 <= x and x + TAP <= b + 1e-9
        assert abs((x - a) / SITE - round((x - a) / SITE)) < 1e-6
    centres = np.array(xs) + TAP / 2
    points = np.linspace(a, b, 2001)
    assert np.abs(points[:, None] - centres[None, :]).min(axis=1).max() <= reach + 1e-9
    taps = [TapCell(0, x, 0.0) for x in xs]
    assert farthest_from_tap(one_row(a, b), taps, TAP) <= reach + 1e-9


def test_checkerboard_a_tap_every_twice_the_reach_odd_rows_shifted():
    even = segment_taps(0.0, 100.0, TAP / 2, REACH, TAP, SITE)
    odd = segment_taps(0.0, 100.0, REACH, REACH, TAP, SITE)
    assert even[0] == 0.0 and odd[0] + TAP / 2 == pytest.approx(REACH, abs=SITE)
    assert np.diff(even[:-1]) == pytest.approx(27.6)  # 2 x 14 um, snapped down to the 0.46 um sites
    assert even[-1] + TAP == pytest.approx(100.0, abs=SITE)  # the row's end, 17 um past the last grid tap
    assert len(even) == 5 and len(odd) == 4


def test_a_stretch_narrower_than_the_tap_gets_none():
    assert segment_taps(0.0, 0.3, 0.23, REACH, TAP, SITE) == []


def test_farthest_from_tap_sees_a_missing_tap_and_a_wide_gap():
    segments = RowSegments(np.array([0, 0]), np.array([0.0, 50.0]), np.array([40.0, 90.0]), np.array([0, 2]),
                           np.array([0.0]))
    taps = [TapCell(0, 0.0, 0.0), TapCell(0, 30.0, 0.0)]
    assert farthest_from_tap(segments, taps, TAP) == math.inf  # nothing in [50, 90]
    taps.append(TapCell(0, 60.0, 0.0))
    assert farthest_from_tap(segments, taps, TAP) == pytest.approx(90.0 - 60.23)


def plan_with_macro(halo=5.0):
    core = (10.0, 10.0, 10.0 + 200 * SITE, 10.0 + 30 * ROW)
    macro = MacroBlock(0, "ram", 10.0 + 20 * SITE, 10.0 + 10 * ROW, 40.0, 30.0, "N")
    return Floorplan((0, 0, core[2] + 10, core[3] + 10), core, ROW, SITE, halo, [macro])


def test_taps_cover_every_row_and_stay_out_of_macro_halos():
    plan = plan_with_macro()
    add_taps(plan, "sky130_fd_sc_hd__tapvpwrvgnd_1", TAP, REACH)
    assert plan.tap_master == "sky130_fd_sc_hd__tapvpwrvgnd_1" and plan.tap_width == TAP
    assert farthest_from_tap(free_row_segments(plan), plan.taps, TAP) <= REACH
    m, h = plan.macros[0], plan.halo
    for t in plan.taps:
        assert t.y == pytest.approx(plan.core[1] + t.row * ROW)
        clear = t.x + TAP <= m.x - h + 1e-9 or t.x >= m.x + m.width + h - 1e-9 \
            or t.y + ROW <= m.y - h + 1e-9 or t.y >= m.y + m.height + h - 1e-9
        assert clear, t
    rows_by_parity = {r % 2: min(t.x for t in plan.taps if t.row == r) for r in (0, 1)}
    assert rows_by_parity[1] - rows_by_parity[0] == pytest.approx(REACH - TAP / 2, abs=SITE)  # staggered
    with_taps = [t.row for t in plan.taps]
    assert set(with_taps) == set(range(plan.rows))  # every row, beside the macro too


def test_placement_rows_are_the_rows_minus_the_taps():
    plan = plan_with_macro()
    add_taps(plan, "tap", TAP, REACH)
    rows = rows_between_taps(plan.core, plan.rows, ROW, plan.taps, TAP)
    for r in range(plan.rows):
        y = plan.core[1] + r * ROW
        sub = rows[rows[:, 0] == y]
        taps = [t.x for t in plan.taps if t.row == r]
        assert (sub[:, 2] - sub[:, 1]).sum() + TAP * len(taps) == pytest.approx(plan.core[2] - plan.core[0])
        for x in taps:
            assert not ((sub[:, 1] < x + TAP - 1e-9) & (sub[:, 2] > x + 1e-9)).any()


def test_a_placement_and_its_fill_keep_off_the_taps():
    import dataclasses

    from tapeout.pnr.floorplan.rows import row_segments
    from tapeout.pnr.place.legality import check_legality
    from tapeout.pnr.place.placer import place
    from tapeout.pnr.place.synthetic import synthetic_problem

    problem = synthetic_problem(300, seed=3, utilisation=0.6, n_macros=1, halo=2.0)
    taps = place_taps(row_segments(problem), REACH, TAP, SITE)
    assert farthest_from_tap(row_segments(problem), taps, TAP) <= REACH
    rows = rows_between_taps(problem.core, problem.n_rows, ROW, taps, TAP)
    result = place(dataclasses.replace(problem, rows=rows), seed=3, method="eplace", routability=False)
    x, y = result.x, result.y
    assert check_legality(dataclasses.replace(problem, rows=rows), x, y) == []
    cells = np.flatnonzero(problem.width > 0)
    for t in taps:
        apart = (x[cells] + problem.width[cells] <= t.x + 1e-9) | (x[cells] >= t.x + TAP - 1e-9) \
            | (y[cells] + problem.height[cells] <= t.y + 1e-9) | (y[cells] >= t.y + ROW - 1e-9)
        assert apart.all(), t

    sites = int(round((problem.core[2] - problem.core[0]) / SITE))
    plan = Floorplan(problem.core, problem.core, ROW, SITE, problem.halo, [], [], 0.0, taps, "tap", TAP)
    assert plan.sites == sites
    boxes = [(x[c], y[c], problem.width[c], problem.height[c]) for c in cells]
    tap_sites = occupied_sites(plan, [(t.x, t.y, TAP, ROW) for t in taps])
    taken = occupied_sites(plan, boxes + [(t.x, t.y, TAP, ROW) for t in taps])
    fills = fill_rows(plan, taken, [("DECAP_4", 4), ("FILL_1", 1)])
    cover = taken.astype(int)
    for f in fills:
        width = 4 if f.master == "DECAP_4" else 1
        assert not tap_sites[f.row, f.site:f.site + width].any()
        cover[f.row, f.site:f.site + width] += 1
    assert (cover == 1).all()


def test_sky130_floorplans_get_taps_tap130_none(sky130):
    from tapeout.pnr.floorplan.from_netlist import cell_lef_macros
    from tapeout.tech.tap130 import tap130

    assert tap130().tap_cell is None  # tap130's cells tie their own wells
    assert sky130.tap_cell == "sky130_fd_sc_hd__tapvpwrvgnd_1" and sky130.tap_pitch_um == 14.0
    lef = cell_lef_macros(sky130)[sky130.tap_cell]
    assert (lef.width, lef.height) == (pytest.approx(0.46), pytest.approx(2.72))

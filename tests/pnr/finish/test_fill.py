"""Filler and decap cells cover every empty site exactly once."""

import numpy as np
import pytest

from tapeout.pnr.finish.fill import fill_rows, free_runs, macro_halo_sites, occupied_sites
from tapeout.pnr.floorplan.floorplan import Floorplan, MacroBlock

MASTERS = [("DECAP_12", 12), ("DECAP_3", 3), ("FILL_8", 8), ("FILL_2", 2), ("FILL_1", 1)]


def plan(rows=4, sites=40, macros=()):
    return Floorplan((0, 0, 30, 20), (5.0, 2.0, 5.0 + sites * 0.5, 2.0 + rows * 2.5), 2.5, 0.5, 1.0, list(macros))


def test_free_runs():
    assert free_runs(np.array([True, False, False, True, False])) == [(1, 2), (4, 1)]
    assert free_runs(np.zeros(3, dtype=bool)) == [(0, 3)]
    assert free_runs(np.ones(3, dtype=bool)) == []


def test_every_empty_site_is_filled_once_widest_first():
    p = plan()
    cells = [(5.0, 2.0, 3.0, 2.5), (12.0, 4.5, 1.0, 2.5), (5.0 + 39 * 0.5, 9.5, 0.5, 2.5)]  # x, y, w, h um
    taken = occupied_sites(p, cells)
    assert taken.sum() == 6 + 2 + 1
    fills = fill_rows(p, taken, MASTERS)
    cover = taken.astype(int)
    widths = dict(MASTERS)
    for f in fills:
        cover[f.row, f.site:f.site + widths[f.master]] += 1
        assert f.x == pytest.approx(5.0 + f.site * 0.5) and f.y == pytest.approx(2.0 + f.row * 2.5)
        assert f.orient == ("N" if f.row % 2 == 0 else "FS")
    assert (cover == 1).all()
    row0 = [f.master for f in fills if f.row == 0]
    assert row0 == ["DECAP_12", "DECAP_12", "FILL_8", "FILL_2"]  # 34 free sites, widest first
    assert fills[0].site == 6


def test_macros_take_their_rows():
    p = plan(macros=[MacroBlock(0, "ram", 10.0, 2.0, 5.0, 5.0, "N")])
    taken = occupied_sites(p, [(m.x, m.y, m.width, m.height) for m in p.macros])
    assert taken[:2, 10:20].all() and not taken[2:].any() and not taken[:2, :10].any()


def test_a_gap_no_master_fits_is_an_error():
    p = plan(rows=1, sites=5)
    with pytest.raises(ValueError, match="row 0: 1 site"):
        fill_rows(p, np.zeros((1, 5), dtype=bool), [("FILL_2", 2)])


def test_no_filler_in_a_macro_halo():
    """A macro at the core's left edge plus its 1 um halo: the halo's sites (2 of 0.5 um on each side,
    in every row the grown macro touches) are not filled; everything else is."""
    ram = MacroBlock(0, "ram", 6.0, 2.0, 4.0, 5.0, "N")  # rows 0-1, sites 2-9; with the halo rows 0-2, sites 0-11
    p = plan(macros=[ram])
    taken = occupied_sites(p, [(ram.x, ram.y, ram.width, ram.height)])
    halo = macro_halo_sites(p) & ~taken
    assert taken.sum() == 2 * 8 and halo.sum() == 3 * 12 - 2 * 8
    fills = fill_rows(p, taken | halo, MASTERS)
    widths = dict(MASTERS)
    filled = np.zeros_like(taken)
    for f in fills:
        filled[f.row, f.site:f.site + widths[f.master]] = True
    assert not (filled & halo).any() and (filled | taken | halo).all()

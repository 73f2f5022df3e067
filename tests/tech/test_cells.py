import numpy as np
import pytest

from tapeout.tech.cells import FAMILIES, build_cell, build_cells

REQUIRED = ["INV", "BUF", "NAND2", "NAND3", "NOR2", "NOR3", "AND2", "OR2", "XOR2", "XNOR2",
            "MUX2", "AOI21", "OAI21", "FA", "HA", "DFF", "DFFR", "CLKBUF"]


def family(name):
    return next(f for f in FAMILIES if f.base == name)


def test_every_required_family_has_two_or_more_drives():
    names = {c.name for c in build_cells()}
    for base in REQUIRED:
        assert f"{base}_1" in names and f"{base}_2" in names, base
    for base in ("INV", "BUF"):
        assert f"{base}_4" in names


def test_sky130_areas():
    assert build_cell(family("NAND2"), 1).area_um2 == pytest.approx(3.7536)
    assert build_cell(family("DFF"), 1).area_um2 == pytest.approx(20.0192)
    assert build_cell(family("FA"), 1).area_um2 == pytest.approx(20.0192)


def test_stronger_drive_is_faster_at_high_load_and_has_more_input_cap():
    inv1, inv4 = build_cell(family("INV"), 1), build_cell(family("INV"), 4)
    assert inv4.inputs["A"] == pytest.approx(4 * inv1.inputs["A"])
    assert inv4.max_capacitance_pf == pytest.approx(4 * inv1.max_capacitance_pf)
    # At the same absolute load the _4 cell is faster.
    d1 = inv1.arcs[0].tables["rise"].delay[2, -1]
    from tapeout.tech.nldm import interpolate
    d4 = interpolate([0], inv4.arcs[0].loads_pf, inv4.arcs[0].tables["rise"].delay[2:3],
                     0, inv1.arcs[0].loads_pf[-1])
    assert d4 < d1


def test_tables_are_monotone():
    for cell in build_cells():
        for arc in cell.arcs:
            for t in arc.tables.values():
                assert np.all(np.diff(t.delay, axis=1) > 0), cell.name
                assert np.all(np.diff(t.slew, axis=1) > 0), cell.name


def test_flop_has_setup_hold_and_clear_arcs():
    dffr = build_cell(family("DFFR"), 1)
    kinds = [c.timing_type for c in dffr.constraints["D"]] + \
            [c.timing_type for c in dffr.constraints["RESET_B"]]
    assert kinds == ["setup_rising", "hold_rising", "recovery_rising", "removal_rising"]
    clear = next(a for a in dffr.arcs if a.timing_type == "clear")
    assert list(clear.tables) == ["fall"]
    cq = next(a for a in dffr.arcs if a.timing_type == "rising_edge")
    assert 0.2 < cq.tables["rise"].delay[0, 2] < 0.4


def test_bad_drive():
    with pytest.raises(ValueError, match=r"drive must be one of \[1, 2, 4\] for INV, not 3"):
        build_cell(family("INV"), 3)

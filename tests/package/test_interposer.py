import itertools

import pytest

from tapeout.package.errors import InterposerOverflowError
from tapeout.package.interposer import (
    COMPONENT_GAP_MM,
    EDGE_MARGIN_MM,
    check_interposer,
    interposer_type,
    layout_package,
)

HBM = (11.0, 11.0)


def _overlap(a, b):
    return (a.x_mm < b.x_mm + b.width_mm and b.x_mm < a.x_mm + a.width_mm
            and a.y_mm < b.y_mm + b.height_mm and b.y_mm < a.y_mm + a.height_mm)


def _check_geometry(layout):
    for p in layout.placements:
        assert p.x_mm >= EDGE_MARGIN_MM - 1e-9 and p.y_mm >= EDGE_MARGIN_MM - 1e-9
        assert p.x_mm + p.width_mm <= layout.width_mm - EDGE_MARGIN_MM + 1e-9
        assert p.y_mm + p.height_mm <= layout.height_mm - EDGE_MARGIN_MM + 1e-9
    for a, b in itertools.combinations(layout.placements, 2):
        assert not _overlap(a, b), (a, b)


def test_h100_like_layout_one_column_each_side():
    # 3 + 2 stacks in single columns: 3 x 11 + 2 x 0.5 = 34 mm tall beats a 32.1 mm die.
    layout = layout_package(interposer_type("cowos-s"), 1, 25.32, 32.14, 5, HBM)
    _check_geometry(layout)
    assert layout.hbm_columns_per_side == 1
    assert layout.width_mm == pytest.approx(2 * EDGE_MARGIN_MM + 2 * 11 + 2 * COMPONENT_GAP_MM + 25.32)
    assert layout.height_mm == pytest.approx(2 * EDGE_MARGIN_MM + 34.0)
    assert [p.kind for p in layout.placements].count("hbm") == 5
    assert layout.fits


def test_b200_like_layout_two_columns_each_side():
    # 4 + 4 stacks: two columns of two (22.5 mm) fit beside 32.1 mm dies, smaller than 45.5 mm columns.
    layout = layout_package(interposer_type("cowos-l"), 2, 25.0, 32.0, 8, HBM)
    _check_geometry(layout)
    assert layout.hbm_columns_per_side == 2
    assert layout.height_mm == pytest.approx(34.0)
    assert layout.width_mm == pytest.approx(2 + 2 * (22.5 + 0.5) + 2 * 25.0 + 0.5)
    assert layout.area_mm2 == pytest.approx(layout.width_mm * 34.0)


def test_overflow_message_suggests_larger_interposers():
    layout = layout_package(interposer_type("cowos-s"), 2, 25.0, 32.0, 8, HBM)
    with pytest.raises(InterposerOverflowError) as info:
        check_interposer(layout)
    assert str(info.value) == (
        "interposer 98.5 x 34.0 mm = 3349.0 mm2 exceeds the cowos-s limit of 2831 mm2 "
        "(3.3 x reticle) by 517.6 mm2; use cowos-r or cowos-l (up to 3432 mm2), or fewer HBM "
        "stacks or smaller dies")


def test_overflow_message_without_larger_interposer():
    layout = layout_package(interposer_type("cowos-l"), 4, 25.0, 32.0, 16, HBM)
    with pytest.raises(InterposerOverflowError, match=r"^interposer 172.5 x 36.0 mm = 6210.0 mm2 "
                                                      r"exceeds the cowos-l limit of 3432 mm2 "
                                                      r"\(4.0 x reticle\) by 2778.0 mm2; use fewer "
                                                      r"HBM stacks or smaller dies, or split the "
                                                      r"system over several packages$"):
        check_interposer(layout)


def test_monolithic():
    kind = interposer_type("Monolithic")
    layout = layout_package(kind, 1, 20.0, 25.0)
    assert layout.area_mm2 == 0.0 and layout.fits
    with pytest.raises(ValueError, match=r"^a monolithic package cannot hold HBM stacks, not 2; "
                                         r"choose cowos-s, cowos-r or cowos-l$"):
        layout_package(kind, 1, 20.0, 25.0, 2)
    with pytest.raises(ValueError, match=r"^a monolithic package holds one die, not 2; choose "
                                         r"cowos-s, cowos-r or cowos-l for several dies$"):
        layout_package(kind, 2, 20.0, 25.0)


def test_limits_and_bad_names():
    assert interposer_type("CoWoS-S").max_area_mm2 == pytest.approx(3.3 * 858)
    assert interposer_type("cowos-l").max_area_mm2 == 4 * 858
    with pytest.raises(ValueError, match=r"^interposer must be one of monolithic, cowos-s, "
                                         r"cowos-r, cowos-l, not 'emib'$"):
        interposer_type("emib")
    with pytest.raises(ValueError, match=r"^hbm_stacks must be a non-negative integer, not -2$"):
        layout_package(interposer_type("cowos-s"), 1, 20.0, 25.0, -2)

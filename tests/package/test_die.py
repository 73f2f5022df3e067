import pytest

from tapeout.package.die import (
    NVLINK_PHY_AREA_MM2,
    RETICLE_AREA_MM2,
    SRAM_ARRAY_EFFICIENCY,
    check_reticle,
    compose_die,
    sram_area_mm2,
)
from tapeout.package.errors import ReticleLimitError
from tapeout.package.nodes import ScaledBlock

ONE_MM2_TILE = ScaledBlock(logic_area_um2=1e6, sram_area_um2=0.0, fmax_mhz=1000.0, power_mw=10.0)


def test_reticle_is_26_by_33():
    assert RETICLE_AREA_MM2 == 858.0


def test_sram_area():
    # 50 MB = 419,430,400 bits x 0.021 um2 / 0.65 = 13.55 mm2 at N5.
    assert sram_area_mm2(50, "N5") == pytest.approx(50 * 8 * 2 ** 20 * 0.021 / SRAM_ARRAY_EFFICIENCY / 1e6)
    assert sram_area_mm2(50, "N5") == pytest.approx(13.55, abs=0.01)


def test_compose_from_tile_count():
    die = compose_die(ONE_MM2_TILE, "N5", tiles=100, sram_mb=50, hbm_phys=2,
                      hbm_phy_area_mm2=11.0, nvlink_phys=4, overhead_fraction=0.2)
    core = 100 + sram_area_mm2(50, "N5") + 22 + 4 * NVLINK_PHY_AREA_MM2
    assert die.area_mm2 == pytest.approx(core / 0.8)
    parts = (die.tiles_area_mm2 + die.sram_area_mm2 + die.hbm_phy_area_mm2
             + die.nvlink_phy_area_mm2 + die.overhead_area_mm2)
    assert parts == pytest.approx(die.area_mm2)
    # Default outline has the reticle's 33/26 aspect.
    assert die.height_mm / die.width_mm == pytest.approx(33 / 26)
    assert die.power_w == pytest.approx(1.0)


def test_compose_from_target_area_fills_tiles():
    die = compose_die(ONE_MM2_TILE, "N5", target_area_mm2=814.0, sram_mb=50, hbm_phys=5,
                      hbm_phy_area_mm2=11.0, nvlink_phys=18, overhead_fraction=0.15)
    room = 814 * 0.85 - sram_area_mm2(50, "N5") - 55 - 18 * NVLINK_PHY_AREA_MM2
    assert die.tiles == int(room)
    assert die.area_mm2 == pytest.approx(814.0)
    assert die.fits_reticle
    assert 0 <= die.overhead_area_mm2 - 814 * 0.15 < 1.0


def test_reticle_violation_message():
    die = compose_die(ONE_MM2_TILE, "N5", target_area_mm2=1200.0)
    assert not die.fits_reticle
    with pytest.raises(ReticleLimitError) as info:
        check_reticle(die)
    assert str(info.value) == ("die area 1200.0 mm2 exceeds the 26 x 33 mm reticle (858 mm2) by "
                               "342.0 mm2 (39.9 %); split it into 2 chiplets of about 600 mm2 each")


def test_outline_violation_message():
    # 800 mm2 at aspect 3: 16.3 x 49.0 mm. Fits for 800/26^2 = 1.18 <= aspect <= 33^2/800 = 1.36.
    die = compose_die(ONE_MM2_TILE, "N5", target_area_mm2=800.0, aspect=3.0)
    with pytest.raises(ReticleLimitError, match=r"^die 16.3 x 49.0 mm \(800.0 mm2\) does not fit "
                                                r"the 26 x 33 mm reticle in either orientation; use "
                                                r"an aspect ratio \(height/width\) from 1.18 to "
                                                r"1.36$"):
        check_reticle(die)
    check_reticle(compose_die(ONE_MM2_TILE, "N5", target_area_mm2=800.0, aspect=1.3))


def test_bad_inputs():
    with pytest.raises(ValueError, match=r"^give exactly one of tiles and target_area_mm2, not "
                                         r"tiles=None and target_area_mm2=None$"):
        compose_die(ONE_MM2_TILE, "N5")
    with pytest.raises(ValueError, match=r"^tiles must be a positive integer, not 0$"):
        compose_die(ONE_MM2_TILE, "N5", tiles=0)
    with pytest.raises(ValueError, match=r"^target_area_mm2 20 leaves no room for one tensor tile "
                                         r"after SRAM, PHYs and overhead; it must be at least "
                                         r"27.1 mm2$"):
        compose_die(ONE_MM2_TILE, "N5", target_area_mm2=20.0, hbm_phys=2, hbm_phy_area_mm2=11.0)

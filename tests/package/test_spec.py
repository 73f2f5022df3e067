import pytest

from tapeout.package.spec import PackageSpec, TileFigures


def test_defaults_are_valid():
    spec = PackageSpec(tiles_per_die=10)
    assert (spec.node, spec.dies, spec.interposer, spec.yield_model) == \
        ("N4", 1, "cowos-s", "negative_binomial")


@pytest.mark.parametrize("kwargs, message", [
    (dict(), r"give exactly one of tiles_per_die and die_area_mm2, not tiles_per_die=None and "
             r"die_area_mm2=None"),
    (dict(tiles_per_die=1, die_area_mm2=100.0), r"give exactly one of tiles_per_die and "
                                                r"die_area_mm2, not tiles_per_die=1 and "
                                                r"die_area_mm2=100.0"),
    (dict(tiles_per_die=0), r"tiles_per_die must be a positive integer, not 0"),
    (dict(tiles_per_die=1, dies=0), r"dies must be a positive integer, not 0"),
    (dict(die_area_mm2=-5.0), r"die_area_mm2 must be a positive number, not -5.0"),
    (dict(tiles_per_die=1, hbm_stacks=-1), r"hbm_stacks must be a non-negative integer, not -1"),
    (dict(tiles_per_die=1, interposer="emib"), r"interposer must be one of monolithic, cowos-s, "
                                               r"cowos-r, cowos-l, not 'emib'"),
    (dict(tiles_per_die=1, yield_model="x"), r"yield_model must be one of poisson, murphy, "
                                             r"negative_binomial, not 'x'"),
    (dict(tiles_per_die=1, bond_yield=1.5), r"bond_yield must be a number above 0 and at most 1, "
                                            r"not 1.5"),
    (dict(tiles_per_die=1, overhead_fraction=1.0), r"overhead_fraction must be a number from 0 "
                                                   r"to below 1, not 1.0"),
    (dict(tiles_per_die=1, sram_mb=-1), r"sram_mb must be a non-negative number, not -1"),
    (dict(tiles_per_die=1, hbm_generation="HBM2E"), r"hbm_generation must be one of HBM3, HBM3E, "
                                                    r"HBM4, not 'HBM2E'"),
    (dict(tiles_per_die=1, tile_area_um2=9e5), r"give all of tile_area_um2, tile_fmax_mhz, tile_power_mw \(the "
                                               r"signed-off tile\) or none of them \(the tile then comes from the "
                                               r"flow's signoff\); tile_fmax_mhz, tile_power_mw missing"),
    (dict(tiles_per_die=1, tile_area_um2=9e5, tile_fmax_mhz=0, tile_power_mw=20.0),
     r"tile_fmax_mhz must be a positive number, not 0"),
    (dict(tiles_per_die=1, tile_area_um2=9e5, tile_fmax_mhz=110.0, tile_power_mw=20.0, tile_sram_area_um2=1e6),
     r"tile_sram_area_um2 must be a number from 0 to tile_area_um2 \(900000.0\), not 1000000.0"),
    (dict(tiles_per_die=1, tile_sram_area_um2=5.0), r"tile_sram_area_um2 goes with a stated tile: give "
                                                    r"tile_area_um2, tile_fmax_mhz and tile_power_mw too"),
])
def test_bad_spec(kwargs, message):
    with pytest.raises(ValueError, match="^" + message + "$"):
        PackageSpec(**kwargs)


def test_known_good_die_must_be_bool():
    with pytest.raises(TypeError, match=r"^known_good_die must be a bool, not 'yes'$"):
        PackageSpec(tiles_per_die=1, known_good_die="yes")


def test_tile_figures():
    tile = TileFigures(1000.0, 100.0, 1.0, macs=16)
    assert tile.node == "130nm" and tile.sram_area_um2 == 0.0
    with pytest.raises(ValueError, match=r"^macs must be a positive integer, not 0$"):
        TileFigures(1000.0, 100.0, 1.0, macs=0)
    with pytest.raises(ValueError, match=r"^sram_area_um2 must be a number from 0 to area_um2 "
                                         r"\(1000.0\), not 2000.0$"):
        TileFigures(1000.0, 100.0, 1.0, macs=16, sram_area_um2=2000.0)
    with pytest.raises(ValueError, match=r"^area_um2 must be a positive number, not 0$"):
        TileFigures(0, 100.0, 1.0, macs=16)


def test_stated_tile():
    spec = PackageSpec(tiles_per_die=1, tile_area_um2=9e5, tile_sram_area_um2=4e5, tile_fmax_mhz=110.0,
                       tile_power_mw=21.0)
    assert spec.states_tile and not PackageSpec(tiles_per_die=1).states_tile
    assert spec.stated_tile(16) == TileFigures(9e5, 110.0, 21.0, "130nm", macs=16, sram_area_um2=4e5)

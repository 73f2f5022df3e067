"""preset_check: the H100-like and B200-like presets reproduce the seed's headline figures.

Seed: ../shared/seed/000_ecfe29b84823e440.txt. H100: ~814 mm2 die, 5 HBM3 stacks, 80 GB at
3.35 TB/s, CoWoS-S. B200: two dies, HBM3e, 192 GB at 8 TB/s, CoWoS-L.
Tolerances: capacity exact; bandwidth within 1 %; die area within 1 %; both fit their limits.
"""

import tomllib
from pathlib import Path

import pytest

from tapeout.package.evaluate import evaluate_package
from tapeout.package.spec import PackageSpec

DESIGNS = Path(__file__).resolve().parents[2] / "designs"

# the tc4x4 tile as signed off (2026-12-02), stated in both presets
STATED_TILE = dict(tile_area_um2=979900.7, tile_sram_area_um2=503537.1, tile_fmax_mhz=110.29, tile_power_mw=21.56)
H100_LIKE = PackageSpec(node="N4", dies=1, die_area_mm2=814.0, sram_mb=50.0, nvlink_phys=18,
                        hbm_generation="HBM3", hbm_stacks=5, hbm_stack_height=8,
                        hbm_pin_rate_gbps=5.23, interposer="cowos-s", **STATED_TILE)
B200_LIKE = PackageSpec(node="4NP", dies=2, die_area_mm2=800.0, sram_mb=63.0, nvlink_phys=9,
                        hbm_generation="HBM3E", hbm_stacks=8, hbm_stack_height=8,
                        hbm_pin_rate_gbps=7.8, interposer="cowos-l", **STATED_TILE)


@pytest.mark.parametrize("name, spec", [("h100_like", H100_LIKE), ("b200_like", B200_LIKE)])
def test_preset_check_toml_matches(name, spec):
    table = tomllib.loads((DESIGNS / f"{name}.toml").read_text())["package"]
    assert PackageSpec(**table) == spec


def test_preset_check_h100_like(tile):
    r = evaluate_package(H100_LIKE, tile)
    assert r.die.area_mm2 == pytest.approx(814.0, rel=0.01)
    assert r.die.fits_reticle
    assert r.memory.capacity_gb == 80.0
    assert r.memory.bandwidth_tbps == pytest.approx(3.35, rel=0.01)
    assert r.layout.fits and r.layout.interposer.name == "cowos-s"
    # 814 mm2 on 300 mm: formula 63.5 gross without exclusion; 66 whole dies in the best grid
    # with 0.1 mm scribe and 3 mm edge exclusion.
    assert r.dies_per_wafer == 66
    assert r.die_yield == pytest.approx(0.47667, abs=1e-5)  # (1 + 0.814/4)^-4, D0 0.1 (N5)
    assert r.die_yield_by_model == pytest.approx(
        {"poisson": 0.44308, "murphy": 0.46809, "negative_binomial": 0.47667}, abs=1e-5)
    # Decode (2 ops/byte) sits orders of magnitude below the knee.
    assert r.roofline.knee_ops_per_byte / r.decode_intensity > 100


def test_preset_check_b200_like(tile):
    r = evaluate_package(B200_LIKE, tile)
    assert r.spec.dies == 2
    assert r.memory.capacity_gb == 192.0
    assert r.memory.bandwidth_tbps == pytest.approx(8.0, rel=0.01)
    assert r.die.area_mm2 == pytest.approx(800.0, rel=0.01)
    assert r.layout.fits and r.layout.interposer.name == "cowos-l"
    # Bigger than any CoWoS-S interposer: that is why B200 needs CoWoS-L.
    assert r.layout.area_mm2 > 3.3 * 858


@pytest.mark.parametrize("spec, datasheet_tops", [(H100_LIKE, 1979.0), (B200_LIKE, 4500.0)])
def test_stated_tile_gives_a_peak_near_the_product(spec, datasheet_tops):
    # tiles that fit the die x 16 MACs x 2 x the tile's Fmax scaled to 4N: H100 SXM 1,979 dense INT8 TOPS
    # (NVIDIA datasheet), B200 4.5 dense FP8 PFLOPS
    r = evaluate_package(spec, spec.stated_tile(16))
    assert r.peak_tops == pytest.approx(spec.dies * r.die.tiles * 16 * 2 * r.die.tile.fmax_mhz * 1e6 / 1e12)
    assert 0.85 * datasheet_tops < r.peak_tops < 1.05 * datasheet_tops

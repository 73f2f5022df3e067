import pytest

from tapeout.package.errors import InterposerOverflowError, ReticleLimitError
from tapeout.package.evaluate import evaluate_package
from tapeout.package.nodes import NODES
from tapeout.package.spec import PackageSpec


def test_tiles_mode_figures(tile):
    spec = PackageSpec(node="N7", dies=1, tiles_per_die=1000, hbm_generation="HBM3",
                       hbm_stacks=2, hbm_pin_rate_gbps=6.4, interposer="cowos-s")
    r = evaluate_package(spec, tile)
    fmax = 150.0 * NODES["7nm"].speed_rel
    assert r.die.tiles == 1000
    assert r.peak_tops == pytest.approx(1000 * 64 * 2 * fmax * 1e6 / 1e12)
    assert r.memory.bandwidth_tbps == pytest.approx(2 * 819.2 / 1000)
    assert r.roofline.knee_ops_per_byte == pytest.approx(r.peak_tops / r.memory.bandwidth_tbps)
    assert r.d0_per_cm2 == NODES["7nm"].d0_per_cm2
    assert r.good_die_cost_usd == pytest.approx(9346 / (r.dies_per_wafer * r.die_yield))
    m = r.metrics()
    assert set(m) == {
        "package__die_area__mm2", "package__reticle_fit__bool", "package__interposer_area__mm2",
        "package__peak__tops", "package__hbm_bandwidth__tbps", "package__hbm_capacity__gb",
        "package__dies_per_wafer__count", "package__yield__ratio",
        "package__cost_per_good_die__usd", "package__cost_per_good_package__usd"}
    assert m["package__hbm_capacity__gb"] == 32.0


def test_spec_overrides_node_defaults(tile):
    spec = PackageSpec(node="N5", tiles_per_die=100, interposer="monolithic", d0_per_cm2=0.0,
                       wafer_cost_usd=10000.0)
    r = evaluate_package(spec, tile)
    assert r.die_yield == 1.0
    assert r.good_die_cost_usd == pytest.approx(10000.0 / r.dies_per_wafer)
    assert r.layout.area_mm2 == 0.0 and r.interposers_per_wafer == 0
    assert r.memory.bandwidth_tbps == 0.0


def test_reticle_and_interposer_errors_propagate(tile):
    with pytest.raises(ReticleLimitError, match=r"split it into 2 chiplets"):
        evaluate_package(PackageSpec(die_area_mm2=1000.0), tile)
    with pytest.raises(InterposerOverflowError, match=r"exceeds the cowos-s limit"):
        evaluate_package(PackageSpec(dies=2, die_area_mm2=800.0, hbm_stacks=8,
                                     hbm_generation="HBM3E"), tile)


def test_type_checks(tile):
    with pytest.raises(TypeError, match=r"^spec must be a PackageSpec, not \{\}$"):
        evaluate_package({}, tile)

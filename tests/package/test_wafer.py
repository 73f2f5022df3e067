import math

import pytest

from tapeout.package.wafer import (
    cost_per_good_die,
    die_yield,
    die_yields,
    dies_per_wafer_formula,
    dies_per_wafer_grid,
    package_cost,
)


def test_dies_per_wafer_formula_hennessy_patterson_example():
    # Hennessy & Patterson, 5th ed., section 1.6: 300 mm wafer, 1.5 cm and 1.0 cm square dies
    # -> "270" and "640" dies (no scribe, no edge exclusion):
    # pi 30^2 / (4 x 2.25) - pi 30 / sqrt(4.5) = 314.16 - 44.43 = 269.73.
    assert dies_per_wafer_formula(15, 15, 300, 0, 0) == pytest.approx(269.73, abs=0.01)
    assert dies_per_wafer_formula(10, 10, 300, 0, 0) == pytest.approx(640.22, abs=0.01)


def test_dies_per_wafer_814mm2():
    # 814 mm2 (H100-like, seed): pi 300^2/(4 x 814) - pi 300/sqrt(1628) = 86.84 - 23.36 = 63.48.
    w, h = math.sqrt(814 * 26 / 33), math.sqrt(814 * 33 / 26)
    assert dies_per_wafer_formula(w, h, 300, 0, 0) == pytest.approx(63.48, abs=0.01)
    # Exact grid counts (checked against a brute-force corner test over the same offsets).
    assert dies_per_wafer_grid(w, h, 300, 0, 0) == 71
    assert dies_per_wafer_grid(w, h) == 66  # 0.1 mm scribe, 3 mm edge exclusion
    assert dies_per_wafer_grid(10, 10, 300, 0, 0) == 657


def test_grid_never_exceeds_wafer_area_and_shrinks_with_exclusion():
    for side in (5.0, 12.0, 28.0):
        n = dies_per_wafer_grid(side, side, 300, 0, 0)
        assert n * side * side <= math.pi * 150 ** 2
        assert dies_per_wafer_grid(side, side, 300, 0, 10) < n
    assert dies_per_wafer_grid(250, 250, 300, 0, 0) == 0


def test_yield_models_814mm2_d0_0p1():
    # A D0 = 8.14 cm2 x 0.1 = 0.814.
    # Poisson exp(-0.814) = 0.44308; Murphy ((1 - e^-0.814) / 0.814)^2 = 0.46809;
    # negative binomial alpha 3: (1 + 0.814/3)^-3 = 0.48666.
    assert die_yield(814, 0.1, "poisson") == pytest.approx(0.44308, abs=1e-5)
    assert die_yield(814, 0.1, "murphy") == pytest.approx(0.46809, abs=1e-5)
    assert die_yield(814, 0.1, "negative_binomial", 3.0) == pytest.approx(0.48666, abs=1e-5)


def test_default_is_hennessy_pattersons_negative_binomial():
    # (1 + 0.814/4)^-4 = 0.47667; die_yields gives every model at once
    assert die_yield(814, 0.1) == pytest.approx(0.47667, abs=1e-5)
    assert die_yields(814, 0.1) == pytest.approx(
        {"poisson": 0.44308, "murphy": 0.46809, "negative_binomial": 0.47667}, abs=1e-5)


def test_negative_binomial_hennessy_patterson_example():
    # H&P 5th ed.: D0 0.4/cm2, alpha 4: 2.25 cm2 -> 0.44, 1 cm2 -> 0.68.
    assert die_yield(225, 0.4, "negative_binomial", 4) == pytest.approx(0.444, abs=1e-3)
    assert die_yield(100, 0.4, "negative_binomial", 4) == pytest.approx(0.683, abs=1e-3)


def test_negative_binomial_tends_to_poisson():
    assert die_yield(500, 0.2, "negative_binomial", 1e6) == pytest.approx(
        die_yield(500, 0.2, "poisson"), rel=1e-5)
    assert die_yield(500, 0.0, "murphy") == 1.0


def test_cost_per_good_die():
    assert cost_per_good_die(16988, 66, 0.5) == pytest.approx(16988 / 33)


def test_package_cost_with_and_without_kgd():
    common = dict(good_die_cost_usd=500.0, raw_die_cost_usd=250.0, die_yield_ratio=0.5, dies=2,
                  hbm_stacks=8, hbm_cost_usd=2880.0, interposer_cost_usd=100.0,
                  interposer_yield=0.9, bond_yield=0.99, assembly_cost_usd=150.0)
    kgd = package_cost(**common)
    assert kgd.assembly_yield == pytest.approx(0.9 * 0.99 ** 10)
    assert kgd.bill_of_materials_usd == pytest.approx(2 * 500 + 2880 + 100 + 150)
    assert kgd.cost_per_good_package_usd == pytest.approx(4130 / (0.9 * 0.99 ** 10))
    blind = package_cost(**common, known_good_die=False)
    assert blind.assembly_yield == pytest.approx(0.9 * 0.99 ** 10 * 0.25)
    # Without test, bad dies scrap HBM and interposers too: dearer.
    assert blind.cost_per_good_package_usd > kgd.cost_per_good_package_usd


def test_bad_inputs():
    with pytest.raises(ValueError, match=r"^model must be one of poisson, murphy, "
                                         r"negative_binomial, not 'seeds'$"):
        die_yield(100, 0.1, "seeds")
    with pytest.raises(ValueError, match=r"^die_width_mm must be a positive number, not 0$"):
        dies_per_wafer_formula(0, 10)
    with pytest.raises(ValueError, match=r"^edge_exclusion_mm must be below half the wafer "
                                         r"diameter, not 150$"):
        dies_per_wafer_grid(10, 10, 300, 0, 150)
    with pytest.raises(ValueError, match=r"^yield_ratio must be above 0 and at most 1, not 0$"):
        cost_per_good_die(1000, 10, 0)
    with pytest.raises(ValueError, match=r"^dies_per_wafer must be a positive integer, not 0$"):
        cost_per_good_die(1000, 0, 0.5)

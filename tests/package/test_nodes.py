import math

import pytest

from tapeout.package.nodes import NODE_ORDER, NODE_STEPS, NODES, node, scale

FIELDS = ("logic_density_mtr_per_mm2", "sram_bitcell_um2", "speed_rel", "power_rel",
          "d0_per_cm2", "wafer_cost_usd")


def test_table_covers_the_nodes_and_names_every_source():
    assert NODE_ORDER == ("130nm", "90nm", "65nm", "40nm", "28nm", "16nm", "7nm", "5nm", "3nm")
    for n in NODES.values():
        for field in FIELDS:
            assert n.sources[field], (n.name, field)


def test_newer_nodes_are_denser_faster_and_lower_power():
    rows = [NODES[name] for name in NODE_ORDER]
    for old, new in zip(rows, rows[1:]):
        assert new.logic_density_mtr_per_mm2 > old.logic_density_mtr_per_mm2
        assert new.sram_bitcell_um2 < old.sram_bitcell_um2
        assert new.speed_rel > old.speed_rel
        assert new.power_rel < old.power_rel
        assert new.wafer_cost_usd > old.wafer_cost_usd


def test_published_figures():
    assert NODES["7nm"].logic_density_mtr_per_mm2 == 91.2
    assert NODES["5nm"].sram_bitcell_um2 == 0.021
    assert NODES["5nm"].wafer_cost_usd == 16988
    # N3 density is TSMC's 1.7x over N5's 171.3.
    assert NODES["3nm"].logic_density_mtr_per_mm2 == pytest.approx(291.21)
    # Cumulative speed 7nm -> 5nm -> 3nm follows TSMC's 15 % steps.
    assert NODES["3nm"].speed_rel / NODES["7nm"].speed_rel == pytest.approx(1.15 ** 2)
    assert len(NODE_STEPS) == len(NODE_ORDER) - 1


def test_aliases():
    assert node("N4").name == "5nm"
    assert node("4NP").name == "5nm"
    assert node("n7").name == "7nm"
    assert node("16FF").name == "16nm"
    assert node("45nm").name == "40nm"


def test_unknown_node_message():
    with pytest.raises(ValueError, match=r"^node must be one of 130nm, 90nm, 65nm, 40nm, 28nm, "
                                         r"16nm, 7nm, 5nm, 3nm \(or an alias such as N7, N5, N4, "
                                         r"N3\), not 'N2'$"):
        node("N2")
    with pytest.raises(TypeError, match=r"^node must be a string, not 5$"):
        node(5)


def test_scale_logic_and_sram_separately():
    # 1000 um2 logic + 1000 um2 SRAM at 130 nm -> N5.
    s = scale(2000.0, 100.0, 10.0, from_node="130nm", to_node="N5", sram_area_um2=1000.0)
    logic_ratio = NODES["130nm"].logic_density_mtr_per_mm2 / 171.3
    assert s.logic_area_um2 == pytest.approx(1000.0 * logic_ratio)
    assert s.sram_area_um2 == pytest.approx(1000.0 * 0.021 / 2.09)
    assert s.area_um2 == pytest.approx(s.logic_area_um2 + s.sram_area_um2)
    # SRAM shrinks far less than logic (~100x against ~160x).
    assert s.sram_area_um2 > s.logic_area_um2
    speed = NODES["5nm"].speed_rel
    assert s.fmax_mhz == pytest.approx(100.0 * speed)
    assert s.power_mw == pytest.approx(10.0 * NODES["5nm"].power_rel * speed)


def test_scale_is_identity_on_the_same_node_and_invertible():
    s = scale(500.0, 200.0, 3.0, from_node="28nm", to_node="28nm", sram_area_um2=100.0)
    assert (s.area_um2, s.fmax_mhz, s.power_mw) == pytest.approx((500.0, 200.0, 3.0))
    fwd = scale(500.0, 200.0, 3.0, "28nm", "N7", sram_area_um2=100.0)
    back = scale(fwd.area_um2, fwd.fmax_mhz, fwd.power_mw, "N7", "28nm",
                 sram_area_um2=fwd.sram_area_um2)
    assert (back.area_um2, back.fmax_mhz, back.power_mw) == pytest.approx((500.0, 200.0, 3.0))


def test_scale_bad_inputs():
    with pytest.raises(ValueError, match=r"^area_um2 must be a non-negative number, not -1$"):
        scale(-1, 100, 1)
    with pytest.raises(TypeError, match=r"^fmax_mhz must be a number, not 'fast'$"):
        scale(1, "fast", 1)
    with pytest.raises(ValueError, match=r"^sram_area_um2 must not exceed area_um2 \(10.0\), "
                                         r"not 20.0$"):
        scale(10.0, 100, 1, sram_area_um2=20.0)
    assert math.isfinite(scale(0, 0, 0).area_um2)

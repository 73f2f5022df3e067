import pytest

from tapeout.tech.layers import METAL_STACK, routing_layer


def test_stack_order_and_directions_alternate():
    assert [l.name for l in METAL_STACK] == ["li1", "met1", "met2", "met3", "met4", "met5"]
    directions = [l.direction for l in METAL_STACK]
    assert all(a != b for a, b in zip(directions, directions[1:]))


def test_per_um_figures():
    met1 = routing_layer("met1")
    assert met1.r_ohm_per_um == pytest.approx(0.125 / 0.14)
    assert met1.tracks_per_um == pytest.approx(1 / 0.34)
    assert met1.c_ff_per_um == pytest.approx(1000 * (2.58e-5 * 0.14 + 2 * 4.0e-5))
    # Upper layers are thicker: less resistance per um.
    r = [l.r_ohm_per_um for l in METAL_STACK]
    assert r[0] > r[1] > r[3] > r[5]


def test_unknown_layer():
    with pytest.raises(ValueError, match=r"layer must be one of li1, met1, met2, met3, met4, met5, not 'met9'"):
        routing_layer("met9")

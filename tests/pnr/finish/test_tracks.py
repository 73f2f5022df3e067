"""Tracks over the die and I/O pins moved onto them."""

import pytest

from tapeout.pnr.finish.tracks import die_tracks, layer_tracks, pins_on_tracks
from tapeout.pnr.floorplan.floorplan import PinSpot
from tapeout.tech.layers import METAL_STACK

MET2 = next(layer for layer in METAL_STACK if layer.name == "met2")  # pitch 0.46, offset 0.23


def test_tracks_start_at_the_offset():
    x, y = layer_tracks(MET2, (0.0, 0.0, 10.0, 5.0))
    assert (x.axis, x.start, x.count, x.step) == ("X", 0.23, 22, 0.46)
    assert (y.axis, y.count) == ("Y", 11)
    assert len(die_tracks(METAL_STACK, (0, 0, 10, 5))) == 2 * len(METAL_STACK)


def test_pins_land_on_distinct_tracks_in_order():
    spots = [PinSpot(k, f"p{k}", 1.0 + 0.3 * k, 0.0, "bottom", "met2") for k in range(6)]
    moved = pins_on_tracks(spots, METAL_STACK, (0.0, 0.0, 10.0, 10.0))
    xs = [s.x for s in moved]
    assert xs == sorted(xs) and len(set(xs)) == 6
    assert all(((x - 0.23) / 0.46) == pytest.approx(round((x - 0.23) / 0.46)) for x in xs)
    assert all(s.y == 0.0 for s in moved)


def test_more_pins_than_tracks_is_an_error():
    spots = [PinSpot(k, f"p{k}", 0.1 * k, 0.0, "bottom", "met2") for k in range(30)]
    with pytest.raises(ValueError, match="30 pins on the bottom edge, but met2 has 4 tracks"):
        pins_on_tracks(spots, METAL_STACK, (0.0, 0.0, 2.0, 2.0))


def test_upper_signal_layers_share_the_lattice_of_the_lowest_layer_of_their_direction():
    by_name = {layer.name: layer for layer in METAL_STACK}
    tracks = {(t.layer, t.axis): t for t in die_tracks(METAL_STACK, (0.0, 0.0, 20.0, 20.0))}
    assert tracks[("met3", "Y")].start == pytest.approx(0.17)  # met1's offset, not met3's own 0.34
    assert tracks[("met4", "X")].start == pytest.approx(0.23)  # met2's, not 0.46
    assert tracks[("met5", "Y")].start == pytest.approx(by_name["met5"].offset_um)  # the power grid's own
    spots = [PinSpot(k, f"p{k}", 20.0, 1.0 + 0.7 * k, "right", "met3") for k in range(5)]
    ys = [s.y for s in pins_on_tracks(spots, METAL_STACK, (0.0, 0.0, 20.0, 20.0))]
    assert all(((y - 0.17) / 0.68) == pytest.approx(round((y - 0.17) / 0.68)) for y in ys)

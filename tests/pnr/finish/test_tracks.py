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

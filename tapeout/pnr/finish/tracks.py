"""Routing tracks of every layer over the die (DEF TRACKS), from the technology's pitches and offsets.

As OpenROAD's `make_tracks` writes them: each layer gets vertical (X) and horizontal (Y) track lines,
the first `offset` um from the die's lower-left corner, `pitch` um apart.
"""

from __future__ import annotations

import math

from tapeout.pnr.formats.layout import Tracks


def layer_tracks(layer, die) -> list[Tracks]:
    """X and Y tracks of one routing layer over `die` (x0, y0, x1, y1 um)."""
    x0, y0, x1, y1 = die
    offset = layer.offset_um or layer.pitch_um / 2
    found = []
    for axis, lo, hi in (("X", x0, x1), ("Y", y0, y1)):
        count = int(math.floor((hi - lo - offset) / layer.pitch_um + 1e-9)) + 1
        if count > 0:
            found.append(Tracks(layer.name, axis, lo + offset, count, layer.pitch_um))
    return found


def die_tracks(metal_stack, die) -> list[Tracks]:
    """Tracks of every routing layer of `metal_stack`, bottom-up."""
    return [t for layer in metal_stack for t in layer_tracks(layer, die)]


def snap_to_track(value: float, lo: float, layer) -> float:
    """The track position of `layer` nearest to `value` (um), tracks starting at `lo` + the offset."""
    offset = layer.offset_um or layer.pitch_um / 2
    return lo + offset + round((value - lo - offset) / layer.pitch_um) * layer.pitch_um


def pins_on_tracks(spots, metal_stack, die):
    """The pin spots moved onto their layer's nearest track (x for pins on the bottom/top edges, y for
    left/right), in order along each side and never two on one track. Raises ValueError when a side
    has more pins than tracks."""
    from dataclasses import replace

    layers = {layer.name: layer for layer in metal_stack}
    x0, y0, x1, y1 = die
    moved = {}
    for side in ("bottom", "top", "left", "right"):
        along_x = side in ("bottom", "top")
        group = sorted((s for s in spots if s.side == side), key=lambda s: s.x if along_x else s.y)
        if not group:
            continue
        layer = layers[group[0].layer]
        lo, hi = (x0, x1) if along_x else (y0, y1)
        offset = layer.offset_um or layer.pitch_um / 2
        last = int((hi - lo - offset) // layer.pitch_um)
        if len(group) > last + 1:
            raise ValueError(f"{len(group)} pins on the {side} edge, but {layer.name} has {last + 1} tracks there")
        previous = -1
        for k, spot in enumerate(group):
            index = round(((spot.x if along_x else spot.y) - lo - offset) / layer.pitch_um)
            index = min(max(index, previous + 1), last - (len(group) - 1 - k))
            previous = index
            at = round(lo + offset + index * layer.pitch_um, 6)
            moved[id(spot)] = replace(spot, x=at) if along_x else replace(spot, y=at)
    return [moved.get(id(s), s) for s in spots]

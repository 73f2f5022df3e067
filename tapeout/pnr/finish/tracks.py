"""Routing tracks of every layer over the die (DEF TRACKS), from the technology's pitches and offsets.

As OpenROAD's `make_tracks` writes them: each layer gets vertical (X) and horizontal (Y) track lines,
the first `offset` um from the die's lower-left corner, `pitch` um apart. The signal layers share the
detailed router's lattice (`tapeout.pnr.route.detailed.track_grid`): a signal layer's tracks start at
the offset of the lowest signal layer of its direction (`track_offset`).
"""

from __future__ import annotations

import math

from tapeout.pnr.formats.layout import Tracks


def own_offset(layer) -> float:
    """The layer's LEF track offset (um), half its pitch when the LEF gives none."""
    return layer.offset_um or layer.pitch_um / 2


def track_offset(layer, metal_stack) -> float:
    """Offset (um from the die corner) of `layer`'s first track. The signal layers (all but the lowest,
    the cells' pin layer, and the top one, the power grid's) take the offset of the lowest signal layer
    of their direction, so every track is a point of the router's lattice (SKY130: met3 at met1's
    0.17 um, met4 at met2's 0.23 um; their LEF offsets 0.34 and 0.46 fall between lattice points);
    the others keep their own."""
    signal = list(metal_stack[1:-1])
    if layer not in signal:
        return own_offset(layer)
    return own_offset(next(lay for lay in signal if lay.direction == layer.direction))


def layer_tracks(layer, die, offset: float | None = None) -> list[Tracks]:
    """X and Y tracks of one routing layer over `die` (x0, y0, x1, y1 um), the first `offset` um in
    (default: the layer's own)."""
    x0, y0, x1, y1 = die
    offset = own_offset(layer) if offset is None else offset
    found = []
    for axis, lo, hi in (("X", x0, x1), ("Y", y0, y1)):
        count = int(math.floor((hi - lo - offset) / layer.pitch_um + 1e-9)) + 1
        if count > 0:
            found.append(Tracks(layer.name, axis, lo + offset, count, layer.pitch_um))
    return found


def die_tracks(metal_stack, die) -> list[Tracks]:
    """Tracks of every routing layer of `metal_stack`, bottom-up."""
    return [t for layer in metal_stack for t in layer_tracks(layer, die, track_offset(layer, metal_stack))]


def pins_on_tracks(spots, metal_stack, die):
    """The pin spots moved onto their layer's nearest track (`track_offset`): x for pins on the
    bottom/top edges, y for left/right, in order along each side and never two on one track. Raises
    ValueError when a side has more pins than tracks."""
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
        offset = track_offset(layer, metal_stack)
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

"""Same-net patches: metal that fills the gaps and notches narrower than a layer's spacing between
shapes of one net (two via pads on adjacent points, a pad overhanging its pin's li1 shape), so that
the net's own shapes meet the spacing rule, and that lengthens a piece of metal smaller than the
layer's minimum area (a via stack's lone pad on met3) along the layer's direction. The fill is a
morphological closing of the net's shapes on each layer by half the spacing (KLayout Region sizing,
in 1 nm units), plus a bridge where two of its corners face each other diagonally nearer than the
spacing (a square closing leaves those open); what the closing, the bridges and the lengthening add
is written as DEF `RECT` patches."""

from __future__ import annotations

import math

from tapeout.pnr.formats.layout import RoutedRect, RoutedVia, RoutedWire

DBU_PER_UM = 1000


def _box(db, rect):
    x0, y0, x1, y1 = (int(round(v * DBU_PER_UM)) for v in rect)
    return db.Box(x0, y0, x1, y1)


def wire_rect(wire: RoutedWire, width: float):
    """The rectangle (um) a DEF wire of `width` covers: the segment widened by half the width on every
    side (DEF's default end extension is half the width)."""
    h = width / 2
    return (min(wire.x0, wire.x1) - h, min(wire.y0, wire.y1) - h, max(wire.x0, wire.x1) + h, max(wire.y0, wire.y1) + h)


def item_rects(item, widths: dict[str, float], via_shapes):
    """(layer, rect um) of every shape a RoutedWire / RoutedVia / RoutedRect puts down."""
    if isinstance(item, RoutedWire):
        yield item.layer, wire_rect(item, widths[item.layer])
    elif isinstance(item, RoutedVia):
        for layer, (a, b, c, d) in via_shapes[item.via]:
            yield layer, (item.x + a, item.y + b, item.x + c, item.y + d)
    elif isinstance(item, RoutedRect):
        yield item.layer, (item.x0, item.y0, item.x1, item.y1)


def same_net_patches(items, pin_shapes, widths: dict[str, float], spacings: dict[str, float], via_shapes,
                     min_areas: dict[str, float] | None = None, horizontal: dict[str, bool] | None = None,
                     room=None) -> list:
    """Patches (RoutedRect, um) closing the gaps narrower than the spacing between the net's own shapes,
    bridging corners of its shapes that are diagonally nearer than the spacing, and lengthening pieces
    smaller than the layer's minimum area.

    items      -- the net's RoutedWire / RoutedVia / RoutedRect
    pin_shapes -- (layer, rect um) of the net's cell pins, taken into the closing but never patched over
    widths     -- wire width per layer (um); spacings -- minimum spacing per layer (um)
    via_shapes -- via name -> ((layer, rect um relative to the via's origin), ...)
    min_areas  -- minimum area per layer (um2); horizontal -- whether a layer's direction is horizontal
    room       -- room(layer, rect um): distance (um) from a new piece of metal to other nets' metal; a
                  short piece is lengthened the way that leaves the most room (both ends first when tied),
                  and a corner bridge is added only where it leaves the spacing
    """
    import klayout.db as db

    regions: dict[str, db.Region] = {}
    for item in items:
        for layer, rect in item_rects(item, widths, via_shapes):
            if layer in spacings:
                regions.setdefault(layer, db.Region()).insert(_box(db, rect))
    own_pins: dict[str, db.Region] = {}
    for layer, rect in pin_shapes:
        if layer in regions:
            own_pins.setdefault(layer, db.Region()).insert(_box(db, rect))
    patches = []
    for layer in sorted(regions):
        shapes = regions[layer] + own_pins.get(layer, db.Region())
        shapes.merge()
        spacing, width = spacings[layer] * DBU_PER_UM, widths.get(layer, spacings[layer]) * DBU_PER_UM
        closed = _closed(shapes, spacing)
        bridges = [b for b in _corner_bridges(closed, spacing, width)
                   if room is None or room(layer, _um(b)) >= spacings[layer] - 1e-6]
        if bridges:
            closed = _closed(closed + db.Region(bridges), spacing)
        added = closed - shapes
        least = (min_areas or {}).get(layer, 0.0) * DBU_PER_UM ** 2
        for piece in (closed.each_merged() if least else ()):
            if piece.area() < least:
                ways = _lengthened(piece.bbox(), least, (horizontal or {}).get(layer, True))
                if room is not None:
                    ways.sort(key=lambda w: -room(layer, _um(w)))  # stable: both ends first among equals
                added.insert(ways[0])
        for polygon in (added - shapes).each_merged():
            for box in polygon.decompose_trapezoids():  # Manhattan input: every piece is a box
                b = box.bbox()
                patches.append(RoutedRect(layer, *_um(b)))
    return patches


def _closed(shapes, spacing: float):
    """`shapes` (merged Region, dbu) closed by half the `spacing` (dbu): gaps and notches narrower than it filled."""
    half = math.ceil(spacing / 2)
    return shapes.sized(half).sized(-half)


def _corner_bridges(shapes, spacing: float, width: float) -> list:
    """Boxes (dbu) joining the corners of `shapes` that face each other diagonally nearer than `spacing`
    (which the closing leaves open): the corners' box grown by `width` on every side, so that it overlaps
    both shapes by at least the minimum width."""
    grow = math.ceil(width)
    return [pair.bbox().enlarged(grow, grow) for pair in shapes.space_check(int(math.ceil(spacing)))]


def _um(box) -> tuple[float, float, float, float]:
    return box.left / DBU_PER_UM, box.bottom / DBU_PER_UM, box.right / DBU_PER_UM, box.top / DBU_PER_UM


LOW_END_SHARES = (0.5, 0.0, 1.0, 0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9)
"""How a lengthening is split between the piece's ends: the share on the low end, in order of preference."""


def _lengthened(box, area: float, horizontal: bool) -> list:
    """`box` (dbu) lengthened along the layer's direction to at least `area` (dbu2), the growth split
    between its ends by each of LOW_END_SHARES; ends on the 5 nm manufacturing grid."""
    across = box.height() if horizontal else box.width()
    total = 2 * math.ceil((math.ceil(area / across) - (box.width() if horizontal else box.height())) / 2 / 5) * 5
    ways = []
    for share in LOW_END_SHARES:
        low = round(total * share / 5) * 5
        if horizontal:
            ways.append(type(box)(box.left - low, box.bottom, box.right + total - low, box.top))
        else:
            ways.append(type(box)(box.left, box.bottom - low, box.right, box.top + total - low))
    return ways

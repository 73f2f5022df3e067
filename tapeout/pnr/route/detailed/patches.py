"""Same-net patches: metal that fills the gaps and notches narrower than a layer's spacing between
shapes of one net (two via pads on adjacent points, a pad overhanging its pin's li1 shape), so that
the net's own shapes meet the spacing rule, and that lengthens a piece of metal smaller than the
layer's minimum area (a via stack's lone pad on met3) along the layer's direction. The fill is a
morphological closing of the net's shapes on each layer by half the spacing (KLayout Region sizing,
in 1 nm units); what the closing and the lengthening add is written as DEF `RECT` patches."""

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
                     fits=None) -> list:
    """Patches (RoutedRect, um) closing the gaps narrower than the spacing between the net's own shapes,
    and lengthening pieces smaller than the layer's minimum area.

    items      -- the net's RoutedWire / RoutedVia / RoutedRect
    pin_shapes -- (layer, rect um) of the net's cell pins, taken into the closing but never patched over
    widths     -- wire width per layer (um); spacings -- minimum spacing per layer (um)
    via_shapes -- via name -> ((layer, rect um relative to the via's origin), ...)
    min_areas  -- minimum area per layer (um2); horizontal -- whether a layer's direction is horizontal
    fits       -- fits(layer, rect um): whether a lengthened piece keeps the spacing to other nets' metal;
                  a piece grows on both ends, else on one end only, whichever fits (both ends when none does)
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
        half = math.ceil(spacings[layer] * DBU_PER_UM / 2)
        closed = shapes.sized(half).sized(-half)
        added = closed - shapes
        least = (min_areas or {}).get(layer, 0.0) * DBU_PER_UM ** 2
        for piece in (closed.each_merged() if least else ()):
            if piece.area() < least:
                ways = _lengthened(piece.bbox(), least, (horizontal or {}).get(layer, True))
                added.insert(next((w for w in ways if fits is None or fits(layer, _um(w))), ways[0]))
        for polygon in (added - shapes).each_merged():
            for box in polygon.decompose_trapezoids():  # Manhattan input: every piece is a box
                b = box.bbox()
                patches.append(RoutedRect(layer, *_um(b)))
    return patches


def _um(box) -> tuple[float, float, float, float]:
    return box.left / DBU_PER_UM, box.bottom / DBU_PER_UM, box.right / DBU_PER_UM, box.top / DBU_PER_UM


def _lengthened(box, area: float, horizontal: bool) -> list:
    """`box` (dbu) lengthened along the layer's direction to at least `area` (dbu2): on both ends, then
    on the low end only, then on the high end only; ends on the 5 nm manufacturing grid."""
    across = box.height() if horizontal else box.width()
    grow = math.ceil((math.ceil(area / across) - (box.width() if horizontal else box.height())) / 2 / 5) * 5
    if horizontal:
        return [box.enlarged(grow, 0), box.moved(-grow, 0).enlarged(grow, 0), box.moved(grow, 0).enlarged(grow, 0)]
    return [box.enlarged(0, grow), box.moved(0, -grow).enlarged(0, grow), box.moved(0, grow).enlarged(0, grow)]

"""Same-net patches: metal that fills the gaps and notches narrower than a layer's spacing between
shapes of one net (two via pads on adjacent points, a pad overhanging its pin's li1 shape), so that
the net's own shapes meet the spacing rule, and that lengthens a piece of metal smaller than the
layer's minimum area (a via stack's lone pad on met3) along the layer's direction (and, where its ends
have too little room, a little across it). The fill is a morphological closing of the net's shapes on
each layer by half the spacing (KLayout Region sizing, in 1 nm units), plus a bridge where two of its
corners face each other diagonally nearer than the spacing (a square closing leaves those open); what
the closing, the bridges and the lengthening add is written as DEF `RECT` patches."""

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
                     room=None, short: list | None = None) -> list:
    """Patches (RoutedRect, um) closing the gaps narrower than the spacing between the net's own shapes,
    bridging corners of its shapes that are diagonally nearer than the spacing, and lengthening pieces
    smaller than the layer's minimum area (`lengthening`).

    items      -- the net's RoutedWire / RoutedVia / RoutedRect
    pin_shapes -- (layer, rect um) of the net's cell pins, taken into the closing but never patched over
    widths     -- wire width per layer (um); spacings -- minimum spacing per layer (um)
    via_shapes -- via name -> ((layer, rect um relative to the via's origin), ...)
    min_areas  -- minimum area per layer (um2); horizontal -- whether a layer's direction is horizontal
    room       -- room(layer, rect um): distance (um) from new metal to other nets' metal; a corner bridge
                  is added only where it keeps the spacing
    short      -- when given, the pieces smaller than the minimum area are appended to it as (layer,
                  bounding rect um) and not lengthened here: the caller lengthens them in its own order
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
        for polygon in (closed - shapes).each_merged():
            for box in polygon.decompose_trapezoids():  # Manhattan input: every piece is a box
                patches.append(RoutedRect(layer, *_um(box.bbox())))
        least = (min_areas or {}).get(layer, 0.0)
        for piece in (closed.each_merged() if least else ()):
            if piece.area() < least * DBU_PER_UM ** 2:
                if short is not None:
                    short.append((layer, _um(piece.bbox())))
                else:
                    patches += lengthening(layer, _um(piece.bbox()), least, (horizontal or {}).get(layer, True),
                                           spacings[layer], room)
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


LOW_END_SHARES = tuple(k / 10 for k in range(10, -1, -1))
"""How a lengthening may be split between the piece's ends: the share on the low end (left or bottom),
most first (pieces lengthened in order along a track pack towards the low end, leaving the next the most
room)."""


ACROSS_GROWTH_NM = tuple(range(0, 101, 10))
"""How far (nm, on each side) a lengthening may also widen the piece across the layer's direction, least
first: where the piece's ends have less room than the length the minimum area needs (a via stack's met3
pad between two other nets' metal on its track), a wider patch needs less length."""


def lengthening(layer: str, piece, area: float, horizontal: bool, spacing: float, room=None) -> list:
    """The patch (RoutedRect, um) lengthening `piece` (rect um, smaller than `area` um2) along the layer's
    direction to at least `area`: the piece's whole box grown at its ends (so no step is left at its
    corners), ends on the 5 nm manufacturing grid. Without `room`: on both ends equally; with it, the
    narrowest patch (ACROSS_GROWTH_NM) and, at that width, the split with the most on the low end
    (LOW_END_SHARES) that keeps the `spacing` to other nets' metal, else the one that comes nearest to
    keeping it."""
    if room is None:
        return [RoutedRect(layer, *next(_lengthened(piece, area, horizontal, (0,), (0.5,))))]
    best, most = None, -math.inf
    for way in _lengthened(piece, area, horizontal, ACROSS_GROWTH_NM, LOW_END_SHARES):
        r = room(layer, way)
        if r >= spacing - 1e-6:  # the first that keeps the spacing: the rest need not be measured
            return [RoutedRect(layer, *way)]
        if r > most:
            best, most = way, r
    return [RoutedRect(layer, *best)]


def _lengthened(piece, area: float, horizontal: bool, grows, shares):
    """The boxes (um) of `piece` grown to `area` um2, for each growth across (nm a side) in `grows`
    and, at each, each share of the lengthening on the low end in `shares`, in that order."""
    px0, py0, px1, py1 = (round(v * DBU_PER_UM) for v in piece)
    for grow in grows:
        x0, y0, x1, y1 = (px0, py0 - grow, px1, py1 + grow) if horizontal else (px0 - grow, py0, px1 + grow, py1)
        length, across = (x1 - x0, y1 - y0) if horizontal else (y1 - y0, x1 - x0)
        total = max(0, 2 * math.ceil((math.ceil(area * DBU_PER_UM ** 2 / across) - length) / 2 / 5) * 5)
        for share in shares:
            low = round(total * share / 5) * 5
            box = (x0 - low, y0, x1 + total - low, y1) if horizontal else (x0, y0 - low, x1, y1 + total - low)
            yield tuple(v / DBU_PER_UM for v in box)  # the whole piece's box: no step at its corners


def lengthen_along_tracks(short, min_areas: dict[str, float], horizontal: dict[str, bool],
                          spacings: dict[str, float], metal: dict, reach: float) -> list:
    """(owner, RoutedRect) patches lengthening the `short` pieces ((layer, rect um, owner) each, smaller
    than their layer's minimum area) in order along each track: each packs towards the low end as far as
    the room to other owners' metal in `metal` (layer -> RectIndex, measured up to `reach` spacings)
    allows, so a row of via stacks two columns apart leaves each the room it needs. Each patch is added
    to `metal` as it is placed."""
    def along(s):
        layer, (x0, y0, x1, y1), _ = s
        return (layer, round((y0 + y1) / 2, 3), x0) if horizontal[layer] else (layer, round((x0 + x1) / 2, 3), y0)

    placed = []
    for layer, rect, owner in sorted(short, key=along):
        def room(lay, r, owner=owner):
            return metal[lay].room(r, owner, reach * spacings[lay])
        for patch in lengthening(layer, rect, min_areas[layer], horizontal[layer], spacings[layer], room):
            metal[layer].add((patch.x0, patch.y0, patch.x1, patch.y1), owner)
            placed.append((owner, patch))
    return placed

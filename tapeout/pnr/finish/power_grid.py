"""The power grid as DEF SPECIALNETS: follow-pin rails on every row boundary, power and ground straps on
the upper layers, and via stacks where a net's rail or strap crosses its strap on the layer above.

Rails alternate ground, power, ground, ... from the bottom row boundary up (rows alternate N / FS, so
each boundary carries the rail two abutting rows share). Straps come in pairs (power, then ground
half a pitch on) every pitch from the offset; they stop a halo away from macros (whose own metal and
pins are there); rails stop at the macros. Given the blocks' supply pins, the top strap layer runs
across the blocks instead and joins each pin it crosses with a via stack (OpenLane's macro hooks).
Lengths in um.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tapeout.pnr.formats.layout import SpecialNet, ViaDef, Wire


@dataclass(frozen=True)
class Segment:
    """A straight piece of one net on one layer: from (x0, y0) to (x1, y1), `width` wide."""

    net: str
    layer: str
    width: float
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def vertical(self) -> bool:
        return self.x0 == self.x1

    def box(self) -> tuple[float, float, float, float]:
        h = self.width / 2
        return (self.x0 - h, self.y0, self.x1 + h, self.y1) if self.vertical else \
            (self.x0, self.y0 - h, self.x1, self.y1 + h)


def _cut(lo: float, hi: float, blocks: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """[lo, hi] minus the intervals of `blocks`."""
    pieces = [(lo, hi)]
    for b0, b1 in blocks:
        pieces = [p for a, b in pieces for p in ((a, min(b, b0)), (max(a, b1), b)) if p[1] - p[0] > 1e-6]
    return pieces


def rails(plan, rules) -> list[Segment]:
    """Follow-pin rails along every row boundary of the core, cut where a macro sits."""
    x0, y0, x1, _ = plan.core
    found = []
    for k in range(plan.rows + 1):
        y = round(y0 + k * plan.row_height, 6)
        blocks = [(m.x, m.x + m.width) for m in plan.macros if m.y - 1e-6 < y < m.y + m.height + 1e-6]
        net = rules.ground if k % 2 == 0 else rules.power
        found += [Segment(net, rules.rail_layer, rules.rail_width_um, a, y, b, y) for a, b in _cut(x0, x1, blocks)]
    return found


def straps(plan, rules, metal_stack, over_blocks: bool = False) -> list[Segment]:
    """Power/ground strap pairs on each strap layer across the core, cut at macros and their halos (a
    strap ending at a block's edge would touch the block's pins there); with `over_blocks` the top strap
    layer is not cut (it runs over the blocks, which leave it free, to reach their supply pins). A core too small for
    one whole pair at the technology's offset and pitch gets one pair at a quarter and three quarters
    of its width (height), so that both nets reach every rail (as OpenLane's FP_PDN_AUTO_ADJUST)."""
    direction = {layer.name: layer.direction for layer in metal_stack}
    cx0, cy0, cx1, cy1 = plan.core
    found = []
    for strap in rules.straps:
        crosses = over_blocks and strap is rules.straps[-1]
        vertical = direction[strap.layer] == "VERTICAL"
        lo, hi = (cx0, cx1) if vertical else (cy0, cy1)
        start, end = (cy0, cy1) if vertical else (cx0, cx1)
        offset, pitch = strap.offset_um, strap.pitch_um
        if lo + offset + pitch / 2 + strap.width_um / 2 > hi:  # not one whole pair: one pair at 1/4 and 3/4
            offset, pitch = (hi - lo) / 4, hi - lo
        count = int(math.floor((hi - lo - offset - strap.width_um / 2) / pitch)) + 1
        for k in range(max(count, 0)):
            for net, shift in ((rules.power, 0.0), (rules.ground, pitch / 2)):
                at = round(lo + offset + k * pitch + shift, 6)
                if at + strap.width_um / 2 > hi:
                    continue
                reach, gap = strap.width_um / 2 + plan.halo, plan.halo  # keep clear of the block's pins
                blocks = [((m.y - gap, m.y + m.height + gap) if vertical else (m.x - gap, m.x + m.width + gap))
                          for m in plan.macros
                          if not crosses and ((m.x - reach < at < m.x + m.width + reach) if vertical
                                              else (m.y - reach < at < m.y + m.height + reach))]
                for a, b in _cut(start, end, blocks):
                    if b - a < strap.width_um:  # a sliver between the core edge and a halo joins nothing
                        continue
                    found.append(Segment(net, strap.layer, strap.width_um, at, a, at, b) if vertical
                                 else Segment(net, strap.layer, strap.width_um, a, at, b, at))
    return found


def via_enclosures(vias, cut_stack) -> dict[str, float]:
    """Metal enclosure (um) around the cuts of each cut layer: the largest overhang of either metal over
    the cut (the cut layer's size) in the technology LEF's DEFAULT vias between those two metals
    (`tapeout.tech.tech_lef.Via`)."""
    found: dict[str, float] = {}
    for via in vias.values():
        metals = {layer for layer, _ in via.shapes}
        for cut in cut_stack:
            if via.default and metals == {cut.below, cut.above}:
                overhang = max(max(x1 - x0, y1 - y0) - cut.width_um for _, (x0, y0, x1, y1) in via.shapes) / 2
                found[cut.name] = max(found.get(cut.name, 0.0), round(overhang, 4))
    return found


def via_stack(bottom: str, top: str, width: float, height: float, metal_order, cut_stack,
              enclosure: dict[str, float]) -> list[ViaDef]:
    """The vias from `bottom` to `top` metal filling a `width` x `height` um crossing, one per cut layer
    (as DEF wants them: two metals and one cut each, stacked at the same point), each with as many
    cuts as fit with the layer's size, spacing and metal `enclosure` (um, by cut layer; 0.1 where not
    given). Named `pg_<lower>_<upper>_<w>x<h>` (nm)."""
    metals = metal_order[metal_order.index(bottom):metal_order.index(top) + 1]
    box = (-width / 2, -height / 2, width / 2, height / 2)
    vias = []
    for lower, upper in zip(metals, metals[1:]):
        cut = next(c for c in cut_stack if c.below == lower and c.above == upper)
        margin = enclosure.get(cut.name, 0.1)
        cuts = [(cut.name, b) for b in _cut_array(cut, width - 2 * margin, height - 2 * margin)]
        name = f"pg_{lower}_{upper}_{round(width * 1000)}x{round(height * 1000)}"
        vias.append(ViaDef(name, ((lower, box), *cuts, (upper, box))))
    return vias


def _cut_array(cut, width: float, height: float) -> list[tuple[float, float, float, float]]:
    size, space = cut.width_um, cut.spacing_um
    nx = max(int(math.floor((width + space) / (size + space) + 1e-9)), 1)
    ny = max(int(math.floor((height + space) / (size + space) + 1e-9)), 1)
    span_x, span_y = nx * size + (nx - 1) * space, ny * size + (ny - 1) * space
    return [(round(-span_x / 2 + i * (size + space), 4), round(-span_y / 2 + j * (size + space), 4),
             round(-span_x / 2 + i * (size + space) + size, 4), round(-span_y / 2 + j * (size + space) + size, 4))
            for i in range(nx) for j in range(ny)]


def pin_segment(net: str, layer: str, rect) -> Segment:
    """A block's supply pin rectangle (x0, y0, x1, y1 um) as a segment along its longer side."""
    x0, y0, x1, y1 = rect
    if y1 - y0 >= x1 - x0:
        return Segment(net, layer, x1 - x0, (x0 + x1) / 2, y0, (x0 + x1) / 2, y1)
    return Segment(net, layer, y1 - y0, x0, (y0 + y1) / 2, x1, (y0 + y1) / 2)


def power_grid(plan, rules, metal_stack, cut_stack, enclosure: dict[str, float], block_pins=()):
    """(special nets, via definitions) of the grid: rails, straps, and a via stack at every crossing of a
    net's segment with its own segment on a higher layer. `block_pins` are the blocks' supply pins
    (`Segment`s on the layer below the top strap layer, named by the grid's nets): when given, the top
    straps run over the blocks and a via stack joins each pin they cross."""
    metal_order = [layer.name for layer in metal_stack]
    segments = rails(plan, rules) + straps(plan, rules, metal_stack, over_blocks=bool(block_pins))
    nets = {rules.power: SpecialNet(rules.power, "POWER"), rules.ground: SpecialNet(rules.ground, "GROUND")}
    for s in segments:
        nets[s.net].wires.append(Wire(s.layer, s.width, s.x0, s.y0, s.x1, s.y1,
                                      "FOLLOWPIN" if s.layer == rules.rail_layer else "STRIPE"))
    vias: dict[str, ViaDef] = {}
    levels = [rules.rail_layer] + [s.layer for s in rules.straps]
    for lower, upper in zip(levels, levels[1:]):
        below = [s for s in [*segments, *block_pins] if s.layer == lower]
        above = [s for s in segments if s.layer == upper]
        for a in above:
            for b in below:
                if a.net != b.net or a.vertical == b.vertical:
                    continue
                v, h = (a, b) if a.vertical else (b, a)
                if not (h.x0 - 1e-6 <= v.x0 <= h.x1 + 1e-6 and v.y0 - 1e-6 <= h.y0 <= v.y1 + 1e-6):
                    continue
                for via in via_stack(lower, upper, v.width, h.width, metal_order, cut_stack, enclosure):
                    vias.setdefault(via.name, via)
                    nets[a.net].vias.append((via.name, v.x0, h.y0))
    return list(nets.values()), list(vias.values())

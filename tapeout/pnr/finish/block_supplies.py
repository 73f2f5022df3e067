"""The supply pins of the placed blocks (SRAM macros) as power-grid segments, for the grid's macro hooks:
each block pin named as a supply (the grid's own net names, or the block models' `VDD`/`VSS`) placed in
die coordinates (um) and named by the grid net it belongs to."""

from __future__ import annotations

from tapeout.pnr.finish.power_grid import Segment, pin_segment
from tapeout.pnr.route.detailed.pin_access import placed_rect
from tapeout.tech.process import GROUND_PIN, POWER_PIN


def block_supply_pins(components, block_macros: dict, rules) -> list[Segment]:
    """Supply pin shapes of the `components` (DEF view: macro name, lower-left, orientation) that are
    blocks of `block_macros` (LefMacro by name); none when a block obstructs the top strap layer: the
    straps cannot cross it there, and the grid keeps away from the blocks (an empty list)."""
    if not rules.straps:
        return []
    top = rules.straps[-1].layer
    if any(layer == top for m in block_macros.values() for layer, _ in m.obstructions):
        return []
    net_of = {rules.power: rules.power, POWER_PIN: rules.power, rules.ground: rules.ground, GROUND_PIN: rules.ground}
    found = []
    for comp in components:
        macro = block_macros.get(comp.macro)
        if macro is None:
            continue
        for pin, shapes in sorted(macro.pin_shapes.items()):
            if pin in net_of:
                found += [pin_segment(net_of[pin], layer, placed_rect(rect, comp.x, comp.y, macro.width,
                                                                       macro.height, comp.orient))
                          for layer, rect in shapes]
    return found

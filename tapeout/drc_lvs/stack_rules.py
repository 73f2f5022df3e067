"""The rule table of a technology that states its rules only through its metal stack (``tap130``):
minimum width and spacing of every routing layer, exact size and spacing of every cut layer, and every
cut covered by the metals it joins. The cells of such a technology are LEF abstracts, so their pin
shapes (GDS datatype 16) count as metal. Rule names are ``<layer>.<kind>`` (``met1.space``,
``via.enclosure.met2``); GDS numbers are those the gds stage writes for the technology
(`tapeout.gds.layer_map`: SKY130's numbering).
"""

from __future__ import annotations

from tapeout.drc_lvs.rules import Layer, Rule
from tapeout.gds.layer_map import CUT, DRAWING, GDS_LAYER, PIN


def rules_from_stack(metal_stack, cut_stack, source: str) -> tuple[Rule, ...]:
    """Width/space rules per routing layer, size/space/enclosure rules per cut layer (values in um)."""
    metals = {m.name: Layer(m.name, (GDS_LAYER[m.name], DRAWING), ((GDS_LAYER[m.name], PIN),))
              for m in metal_stack}
    rules = []
    for metal in metal_stack:
        layer = metals[metal.name]
        rules += [Rule(f"{metal.name}.width", "width", layer, metal.width_um, source),
                  Rule(f"{metal.name}.space", "space", layer, metal.spacing_um, source)]
    for cut in cut_stack:
        layer = Layer(cut.name, (GDS_LAYER[cut.name], CUT))
        rules += [Rule(f"{cut.name}.size", "size", layer, cut.width_um, source),
                  Rule(f"{cut.name}.space", "space", layer, cut.spacing_um, source)]
        rules += [Rule(f"{cut.name}.enclosure.{m}", "enclosure", layer, 0.0, source, metals[m])
                  for m in (cut.below, cut.above) if m in metals]
    return tuple(rules)

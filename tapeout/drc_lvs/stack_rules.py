"""The rule table of a technology that states its rules only through its metal stack (``tap130``):
minimum width, spacing and (where stated) area of every routing layer, exact size and spacing of every
cut layer, and every cut covered by the metals it joins by at least the smaller of the metal's two
overhangs in the layer's default via (`CutLayer.enclosure_below_um` / `enclosure_above_um`; 0 when the
technology states none). The cells of such a technology are LEF abstracts, so their pin
shapes (GDS datatype 16) count as metal. Rule names are ``<layer>.<kind>`` (``met1.space``,
``met3.area``, ``via.enclosure.met2``); GDS numbers are those the gds stage writes for the technology
(`tapeout.gds.layer_map`: SKY130's numbering).
"""

from __future__ import annotations

from tapeout.drc_lvs.rules import Layer, Rule
from tapeout.gds.layer_map import CUT, DRAWING, GDS_LAYER, PIN


def rules_from_stack(metal_stack, cut_stack, source: str) -> tuple[Rule, ...]:
    """Width/space/area rules per routing layer, size/space/enclosure rules per cut layer (values in um,
    um2)."""
    metals = {m.name: Layer(m.name, (GDS_LAYER[m.name], DRAWING), ((GDS_LAYER[m.name], PIN),))
              for m in metal_stack}
    rules = []
    for metal in metal_stack:
        layer = metals[metal.name]
        rules += [Rule(f"{metal.name}.width", "width", layer, metal.width_um, source),
                  Rule(f"{metal.name}.space", "space", layer, metal.spacing_um, source)]
        if metal.min_area_um2 > 0:
            rules.append(Rule(f"{metal.name}.area", "area", layer, metal.min_area_um2, source))
    for cut in cut_stack:
        layer = Layer(cut.name, (GDS_LAYER[cut.name], CUT))
        rules += [Rule(f"{cut.name}.size", "size", layer, cut.width_um, source),
                  Rule(f"{cut.name}.space", "space", layer, cut.spacing_um, source)]
        rules += [Rule(f"{cut.name}.enclosure.{m}", "enclosure", layer, value, source, metals[m])
                  for m, value in cut.min_enclosure_um.items() if m in metals]
    return tuple(rules)

"""The layers LVS extracts for a technology: its routing layers (metal = drawing + pin shapes, labels)
and cut layers, by the GDS numbers the gds stage writes (SKY130's numbering for both sky130_fd_sc_hd
and tap130: `tapeout.gds.layer_map`)."""

from __future__ import annotations

from tapeout.drc_lvs.extract import CutLayer, MetalLayer
from tapeout.drc_lvs.rules import Layer
from tapeout.gds.layer_map import CUT, DRAWING, GDS_LAYER, LABEL, PIN


def extraction_layers(technology) -> tuple[list[MetalLayer], list[CutLayer]]:
    """(metals bottom-up, cuts) of `technology` (a `tapeout.tech.technology.Technology`)."""
    metals = [MetalLayer(Layer(m.name, (GDS_LAYER[m.name], DRAWING), ((GDS_LAYER[m.name], PIN),)),
                         (GDS_LAYER[m.name], LABEL)) for m in technology.metal_stack]
    cuts = [CutLayer(Layer(c.name, (GDS_LAYER[c.name], CUT)), c.below, c.above) for c in technology.cut_stack]
    return metals, cuts

"""The SKY130 routing-layer rules (li1, mcon, met1-met5, via-via4), named as the SkyWater SKY130
periphery rules name them (https://skywater-pdk.readthedocs.io, "Periphery Rules"), values in um and
um2 as those tables give them (the same values the technology LEF `sky130_fd_sc_hd.tlef` carries in
its WIDTH / SPACING / ENCLOSURE / AREA statements, commented with these rule names).

GDS numbers are SKY130's (`sky130A.lyt`): drawing datatype 20 for metals, 44 for cuts; a metal's pin
shapes (datatype 16) count as metal too, since KLayout streams DEF I/O pins to the pin datatype only
(in the cells the pin shapes lie inside the drawing).

Left out: the wide-metal spacing rules (m1.3b, m2.3b, m3.3d, m4.5b: more space beside wires
wider than 3 um), the "on one of two adjacent sides" enclosures (m1.5, via.5a, m2.5, via2.5, via3.5),
the minimum enclosed area (hole) rules and the large-via-array exceptions.
"""

from __future__ import annotations

from tapeout.drc_lvs.rules import Layer, Rule

LI1, MCON = Layer("li1", (67, 20), ((67, 16),)), Layer("mcon", (67, 44))
MET1, VIA = Layer("met1", (68, 20), ((68, 16),)), Layer("via", (68, 44))
MET2, VIA2 = Layer("met2", (69, 20), ((69, 16),)), Layer("via2", (69, 44))
MET3, VIA3 = Layer("met3", (70, 20), ((70, 16),)), Layer("via3", (70, 44))
MET4, VIA4 = Layer("met4", (71, 20), ((71, 16),)), Layer("via4", (71, 44))
MET5 = Layer("met5", (72, 20), ((72, 16),))

SOURCE = "SKY130 periphery rules"

SKY130_RULES = tuple(Rule(name, kind, layer, value, SOURCE, outer) for name, kind, layer, value, outer in (
    ("li.1", "width", LI1, 0.17, None),
    ("li.3", "space", LI1, 0.17, None),
    ("li.6", "area", LI1, 0.0561, None),
    ("ct.1", "size", MCON, 0.17, None),
    ("ct.2", "space", MCON, 0.19, None),
    ("ct.4", "enclosure", MCON, 0.0, LI1),
    ("m1.1", "width", MET1, 0.14, None),
    ("m1.2", "space", MET1, 0.14, None),
    ("m1.4", "enclosure", MCON, 0.03, MET1),
    ("m1.6", "area", MET1, 0.083, None),
    ("via.1a", "size", VIA, 0.15, None),
    ("via.2", "space", VIA, 0.17, None),
    ("via.4a", "enclosure", VIA, 0.055, MET1),
    ("m2.1", "width", MET2, 0.14, None),
    ("m2.2", "space", MET2, 0.14, None),
    ("m2.4", "enclosure", VIA, 0.055, MET2),
    ("m2.6", "area", MET2, 0.0676, None),
    ("via2.1a", "size", VIA2, 0.20, None),
    ("via2.2", "space", VIA2, 0.20, None),
    ("via2.4", "enclosure", VIA2, 0.04, MET2),
    ("m3.1", "width", MET3, 0.30, None),
    ("m3.2", "space", MET3, 0.30, None),
    ("m3.4", "enclosure", VIA2, 0.065, MET3),
    ("m3.6", "area", MET3, 0.24, None),
    ("via3.1", "size", VIA3, 0.20, None),
    ("via3.2", "space", VIA3, 0.20, None),
    ("via3.4", "enclosure", VIA3, 0.06, MET3),
    ("m4.1", "width", MET4, 0.30, None),
    ("m4.2", "space", MET4, 0.30, None),
    ("m4.3", "enclosure", VIA3, 0.065, MET4),
    ("m4.4a", "area", MET4, 0.24, None),
    ("via4.1", "size", VIA4, 0.80, None),
    ("via4.2", "space", VIA4, 0.80, None),
    ("via4.4", "enclosure", VIA4, 0.19, MET4),
    ("m5.1", "width", MET5, 1.60, None),
    ("m5.2", "space", MET5, 1.60, None),
    ("m5.3", "enclosure", VIA4, 0.31, MET5),
    ("m5.4", "area", MET5, 4.0, None),
))
"""SKY130's routing-layer rules, bottom-up."""

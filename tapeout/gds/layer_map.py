"""How LEF/DEF layers become GDS layer/datatype numbers, and the KLayout reader options that do it.

A technology with a KLayout technology file (SKY130: `libs.tech/klayout/sky130A.lyt`) brings its own
LEF/DEF layer map. For `tap130`, whose layers carry SKY130's names, the map below uses SKY130's
numbers, as that same file gives them ('li1.drawing : 67/20', 'mcon.drawing : 67/44',
'met1.pin : 68/16', 'met1.label : 68/5', ...): drawing 20, via cuts 44, pins 16, labels 5,
blockages 10; the cell outline (prBoundary) 235/4.
"""

from __future__ import annotations

GDS_LAYER = {"li1": 67, "mcon": 67, "met1": 68, "via": 68, "met2": 69, "via2": 69, "met3": 70, "via3": 70,
             "met4": 71, "via4": 71, "met5": 72}
CUTS = ("mcon", "via", "via2", "via3", "via4")
DRAWING, CUT, PIN, LABEL, BLOCKAGE = 20, 44, 16, 5, 10
OUTLINE = (235, 4)


def builtin_layer_map() -> str:
    """KLayout layer-map text for tap130 (SKY130's numbers)."""
    lines = []
    for name, layer in GDS_LAYER.items():
        drawing = CUT if name in CUTS else DRAWING
        lines += [f"{name}.drawing : {layer}/{drawing}", f"{name}.pin : {layer}/{PIN}",
                  f"{name}.label : {layer}/{LABEL}", f"{name}.blockage : {layer}/{BLOCKAGE}"]
    lines.append(f"prBoundary.boundary : {OUTLINE[0]}/{OUTLINE[1]}")
    return "\n".join(lines)


def reader_options(technology):
    """KLayout LoadLayoutOptions reading a DEF of `technology`: its LEFs, its layer map and, when the
    library has one, the cell GDS for every standard cell (LEF abstracts for the rest)."""
    import klayout.db as db

    if technology.layer_map is not None:
        tech = db.Technology.technology_from_xml(technology.layer_map.read_text(encoding="utf-8"))
        options = tech.load_layout_options
    else:
        options = db.LoadLayoutOptions()
        cfg = options.lefdef_config
        cfg.layer_map = db.LayerMap.from_string(builtin_layer_map())
        cfg.create_other_layers = False
        for purpose, suffix in (("routing", ".drawing"), ("special_routing", ".drawing"),
                                ("via_geometry", ".drawing"), ("pins", ".pin"), ("lef_pins", ".pin"),
                                ("labels", ".label"), ("lef_labels", ".label"), ("blockages", ".blockage"),
                                ("obstructions", ".blockage")):
            setattr(cfg, f"{purpose}_suffix", suffix)
        cfg.produce_cell_outlines = True
        cfg.cell_outline_layer = "prBoundary.boundary"
        cfg.produce_obstructions = True
        options.lefdef_config = cfg
    cfg = options.lefdef_config
    cfg.read_lef_with_def = False
    cfg.lef_files = [str(p) for p in technology.lef_files]
    if technology.gds is not None:
        cfg.macro_layout_files = [str(technology.gds)]
    else:
        cfg.macro_resolution_mode = 1  # LEF geometry even where the LEF names a FOREIGN layout (there is none)
    options.lefdef_config = cfg
    return options

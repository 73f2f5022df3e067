"""LEF text: the ``tap130`` technology section (site; routing layers with R/C and minimum area; cut
layers with their enclosures; a DEFAULT via per cut layer) and MACROs (standard cells, SRAM blocks).

Standard cells follow the SKY130 hd layout conventions: signal pins on li1, a met1
rail 0.48 um wide centred on each horizontal cell edge (VSS at the bottom, VDD on
top), sizes a whole number of 0.46 um sites by one 2.72 um row.
"""

from dataclasses import dataclass

from tapeout.tech.layers import CUT_STACK, METAL_STACK
from tapeout.tech.process import (
    GROUND_PIN,
    POWER_PIN,
    ROW_HEIGHT_UM,
    SITE_NAME,
    SITE_WIDTH_UM,
)

DATABASE_UNITS_PER_UM = 1000
MANUFACTURING_GRID_UM = 0.005
RAIL_HALF_WIDTH_UM = 0.24
PIN_WIDTH_UM = 0.17
PIN_Y_RANGE_UM = (0.85, 1.87)


@dataclass(frozen=True)
class LefPin:
    """A macro pin: rects are ``(layer, x0, y0, x1, y1)`` in um."""

    name: str
    direction: str
    use: str
    rects: tuple


def _c(value: float) -> str:
    snapped = round(value / MANUFACTURING_GRID_UM) * MANUFACTURING_GRID_UM
    return f"{snapped:.3f}".rstrip("0").rstrip(".") if snapped else "0"


def technology_lines() -> list:
    """Header, units, site and layer definitions."""
    lines = [
        "VERSION 5.8 ;",
        'BUSBITCHARS "[]" ;',
        'DIVIDERCHAR "/" ;',
        "UNITS",
        f"  DATABASE MICRONS {DATABASE_UNITS_PER_UM} ;",
        "END UNITS",
        f"MANUFACTURINGGRID {MANUFACTURING_GRID_UM} ;",
        f"SITE {SITE_NAME}",
        "  CLASS CORE ;",
        "  SYMMETRY Y ;",
        f"  SIZE {_c(SITE_WIDTH_UM)} BY {_c(ROW_HEIGHT_UM)} ;",
        f"END {SITE_NAME}",
    ]
    cuts = {cut.below: cut for cut in CUT_STACK}
    for layer in METAL_STACK:
        lines += [
            f"LAYER {layer.name}",
            "  TYPE ROUTING ;",
            f"  DIRECTION {layer.direction} ;",
            f"  PITCH {_c(layer.pitch_um)} ;",
            f"  OFFSET {_c(layer.offset_um)} ;",
            f"  WIDTH {_c(layer.width_um)} ;",
            f"  SPACING {_c(layer.spacing_um)} ;",
            f"  RESISTANCE RPERSQ {layer.r_ohm_per_sq:g} ;",
            f"  CAPACITANCE CPERSQDIST {layer.c_area_pf_per_um2:g} ;",
            f"  EDGECAPACITANCE {layer.c_edge_pf_per_um:g} ;",
            *([f"  AREA {layer.min_area_um2:g} ;"] if layer.min_area_um2 else []),
            f"END {layer.name}",
        ]
        cut = cuts.get(layer.name)
        if cut is not None:
            lines += [
                f"LAYER {cut.name}",
                "  TYPE CUT ;",
                f"  WIDTH {_c(cut.width_um)} ;",
                f"  SPACING {_c(cut.spacing_um)} ;",
                f"  ENCLOSURE BELOW {_c(cut.enclosure_below_um[0])} {_c(cut.enclosure_below_um[1])} ;",
                f"  ENCLOSURE ABOVE {_c(cut.enclosure_above_um[0])} {_c(cut.enclosure_above_um[1])} ;",
                f"  RESISTANCE {cut.r_ohm_per_cut:g} ;",
                f"END {cut.name}",
            ]
    for cut in CUT_STACK:
        lines += default_via_lines(cut)
    return lines


def default_via_name(cut) -> str:
    """Name of the DEFAULT via of a cut layer: its two metals (``MET1_MET2``)."""
    return f"{cut.below.upper()}_{cut.above.upper()}"


def default_via_lines(cut) -> list:
    """`VIA <name> DEFAULT`: one cut of the layer's size, centred on the origin, with the metal below and
    above it grown by the layer's enclosures (x, y um)."""
    h = cut.width_um / 2
    lines = [f"VIA {default_via_name(cut)} DEFAULT"]
    for layer, (ex, ey) in ((cut.below, cut.enclosure_below_um), (cut.name, (0.0, 0.0)),
                            (cut.above, cut.enclosure_above_um)):
        lines += [f"  LAYER {layer} ;", f"    RECT {_c(-h - ex)} {_c(-h - ey)} {_c(h + ex)} {_c(h + ey)} ;"]
    return lines + [f"END {default_via_name(cut)}"]


def macro_lines(name, macro_class, width_um, height_um, pins, obstructions=(), site=None) -> list:
    """One MACRO; ``obstructions`` are ``(layer, x0, y0, x1, y1)`` in um."""
    lines = [
        f"MACRO {name}",
        f"  CLASS {macro_class} ;",
        f"  FOREIGN {name} ;",
        "  ORIGIN 0 0 ;",
        f"  SIZE {_c(width_um)} BY {_c(height_um)} ;",
        "  SYMMETRY X Y" + (" ;" if site else " R90 ;"),
    ]
    if site:
        lines.append(f"  SITE {site} ;")
    for pin in pins:
        lines += [f"  PIN {pin.name}", f"    DIRECTION {pin.direction} ;", f"    USE {pin.use} ;"]
        if pin.use in ("POWER", "GROUND"):
            lines.append("    SHAPE ABUTMENT ;")
        lines.append("    PORT")
        layer = None
        for rect_layer, x0, y0, x1, y1 in pin.rects:
            if rect_layer != layer:
                lines.append(f"      LAYER {rect_layer} ;")
                layer = rect_layer
            lines.append(f"        RECT {_c(x0)} {_c(y0)} {_c(x1)} {_c(y1)} ;")
        lines += ["    END", f"  END {pin.name}"]
    if obstructions:
        lines.append("  OBS")
        for layer, x0, y0, x1, y1 in obstructions:
            lines += [f"    LAYER {layer} ;", f"      RECT {_c(x0)} {_c(y0)} {_c(x1)} {_c(y1)} ;"]
        lines.append("  END")
    lines.append(f"END {name}")
    return lines


def _rail_pins(width_um) -> list:
    h, r = ROW_HEIGHT_UM, RAIL_HALF_WIDTH_UM
    return [
        LefPin(POWER_PIN, "INOUT", "POWER", (("met1", 0.0, h - r, width_um, h + r),)),
        LefPin(GROUND_PIN, "INOUT", "GROUND", (("met1", 0.0, -r, width_um, r),)),
    ]


def cell_pins(cell) -> list:
    """Signal pins of a standard cell spread over its sites, then the rails."""
    width = cell.sites * SITE_WIDTH_UM
    names = list(cell.inputs) + list(cell.outputs)
    pins = []
    y0, y1 = PIN_Y_RANGE_UM
    for i, name in enumerate(names):
        site = (i * cell.sites) // len(names)
        x = (site + 0.5) * SITE_WIDTH_UM
        direction = "INPUT" if name in cell.inputs else "OUTPUT"
        use = "CLOCK" if name == cell.clock_pin else "SIGNAL"
        rect = ("li1", x - PIN_WIDTH_UM / 2, y0, x + PIN_WIDTH_UM / 2, y1)
        pins.append(LefPin(name, direction, use, (rect,)))
    return pins + _rail_pins(width)


def cell_macro_lines(cell) -> list:
    """The MACRO of one standard cell."""
    macro_class = "CORE SPACER" if cell.kind == "filler" else "CORE"
    width = cell.sites * SITE_WIDTH_UM
    return macro_lines(cell.name, macro_class, width, ROW_HEIGHT_UM, cell_pins(cell),
                       site=SITE_NAME)


def library_text(cells) -> str:
    """Technology section plus a MACRO per cell."""
    lines = technology_lines()
    for cell in cells:
        lines += cell_macro_lines(cell)
    lines.append("END LIBRARY")
    return "\n".join(lines) + "\n"


def macros_text(macros) -> str:
    """A LEF file of block MACROs (objects with ``lef_macro_lines()``, e.g. SRAM macros), to read after
    the technology LEF."""
    lines = ["VERSION 5.8 ;", 'BUSBITCHARS "[]" ;', 'DIVIDERCHAR "/" ;', "UNITS",
             f"  DATABASE MICRONS {DATABASE_UNITS_PER_UM} ;", "END UNITS"]
    for macro in macros:
        lines += macro.lef_macro_lines()
    lines.append("END LIBRARY")
    return "\n".join(lines) + "\n"

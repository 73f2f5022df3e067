"""A placed netlist as a DEF Layout: rows, components (macros FIXED), I/O pins and nets."""

from __future__ import annotations

import numpy as np

from tapeout.netlist.netlist import PIN_INPUT, Netlist
from tapeout.pnr.floorplan.floorplan import Floorplan
from tapeout.pnr.formats.layout import Component, IoPin, Layout, Row
from tapeout.tech.process import SITE_NAME

PIN_SIZE_UM = (0.28, 0.56)


def clean_name(name: str) -> str:
    """Yosys' escaped identifiers without the leading backslash."""
    return name[1:] if name.startswith("\\") else name


def placed_layout(netlist: Netlist, plan: Floorplan, x: np.ndarray, y: np.ndarray) -> Layout:
    """The Layout of `netlist` with cell lower-left corners `x`, `y` (um); rows alternate N / FS."""
    x0, y0, x1, _ = plan.core
    rows = [Row(f"ROW_{r}", SITE_NAME, x0, round(y0 + r * plan.row_height, 4), "FS" if r % 2 else "N",
                plan.sites, plan.site_width) for r in range(plan.rows)]
    fixed = netlist.cell_is_macro
    macro_orient = {m.cell: m.orient for m in plan.macros}
    components = []
    for c, name in enumerate(netlist.cell_names):
        row = int(round((y[c] - y0) / plan.row_height))
        orient = macro_orient.get(c, "N") if fixed[c] else ("N" if row % 2 == 0 else "FS")
        components.append(Component(clean_name(name), netlist.type_names[netlist.cell_type[c]],
                                    float(x[c]), float(y[c]), orient, bool(fixed[c])))
    pins = []
    for spot in plan.pins:
        w, h = PIN_SIZE_UM if spot.side in ("bottom", "top") else PIN_SIZE_UM[::-1]
        direction = "INPUT" if netlist.pin_dir[spot.pin] == PIN_INPUT else "OUTPUT"
        net = clean_name(netlist.net_names[netlist.pin_net[spot.pin]])
        pins.append(IoPin(clean_name(spot.name), net, direction, spot.layer, spot.x, spot.y, w, h))
    nets = {}
    for n, name in enumerate(netlist.net_names):
        if netlist.net_const[n] >= 0:
            continue
        conns = []
        for p in netlist.net_pin_list(n):
            cell = netlist.pin_cell[p]
            if cell < 0:
                conns.append(("PIN", clean_name(netlist.pin_names[p])))
            else:
                conns.append((clean_name(netlist.cell_names[cell]), netlist.pin_names[p]))
        nets[clean_name(name)] = conns
    return Layout(netlist.top, plan.die, rows, components, pins, nets)

"""A placed netlist as a DEF Layout: rows, components (macros and well taps FIXED), I/O pins and nets."""

from __future__ import annotations

import numpy as np

from tapeout.netlist.names import cell_pin_name, def_escape, net_written_names, written
from tapeout.netlist.netlist import PIN_INPUT, Netlist
from tapeout.pnr.floorplan.floorplan import Floorplan, row_orientation
from tapeout.pnr.formats.layout import Component, IoPin, Layout, Row
from tapeout.tech.process import SITE_NAME

PIN_SIZE_UM = (0.30, 0.80)
"""I/O pin rectangle (um, across x along): 0.30 wide for the widest minimum width of the pin layers (met3,
SKY130 m3.1) and 0.24 um2 for the largest minimum area (m3.6), so a pin alone passes DRC."""


def clean_name(name: str) -> str:
    """Yosys' escaped identifiers without the leading backslash."""
    return name[1:] if name.startswith("\\") else name


def inside_die(spot, w: float, h: float, die) -> tuple[float, float]:
    """Centre of a `w` x `h` pin shape at `spot` on the die edge, moved inwards so the shape lies inside the die."""
    x0, y0, x1, y1 = die
    x = min(max(spot.x, x0 + w / 2), x1 - w / 2)
    y = min(max(spot.y, y0 + h / 2), y1 - h / 2)
    return x, y


def placed_layout(netlist: Netlist, plan: Floorplan, x: np.ndarray, y: np.ndarray,
                  site_name: str = SITE_NAME) -> Layout:
    """The Layout of `netlist` with cell lower-left corners `x`, `y` (um); rows of `site_name` sites
    (default: tap130's) alternate N / FS.

    Names are written as DEF escapes them (`tapeout.netlist.names`); nets on a top-level port take
    the port's name, as in the written Verilog and SPEF.
    """
    x0, y0, x1, _ = plan.core
    rows = [Row(f"ROW_{r}", site_name, x0, round(y0 + r * plan.row_height, 4), row_orientation(r),
                plan.sites, plan.site_width) for r in range(plan.rows)]
    fixed = netlist.cell_is_macro
    macro_orient = {m.cell: m.orient for m in plan.macros}
    components = []
    for c, name in enumerate(netlist.cell_names):
        row = int(round((y[c] - y0) / plan.row_height))
        orient = macro_orient.get(c, "N") if fixed[c] else row_orientation(row)
        components.append(Component(def_escape(clean_name(name)), netlist.type_names[netlist.cell_type[c]],
                                    float(x[c]), float(y[c]), orient, bool(fixed[c])))
    components += [Component(f"TAP_{k}", plan.tap_master, t.x, t.y, row_orientation(t.row), True)
                   for k, t in enumerate(plan.taps)]
    net_names = [written(n, def_escape) for n in net_written_names(netlist)]
    pins = []
    for spot in plan.pins:
        w, h = PIN_SIZE_UM if spot.side in ("bottom", "top") else PIN_SIZE_UM[::-1]
        direction = "INPUT" if netlist.pin_dir[spot.pin] == PIN_INPUT else "OUTPUT"
        net = net_names[netlist.pin_net[spot.pin]]
        px, py = inside_die(spot, w, h, plan.die)
        pins.append(IoPin(written(cell_pin_name(spot.name), def_escape), net, direction, spot.layer, px, py, w, h))
    nets = {}
    for n in range(netlist.num_nets):
        if netlist.net_const[n] >= 0:
            continue
        conns = []
        for p in netlist.net_pin_list(n):
            cell = netlist.pin_cell[p]
            if cell < 0:
                conns.append(("PIN", written(cell_pin_name(netlist.pin_names[p]), def_escape)))
            else:
                conns.append((def_escape(clean_name(netlist.cell_names[cell])), netlist.pin_names[p]))
        nets[net_names[n]] = conns
    return Layout(netlist.top, plan.die, rows, components, pins, nets)

"""The netlist side of LVS: each net's terminals named as the layout names them (``instance/pin`` with
the DEF component name, ``/port`` with the DEF pin name, both as a DEF reader gives them back: with
the DEF escapes removed, as KLayout names the instances and labels of the GDS), from the same netlist
the final Verilog and DEF are written from (`tapeout.netlist.Netlist`). Constant nets (tie values) are
left out."""

from __future__ import annotations

from tapeout.netlist.names import cell_pin_name, def_escape, def_unescape, net_written_names, written
from tapeout.pnr.formats.to_layout import clean_name


def reference_nets(netlist) -> dict[str, set[str]]:
    """Net name (as DEF writes it) -> terminal names."""
    names = [written(n, def_escape) for n in net_written_names(netlist)]
    nets = {}
    for n in range(netlist.num_nets):
        if netlist.net_const[n] >= 0:
            continue
        terms = set()
        for p in netlist.net_pin_list(n):
            cell = netlist.pin_cell[p]
            if cell < 0:
                terms.add("/" + def_unescape(written(cell_pin_name(netlist.pin_names[p]), def_escape)))
            else:
                terms.add(f"{def_unescape(def_escape(clean_name(netlist.cell_names[cell])))}/{netlist.pin_names[p]}")
        nets[names[n]] = terms
    return nets

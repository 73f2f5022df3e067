"""SPEF (IEEE 1481-2009 Standard Parasitic Exchange Format) writer for the RC trees.

Units ``*T_UNIT 1 NS``, ``*C_UNIT 1 PF``, ``*R_UNIT 1 KOHM``. Names are escaped as the standard
requires (a backslash before every character other than a letter, a digit or ``_``; the brackets of a
bus bit stay plain) and instance and net names go through a ``*NAME_MAP``; port names are written as
they are (``*PORTS``, ``*P``), with the port's direction (``I`` input, ``O`` output). A net connected
to a top-level port is written under that port's name, as in the written Verilog
(:func:`tapeout.netlist.names.net_written_names`). A pin node is ``inst:PIN`` (or the port name);
other tree nodes are ``net:k``. Each ``*D_NET`` lists its total wire capacitance, ``*CONN``, ``*CAP``
(ground capacitance per node; pin capacitances are not included: ``PIN_CAP NONE``) and ``*RES``
(one resistor per tree edge).
"""

import numpy as np

from tapeout.netlist.names import WrittenName, cell_pin_name, spef_escape, written

__all__ = ["format_spef", "write_spef", "SPEF_HEADER_UNITS"]

SPEF_HEADER_UNITS = ("*T_UNIT 1 NS", "*C_UNIT 1 PF", "*R_UNIT 1 KOHM", "*L_UNIT 1 HENRY")


def _direction(graph, pin):
    """SPEF direction of a pin: a port's own direction, a cell pin's library direction."""
    if graph.pin_cell[pin] < 0:
        return "I" if graph.pin_is_driver[pin] else "O"
    return "O" if graph.pin_is_driver[pin] else "I"


def format_spef(graph, parasitics, design="top", net_names=None):
    """SPEF text of ``parasitics`` on ``graph``.

    ``net_names`` (one `WrittenName` per net) names the nets as the written netlist does; default:
    the graph's own net names.
    """
    if net_names is None:
        net_names = [WrittenName(n) for n in graph.net_names]
    if len(net_names) != graph.n_nets:
        raise ValueError(f"net_names must name {graph.n_nets} nets, not {len(net_names)}")
    codes = {}

    def mapped(name):
        if name not in codes:
            codes[name] = f"*{len(codes) + 1}"
        return codes[name]

    port_names = {int(p): written(cell_pin_name(graph.pin_names[p]), spef_escape) for p in graph.port_pins}

    def net_ref(net):
        name = net_names[net]
        return written(name, spef_escape) if name.index is not None else mapped(written(name, spef_escape))

    body = []
    for net in range(graph.n_nets):
        lo, hi = parasitics.node_ptr[net], parasitics.node_ptr[net + 1]
        if hi == lo:
            continue
        ref = net_ref(net)
        node_names = [f"{ref}:{k}" for k in range(1, hi - lo + 1)]
        conn, extra = [], []
        for s in range(graph.net_ptr[net], graph.net_ptr[net + 1]):
            p = graph.net_pins[s]
            if graph.pin_cell[p] < 0:
                pin_name = port_names[int(p)]
                conn.append(f"*P {pin_name} {_direction(graph, p)}")
            else:
                cell = graph.pin_cell[p]
                pin_name = (f"{mapped(spef_escape(graph.cell_names[cell]))}:"
                            f"{written(cell_pin_name(graph.pin_names[p]), spef_escape)}")
                conn.append(f"*I {pin_name} {_direction(graph, p)} *D {graph.cell_type_name(cell)}")
            k = parasitics.slot_node[s]
            if k < 0:
                continue
            if node_names[k].startswith(ref + ":"):
                node_names[k] = pin_name
            else:  # a second pin on the same node: joined by a resistor of 0
                extra.append((node_names[k], pin_name))
        cap = parasitics.node_cap_pf[lo:hi]
        body.append(f"*D_NET {ref} {float(cap.sum()):.6g}")
        body += ["*CONN"] + conn
        body.append("*CAP")
        body += [f"{i + 1} {node_names[k]} {float(c):.6g}" for i, (k, c) in
                 enumerate((k, c) for k, c in enumerate(cap) if c > 0)]
        body.append("*RES")
        parents = parasitics.node_parent[lo:hi]
        res = parasitics.node_res_kohm[lo:hi]
        edges = [(node_names[parents[k]], node_names[k], float(res[k])) for k in np.flatnonzero(parents >= 0)]
        edges += [(a, b, 0.0) for a, b in extra]
        body += [f"{i + 1} {a} {b} {r:.6g}" for i, (a, b, r) in enumerate(edges)]
        body += ["*END", ""]
    header = ['*SPEF "IEEE 1481-2009"', f'*DESIGN "{design}"', '*DATE "-"',
              '*VENDOR "tapeout"', '*PROGRAM "tapeout.signoff"', '*VERSION "0.2"',
              '*DESIGN_FLOW "PIN_CAP NONE" "NAME_SCOPE LOCAL"', "*DIVIDER /", "*DELIMITER :",
              "*BUS_DELIMITER [ ]", *SPEF_HEADER_UNITS, ""]
    header += ["*NAME_MAP"] + [f"{code} {name}" for name, code in codes.items()] + [""]
    header += ["*PORTS"] + [f"{name} {_direction(graph, p)}" for p, name in port_names.items()] + [""]
    return "\n".join(header + body)


def write_spef(graph, parasitics, path, design="top", net_names=None):
    """Write :func:`format_spef` to ``path``."""
    with open(path, "w") as handle:
        handle.write(format_spef(graph, parasitics, design, net_names))

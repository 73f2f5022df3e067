"""SPEF (IEEE 1481 Standard Parasitic Exchange Format) writer for the RC trees.

Units ``*T_UNIT 1 NS``, ``*C_UNIT 1 PF``, ``*R_UNIT 1 KOHM``; names go through a
``*NAME_MAP``. A pin node is ``inst:PIN`` (or the port name); other tree nodes are
``net:k``. Each ``*D_NET`` lists its total capacitance (wire only), ``*CONN``,
``*CAP`` (ground capacitance per node) and ``*RES`` (one resistor per tree edge).
"""

import numpy as np

__all__ = ["format_spef", "write_spef"]


def format_spef(graph, parasitics, design="top"):
    """SPEF text of ``parasitics`` on ``graph``."""
    names = {}

    def ref(name):
        if name not in names:
            names[name] = f"*{len(names) + 1}"
        return names[name]

    body = []
    for net in range(graph.n_nets):
        lo, hi = parasitics.node_ptr[net], parasitics.node_ptr[net + 1]
        s_lo, s_hi = graph.net_ptr[net], graph.net_ptr[net + 1]
        net_ref = ref(graph.net_names[net])
        node_names = [f"{net_ref}:{k}" for k in range(hi - lo)]
        conn = []
        for s in range(s_lo, s_hi):
            p = graph.net_pins[s]
            direction = "O" if graph.pin_is_driver[p] else "I"
            if graph.pin_cell[p] < 0:
                pin_name = ref(graph.pin_names[p])
                conn.append(f"*P {pin_name} {direction}")
            else:
                pin_name = f"{ref(graph.cell_names[graph.pin_cell[p]])}:{graph.pin_names[p]}"
                conn.append(f"*I {pin_name} {direction} *D {graph.cell_type_name(graph.pin_cell[p])}")
            k = parasitics.slot_node[s]
            if k >= 0 and node_names[k].startswith(net_ref + ":"):
                node_names[k] = pin_name
        cap = parasitics.node_cap_pf[lo:hi]
        body.append(f"*D_NET {net_ref} {float(cap.sum()):.6g}")
        body += ["*CONN"] + conn
        body.append("*CAP")
        body += [f"{i + 1} {node_names[k]} {float(c):.6g}" for i, (k, c) in
                 enumerate((k, c) for k, c in enumerate(cap) if c > 0)]
        body.append("*RES")
        parents = parasitics.node_parent[lo:hi]
        res = parasitics.node_res_kohm[lo:hi]
        body += [f"{i + 1} {node_names[parents[k]]} {node_names[k]} {float(res[k]):.6g}"
                 for i, k in enumerate(np.flatnonzero(parents >= 0))]
        body += ["*END", ""]
    header = ['*SPEF "IEEE 1481-1998"', f'*DESIGN "{design}"', '*DATE "-"',
              '*VENDOR "tapeout"', '*PROGRAM "tapeout.signoff"', '*VERSION "0.1"',
              '*DESIGN_FLOW "PIN_CAP NONE"', "*DIVIDER /", "*DELIMITER :", "*BUS_DELIMITER [ ]",
              "*T_UNIT 1 NS", "*C_UNIT 1 PF", "*R_UNIT 1 KOHM", "*L_UNIT 1 HENRY", "",
              "*NAME_MAP"]
    header += [f"{code} {name}" for name, code in names.items()] + [""]
    return "\n".join(header + body)


def write_spef(graph, parasitics, path, design="top"):
    """Write :func:`format_spef` to ``path``."""
    with open(path, "w") as handle:
        handle.write(format_spef(graph, parasitics, design))

"""Write a `Netlist` back out as flat structural Verilog (one module, cell instances)."""

from __future__ import annotations

import re
from pathlib import Path

from tapeout.netlist.names import net_written_names, port_bit_name, verilog_identifier, verilog_name
from tapeout.netlist.netlist import DIRECTION_NAMES, PIN_OUTPUT, Netlist

_BUS_BIT = re.compile(r"^(.*)\[(\d+)\]$")

identifier = verilog_identifier  # the escaping rule, kept under its old name for callers


def _net_expressions(netlist: Netlist) -> tuple[list[str], list[int]]:
    """How each net is written (its constant, a port bit, or its own wire), and the wire nets."""
    names = net_written_names(netlist)
    expressions = [verilog_name(n) for n in names]
    for net in range(netlist.num_nets):
        if netlist.net_const[net] >= 0:
            expressions[net] = f"1'b{netlist.net_const[net]}"
    port_nets = {int(netlist.pin_net[p]) for p in range(netlist.first_port_pin, netlist.num_pins)}
    wires = [net for net in range(netlist.num_nets) if netlist.net_const[net] < 0 and net not in port_nets]
    return expressions, wires


def _port_bit(netlist: Netlist, port: int, bit: int) -> str:
    return verilog_name(port_bit_name(netlist, port, bit))


def _connections(netlist: Netlist, cell: int, expressions: list[str]) -> list[str]:
    """``.PIN(expr)`` items of a cell, bus pins (``ADDR[0]``...) joined MSB first."""
    buses: dict[str, dict[int, str]] = {}
    order: list[str] = []
    for pin in netlist.cell_pins(cell):
        name = netlist.pin_names[pin]
        match = _BUS_BIT.match(name)
        base, index = (match.group(1), int(match.group(2))) if match else (name, -1)
        if base not in buses:
            buses[base] = {}
            order.append(base)
        buses[base][index] = expressions[netlist.pin_net[pin]]
    items = []
    for base in order:
        bits = buses[base]
        if list(bits) == [-1]:
            items.append(f".{identifier(base)}({bits[-1]})")
        else:
            items.append(f".{identifier(base)}({{{', '.join(bits[i] for i in sorted(bits, reverse=True))}}})")
    return items


def verilog_text(netlist: Netlist) -> str:
    """The netlist as a Verilog module named after ``netlist.top``."""
    expressions, wires = _net_expressions(netlist)
    lines = [f"module {identifier(netlist.top)} (" +
             ", ".join(identifier(p) for p in netlist.port_names) + ");"]
    for port in range(netlist.num_ports):
        width = len(netlist.port_pins(port))
        lsb = int(netlist.port_lsb[port])
        bus = f"[{lsb + width - 1}:{lsb}] " if width > 1 else ""
        lines.append(f"  {DIRECTION_NAMES[int(netlist.port_dir[port])]} {bus}{identifier(netlist.port_names[port])};")
    lines.extend(f"  wire {expressions[net]};" for net in wires)
    for cell in range(netlist.num_cells):
        kind = netlist.type_names[int(netlist.cell_type[cell])]
        items = ",\n    ".join(_connections(netlist, cell, expressions))
        lines.append(f"  {identifier(kind)} {identifier(netlist.cell_names[cell])} (\n    {items}\n  );")
    for port in range(netlist.num_ports):
        if netlist.port_dir[port] != PIN_OUTPUT:
            continue
        width = len(netlist.port_pins(port))
        for bit, pin in enumerate(netlist.port_pins(port)):
            own = _port_bit(netlist, port, bit)
            source = expressions[netlist.pin_net[pin]]
            if source != own:
                lines.append(f"  assign {own} = {source};")
    lines.append("endmodule")
    return "\n".join(lines) + "\n"


def write_verilog(netlist: Netlist, path: str | Path) -> Path:
    """Write the netlist as structural Verilog to `path`; returns the path."""
    path = Path(path)
    path.write_text(verilog_text(netlist), encoding="utf-8")
    return path

"""How the netlist's names are written in each hand-off format, so that every format names a net alike.

A net is written under the name of the top-level port bit it connects to (input ports first, then
outputs: the name an outside tool reading the Verilog sees), else under its own name. A
`WrittenName` is a base name plus, for a bit of a bus port, its index; other names may hold brackets,
dots or dollars as plain characters, and each format escapes them its own way:

* Verilog (IEEE 1364): `\\name ` escaped identifiers for anything but letters, digits, `_` and `$`;
* SPEF (IEEE 1481): a backslash before every character other than letters, digits and `_`; the
  brackets of a bus bit stay plain;
* DEF (LEF/DEF 5.8): a backslash before the divider `/`, before brackets that are not a bus index,
  and before a backslash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tapeout.netlist.netlist import PIN_INPUT, PIN_OUTPUT, Netlist

_VERILOG_SIMPLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]*$")
_VERILOG_KEYWORDS = frozenset("""always and assign begin buf case default else end endcase endmodule for
function if initial inout input integer module nand nor not or output parameter reg supply0 supply1
tri wire xor xnor""".split())


@dataclass(frozen=True)
class WrittenName:
    """`base` (any characters) and the bit `index` of a bus port (None for a scalar name)."""

    base: str
    index: int | None = None

    @property
    def plain(self) -> str:
        return self.base if self.index is None else f"{self.base}[{self.index}]"


def verilog_identifier(name: str) -> str:
    """`name` as a Verilog identifier, escaped (``\\name ``) when it is not a simple one."""
    return name if _VERILOG_SIMPLE.match(name) and name not in _VERILOG_KEYWORDS else f"\\{name} "


_SPEF_SPECIAL = re.compile(r"([^A-Za-z0-9_])")
_DEF_SPECIAL = re.compile(r"([/\[\]\\])")
_ESCAPE = re.compile(r"\\(.)")


def spef_escape(name: str) -> str:
    """`name` with every character other than a letter, a digit or `_` escaped (IEEE 1481 identifier)."""
    return _SPEF_SPECIAL.sub(r"\\\1", name)


def spef_unescape(token: str) -> str:
    """The plain name of a SPEF identifier (escapes removed)."""
    return _ESCAPE.sub(r"\1", token)


def def_escape(name: str) -> str:
    """`name` for DEF: the divider, brackets and backslashes escaped, whitespace as `_`."""
    name = "_".join(name.split()) or "_"
    name = _DEF_SPECIAL.sub(r"\\\1", name)
    return "\\" + name if name.startswith("#") else name


def def_unescape(token: str) -> str:
    return _ESCAPE.sub(r"\1", token)


def written(name: WrittenName, escape) -> str:
    """`name` in a format whose identifier escape is `escape` (bus index brackets kept plain)."""
    return escape(name.base) + ("" if name.index is None else f"[{name.index}]")


def verilog_name(name: WrittenName) -> str:
    base = verilog_identifier(name.base)
    return base if name.index is None else f"{base}[{name.index}]"


def port_bit_name(netlist: Netlist, port: int, bit: int) -> WrittenName:
    """Bit `bit` (0 = first) of port `port`: the bare port name for a 1-bit port."""
    width = len(netlist.port_pins(port))
    name = netlist.port_names[port]
    return WrittenName(name) if width == 1 else WrittenName(name, int(netlist.port_lsb[port]) + bit)


def net_written_names(netlist: Netlist) -> list[WrittenName]:
    """The name every format writes each net under (see the module docstring); constants are `1'b0`/`1'b1`."""
    names: list[WrittenName | None] = [None] * netlist.num_nets
    for wanted in (PIN_INPUT, PIN_OUTPUT):
        for port in range(netlist.num_ports):
            if netlist.port_dir[port] != wanted:
                continue
            for bit, pin in enumerate(netlist.port_pins(port)):
                net = netlist.pin_net[pin]
                if names[net] is None and netlist.net_const[net] < 0:
                    names[net] = port_bit_name(netlist, port, bit)
    return [n if n is not None else WrittenName(netlist.net_names[k]) for k, n in enumerate(names)]


def cell_pin_name(pin_name: str) -> WrittenName:
    """A library pin name (`A`, `RDATA[3]`) as a written name: bus pins keep their index."""
    match = re.fullmatch(r"(.*)\[(\d+)\]", pin_name)
    return WrittenName(match.group(1), int(match.group(2))) if match else WrittenName(pin_name)

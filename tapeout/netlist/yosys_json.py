"""Build a `Netlist` from the flat top module of a Yosys JSON netlist (``write_json``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import numpy as np

from tapeout.netlist.errors import NetlistError
from tapeout.netlist.netlist import DIRECTION_CODES, PIN_INPUT, Netlist

CONST_NET_NAMES = {"0": "1'b0", "1": "1'b1"}


def _top_module(modules: dict, top: str | None, source: str) -> tuple[str, dict]:
    if top is not None:
        if top not in modules:
            raise NetlistError(f"{source}: no module `{top}` (modules: {', '.join(sorted(modules))})")
        return top, modules[top]
    tops = [n for n, m in modules.items() if m.get("attributes", {}).get("top")]
    if len(tops) != 1:
        candidates = [n for n, m in modules.items() if not m.get("attributes", {}).get("blackbox")]
        if len(candidates) != 1:
            raise NetlistError(f"{source}: cannot tell the top module; pass top= "
                               f"(candidates: {', '.join(sorted(candidates)) or 'none'})")
        tops = candidates
    return tops[0], modules[tops[0]]


def _plain(name: str) -> str:
    """Yosys JSON writes public names starting with ``$`` as ``\\$...``; drop that escape."""
    return name[1:] if name.startswith("\\") else name


def _bit_names(name: str, width: int, lsb: int) -> list[str]:
    return [name] if width == 1 else [f"{name}[{lsb + i}]" for i in range(width)]


def _net_names(netnames: dict) -> dict[int, str]:
    """Best name per net bit: public names first, then the shortest, then alphabetical."""
    best: dict[int, tuple] = {}
    for name, info in netnames.items():
        bits = info["bits"]
        for bit_name, bit in zip(_bit_names(_plain(name), len(bits), info.get("offset", 0)), bits):
            if isinstance(bit, int):
                key = (info.get("hide_name", 0), len(bit_name), bit_name)
                if bit not in best or key < best[bit]:
                    best[bit] = key
    return {bit: key[2] for bit, key in best.items()}


@lru_cache(maxsize=64)
def _macro_cell(liberty_text: str, name: str):
    """The library record of macro `name` from its Liberty text (parsed once per process)."""
    from tapeout.tech.library import parse_library

    return parse_library(liberty_text, f"macro {name}")[name]


class _TypeTable:
    """Cell types in first-use order, each linked to its library (or macro) cell."""

    def __init__(self, library, macros: Mapping[str, object]):
        self.library = library
        self.macros = dict(macros)
        self.index: dict[str, int] = {}
        self.lib_cells: list = []

    def _lookup(self, name: str, cell_name: str):
        if name in self.macros:
            return _macro_cell(self.macros[name].liberty_text(), name)
        if name in self.library:
            return self.library[name]
        raise NetlistError(f"cell `{cell_name}` has type `{name}`, which is neither in library "
                           f"{self.library.name} nor a known macro")

    def get(self, name: str, cell_name: str) -> int:
        if name not in self.index:
            self.index[name] = len(self.lib_cells)
            self.lib_cells.append(self._lookup(name, cell_name))
        return self.index[name]

    def arrays(self) -> dict:
        cells = self.lib_cells
        return dict(
            type_names=[c.name for c in cells],
            type_area_um2=np.array([c.area_um2 for c in cells], dtype=float),
            type_width_sites=np.array([c.width_sites for c in cells], dtype=np.int32),
            type_is_macro=np.array([c.name in self.macros for c in cells], dtype=bool),
            type_is_sequential=np.array([c.is_sequential for c in cells], dtype=bool),
            lib_cells=list(cells),
            macros={name: m for name, m in self.macros.items() if name in self.index},
        )


def _pin_layout(lib_cell, port: str, width: int, cell_name: str, source: str) -> list[tuple]:
    """(library pin name, direction code, input capacitance pF) of each bit of cell port `port`."""
    if width == 1:
        names = [f"{port}[0]" if f"{port}[0]" in lib_cell.pins and port not in lib_cell.pins else port]
    else:
        names = [f"{port}[{i}]" for i in range(width)]
    layout = []
    for name in names:
        pin = lib_cell.pins.get(name)
        if pin is None:
            raise NetlistError(f"{source}: cell `{cell_name}` ({lib_cell.name}) has no pin {name}")
        cap = pin.capacitance if pin.direction != "output" else 0.0
        layout.append((name, DIRECTION_CODES.get(pin.direction, PIN_INPUT), cap))
    return layout


def netlist_from_json(data: dict, library, macros: Mapping[str, object] = (), top: str | None = None,
                      source: str = "<json>") -> Netlist:
    """Build the netlist of the flat top module of Yosys JSON `data` (see `read_yosys_json`)."""
    top_name, module = _top_module(data.get("modules", {}), top, source)
    types = _TypeTable(library, dict(macros))
    names = _net_names(module.get("netnames", {}))
    net_of: dict = {}
    net_names: list[str] = []
    net_const: list[int] = []

    def net(bit) -> int:
        if isinstance(bit, str) and bit not in CONST_NET_NAMES:   # "x"/"z": a fresh undriven net
            net_names.append(f"{bit}${len(net_names)}")
            net_const.append(-1)
            return len(net_names) - 1
        index = net_of.get(bit)
        if index is None:
            index = net_of[bit] = len(net_names)
            if isinstance(bit, str):
                net_names.append(CONST_NET_NAMES[bit])
                net_const.append(int(bit))
            else:
                net_names.append(names.get(bit, f"$n{bit}"))
                net_const.append(-1)
        return index

    cell_names, cell_type, cell_pin_ptr = [], [], [0]
    pin_names, pin_cell, pin_net, pin_dir, pin_cap = [], [], [], [], []
    layouts: dict[tuple, list] = {}
    for cell_index, (cell_name, cell) in enumerate(module.get("cells", {}).items()):
        kind = types.get(cell["type"], cell_name)
        cell_names.append(_plain(cell_name))
        cell_type.append(kind)
        for port, bits in cell["connections"].items():
            layout = layouts.get((kind, port, len(bits)))
            if layout is None:
                layout = layouts[(kind, port, len(bits))] = _pin_layout(
                    types.lib_cells[kind], port, len(bits), cell_name, source)
            for (pin_name, direction, cap), bit in zip(layout, bits):
                index = net_of.get(bit) if isinstance(bit, int) else None
                pin_names.append(pin_name)
                pin_cell.append(cell_index)
                pin_net.append(net(bit) if index is None else index)
                pin_dir.append(direction)
                pin_cap.append(cap)
        cell_pin_ptr.append(len(pin_names))

    port_names, port_dir, port_lsb, port_pin_ptr = [], [], [], [len(pin_names)]
    for raw_port_name, port in module.get("ports", {}).items():
        port_name = _plain(raw_port_name)
        direction = DIRECTION_CODES.get(port["direction"], PIN_INPUT)
        lsb = port.get("offset", 0)
        for bit_name, bit in zip(_bit_names(port_name, len(port["bits"]), lsb), port["bits"]):
            pin_names.append(bit_name)
            pin_cell.append(-1)
            pin_net.append(net(bit))
            pin_dir.append(direction)
            pin_cap.append(0.0)
        port_names.append(port_name)
        port_dir.append(direction)
        port_lsb.append(lsb)
        port_pin_ptr.append(len(pin_names))

    pin_net_array = np.array(pin_net, dtype=np.int32)
    net_pins = np.argsort(pin_net_array, kind="stable").astype(np.int32)
    net_ptr = np.zeros(len(net_names) + 1, dtype=np.int64)
    np.cumsum(np.bincount(pin_net_array, minlength=len(net_names)), out=net_ptr[1:])
    return Netlist(
        top=top_name, **types.arrays(),
        cell_names=cell_names, cell_type=np.array(cell_type, dtype=np.int32),
        cell_pin_ptr=np.array(cell_pin_ptr, dtype=np.int64),
        pin_names=pin_names, pin_cell=np.array(pin_cell, dtype=np.int32), pin_net=pin_net_array,
        pin_dir=np.array(pin_dir, dtype=np.int8), pin_cap_pf=np.array(pin_cap, dtype=float),
        net_names=_unique(net_names), net_ptr=net_ptr, net_pins=net_pins,
        net_const=np.array(net_const, dtype=np.int8),
        port_names=port_names, port_dir=np.array(port_dir, dtype=np.int8),
        port_lsb=np.array(port_lsb, dtype=np.int64), port_pin_ptr=np.array(port_pin_ptr, dtype=np.int64),
    )


def _unique(names: list[str]) -> list[str]:
    """`names` with repeats suffixed ``$2``, ``$3``... (a bit may carry an alias's name)."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        count = seen.get(name, 0) + 1
        seen[name] = count
        out.append(name if count == 1 else f"{name}${count}")
    return out


def read_yosys_json(path: str | Path, library, macros: Mapping[str, object] = (),
                    top: str | None = None) -> Netlist:
    """Read a flat Yosys JSON netlist into a `Netlist`.

    Parameters
    ----------
    path : path
        JSON from ``write_json`` after ``flatten``.
    library : tapeout.tech.library.Library
        Standard cells (area um^2, width in sites, pin capacitance pF).
    macros : mapping, optional
        Macro cell name -> macro object with ``.liberty_text()`` (e.g. ``SramMacro``).
    top : str, optional
        Module to read; default the one marked ``top`` (else the only non-blackbox one).
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise NetlistError(f"{path}: cannot read netlist: {error.strerror}") from None
    except json.JSONDecodeError as error:
        raise NetlistError(f"{path}:{error.lineno}: not a Yosys JSON netlist: {error.msg}") from None
    return netlist_from_json(data, library, macros, top, str(path))

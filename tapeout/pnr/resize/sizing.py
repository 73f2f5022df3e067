"""Post-placement driver sizing (the gate-sizing half of OpenROAD's repair_design): a cell whose
output load, wire included, exceeds `margin` of its pin's max_capacitance becomes the smallest
stronger cell of its family (NAND2_1 -> NAND2_2 -> NAND2_4) that carries the load.

Loads are estimated on the placement from a quick global route (as OpenROAD's
estimate_parasitics -global_routing): each net's routed length times a wire capacitance per
um, plus the sinks' pin capacitances (pF).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from tapeout.netlist.netlist import Netlist


def family_of(name: str) -> tuple[str, int] | None:
    """("NAND2", 1) for "NAND2_1"; None for names without a drive-strength suffix."""
    base, _, strength = name.rpartition("_")
    return (base, int(strength)) if base and strength.isdigit() else None


def net_loads_pf(netlist: Netlist, wire_um: np.ndarray, wire_pf_per_um: float) -> np.ndarray:
    """Estimated load of every net (pF): its wire length (um, e.g. from a global route) times the
    wire capacitance per um, plus the input pin capacitances on it."""
    caps = np.zeros(netlist.num_nets)
    np.add.at(caps, netlist.pin_net, netlist.pin_cap_pf)
    return np.asarray(wire_um) * wire_pf_per_um + caps


def _add_type(netlist: Netlist, library, name: str) -> int:
    """Index of library cell `name` among the netlist's types, adding it if needed."""
    if name in netlist.type_names:
        return netlist.type_names.index(name)
    cell = library[name]
    netlist.type_names.append(name)
    netlist.type_area_um2 = np.append(netlist.type_area_um2, cell.area_um2)
    netlist.type_width_sites = np.append(netlist.type_width_sites, cell.width_sites)
    netlist.type_is_macro = np.append(netlist.type_is_macro, False)
    netlist.type_is_sequential = np.append(netlist.type_is_sequential, cell.is_sequential)
    netlist.lib_cells.append(cell)
    return len(netlist.type_names) - 1


def upsize_drivers(netlist: Netlist, library, loads_pf: np.ndarray, margin: float = 0.8,
                   allowed=lambda cell: True) -> dict[str, str]:
    """Resize overloaded drivers in place (types and input pin caps); return {instance: new type}.
    Only cells the library does not mark dont_use and `allowed(name)` accepts are chosen."""
    sizes: dict[str, list[tuple[int, str]]] = {}
    for name in library.names:
        fam = family_of(name)
        if fam and not library[name].dont_use and allowed(name):
            sizes.setdefault(fam[0], []).append((fam[1], name))
    for options in sizes.values():
        options.sort()
    changed = {}
    for cell in range(netlist.num_cells):
        type_name = netlist.type_names[netlist.cell_type[cell]]
        lib = netlist.lib_cells[netlist.cell_type[cell]]
        fam = family_of(type_name)
        if lib is None or netlist.type_is_macro[netlist.cell_type[cell]] or fam is None:
            continue
        outputs = [p for p in netlist.cell_pins(cell) if netlist.pin_dir[p] == 1]
        load = max((loads_pf[netlist.pin_net[p]] for p in outputs), default=0.0)
        limits = [lib.pins[netlist.pin_names[p]].max_capacitance for p in outputs]
        if not limits or any(v is None for v in limits) or load <= margin * min(limits):
            continue
        choice = None
        for strength, candidate in sizes.get(fam[0], []):
            if strength <= fam[1]:
                continue
            choice = candidate
            cand = library[candidate]
            if all(cand.pins[netlist.pin_names[p]].max_capacitance * margin >= load for p in outputs):
                break
        if choice is None:
            continue
        netlist.cell_type[cell] = _add_type(netlist, library, choice)
        new = library[choice]
        for p in netlist.cell_pins(cell):
            if netlist.pin_dir[p] == 0:
                netlist.pin_cap_pf[p] = new.pins[netlist.pin_names[p]].capacitance
        changed[netlist.cell_names[cell]] = choice
    return changed


def write_resized_json(synth_json: Path, netlist: Netlist, out_json: Path) -> None:
    """The synthesised Yosys JSON with every cell's type as in `netlist` (cells keep their order)."""
    data = json.loads(Path(synth_json).read_text())
    cells = data["modules"][netlist.top]["cells"]
    if len(cells) != netlist.num_cells:
        raise ValueError(f"{synth_json} has {len(cells)} cells, the netlist {netlist.num_cells}")
    for index, cell in enumerate(cells.values()):
        cell["type"] = netlist.type_names[netlist.cell_type[index]]
    Path(out_json).write_text(json.dumps(data))

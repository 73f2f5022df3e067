"""Put a synthesised clock tree into the netlist: one buffer instance per tree node, one net per buffer.

The netlist is edited as the Yosys JSON the flow hands on (`<top>.json`): each buffer becomes a cell
of the library's clock buffer type named ``cts_buf_<tree>_<level>_<k>``, driving a new net
``cts_clk_<tree>_<level>_<k>``; each clock sink's clock pin moves from the clock net to the net of
the buffer that drives it, and the root buffer's input takes the original clock net. Cells keep
their order (the buffers come last), so positions of the other cells keep their index.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np

from tapeout.netlist.netlist import Netlist
from tapeout.pnr.cts.balanced_tree import ClockTree


@dataclass(frozen=True)
class InsertedBuffer:
    """A clock buffer added to the netlist: its name, the tree it belongs to and its node there."""

    name: str
    tree: int
    node: int


def sinks_by_net(netlist: Netlist, sink_pins: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """Clock sink pins grouped by the net that clocks them, nets in index order."""
    nets = netlist.pin_net[sink_pins]
    return [(int(n), sink_pins[nets == n]) for n in np.unique(nets)]


def _json_cell_keys(module: dict) -> list[str]:
    return list(module["cells"])


def insert_clock_buffers(data: dict, top: str, netlist: Netlist, trees: list[tuple[np.ndarray, ClockTree]],
                         buffer_cell: str, input_pin: str, output_pin: str) -> tuple[dict, list[InsertedBuffer]]:
    """A copy of Yosys JSON `data` with the buffers of `trees` ((sink pins, tree) per clock net) inserted.

    `netlist` is the netlist read from `data` (its cell order is the JSON's); `input_pin` and
    `output_pin` name the buffer cell's pins.
    """
    data = copy.deepcopy(data)
    module = data["modules"][top]
    cells, netnames = module["cells"], module["netnames"]
    keys = _json_cell_keys(module)
    if len(keys) != netlist.num_cells:
        raise ValueError(f"the JSON has {len(keys)} cells, the netlist {netlist.num_cells}")
    used = [b for info in netnames.values() for b in info["bits"] if isinstance(b, int)]
    used += [b for cell in cells.values() for bits in cell["connections"].values() for b in bits
             if isinstance(b, int)]
    next_bit = max(used, default=1) + 1
    inserted = []
    for t, (sinks, tree) in enumerate(trees):
        clock_bit = _pin_bit(cells[keys[netlist.pin_cell[sinks[0]]]], netlist.pin_names[sinks[0]])
        n_nodes = len(tree.parent)
        node_bit = {}  # buffer node -> the bit of the net it drives
        per_level: dict[int, int] = {}
        for node in range(tree.n_sinks, n_nodes):
            level = int(tree.level[node])
            k = per_level[level] = per_level.get(level, -1) + 1
            name = f"cts_buf_{t}_{level}_{k}"
            while name in cells:
                name += "_"
            node_bit[node] = next_bit
            next_bit += 1
            net_name = name.replace("cts_buf_", "cts_clk_", 1)
            netnames[net_name] = {"hide_name": 0, "bits": [node_bit[node]], "attributes": {}}
            cells[name] = {"hide_name": 0, "type": buffer_cell, "parameters": {}, "attributes": {},
                           "port_directions": {input_pin: "input", output_pin: "output"},
                           "connections": {input_pin: [None], output_pin: [node_bit[node]]}}
            inserted.append(InsertedBuffer(name, t, node))
        by_node = {b.node: b.name for b in inserted if b.tree == t}
        for node in range(tree.n_sinks, n_nodes):
            parent = int(tree.parent[node])
            cells[by_node[node]]["connections"][input_pin] = [clock_bit if parent < 0 else node_bit[parent]]
        for node, pin in enumerate(sinks):
            cell = cells[keys[netlist.pin_cell[pin]]]
            _set_pin_bit(cell, netlist.pin_names[pin], node_bit[int(tree.parent[node])])
    return data, inserted


def _pin_bit(cell: dict, pin_name: str):
    base, index = _split(pin_name)
    return cell["connections"][base][index]


def _set_pin_bit(cell: dict, pin_name: str, bit: int) -> None:
    base, index = _split(pin_name)
    cell["connections"][base][index] = bit


def _split(pin_name: str) -> tuple[str, int]:
    if pin_name.endswith("]") and "[" in pin_name:
        base, _, index = pin_name[:-1].rpartition("[")
        return base, int(index)
    return pin_name, 0

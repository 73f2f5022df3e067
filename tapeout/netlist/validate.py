"""Connectivity rules every netlist handed to placement must satisfy."""

from __future__ import annotations

import numpy as np

from tapeout.netlist.errors import NetlistError
from tapeout.netlist.netlist import PIN_INPUT, Netlist


def _list(netlist: Netlist, pins, limit: int = 3) -> str:
    labels = [netlist.pin_label(int(p)) for p in pins[:limit]]
    more = f" and {len(pins) - limit} more" if len(pins) > limit else ""
    return ", ".join(labels) + more


def _driver_problems(netlist: Netlist) -> list[str]:
    problems = []
    drivers = np.bincount(netlist.pin_net[netlist.pin_is_driver], minlength=netlist.num_nets)
    drivers = drivers + (netlist.net_const >= 0)
    for net in np.flatnonzero(drivers > 1):
        pins = netlist.net_pin_list(net)
        const = " and the constant" if netlist.net_const[net] >= 0 else ""
        problems.append(f"net `{netlist.net_names[net]}` has {drivers[net]} drivers: "
                        f"{_list(netlist, pins[netlist.pin_is_driver[pins]])}{const}")
    for net in np.flatnonzero((drivers == 0) & (np.diff(netlist.net_ptr) > 0)):
        problems.append(f"net `{netlist.net_names[net]}` has no driver "
                        f"(read by {_list(netlist, netlist.net_pin_list(net))})")
    return problems


def _unconnected_inputs(netlist: Netlist) -> list[str]:
    problems = []
    type_inputs = np.array([len(c.inputs) for c in netlist.lib_cells], dtype=np.int64)
    input_pins = ~netlist.pin_is_port & (netlist.pin_dir == PIN_INPUT)
    connected = np.bincount(netlist.pin_cell[input_pins], minlength=netlist.num_cells)
    for cell in np.flatnonzero(connected < type_inputs[netlist.cell_type]):
        lib_cell = netlist.lib_cells[int(netlist.cell_type[cell])]
        names = {netlist.pin_names[p] for p in netlist.cell_pins(int(cell))}
        missing = [pin.name for pin in lib_cell.inputs if pin.name not in names]
        problems.append(f"cell `{netlist.cell_names[cell]}` ({lib_cell.name}) input pin "
                        f"{', '.join(missing)} is not connected")
    return problems


def netlist_problems(netlist: Netlist) -> list[str]:
    """Every rule violation, one line each (empty when the netlist is sound).

    Rules: every pin is on exactly one net; every net read by a pin has exactly one
    driver (a cell output, a top-level input port, or the constant of a ``1'b0``/``1'b1``
    net) and no net has more; every input pin of every library cell is connected.
    """
    off_net = np.flatnonzero((netlist.pin_net < 0) | (netlist.pin_net >= netlist.num_nets))
    if off_net.size:
        return [f"{_list(netlist, off_net)} not on a net"]
    return _driver_problems(netlist) + _unconnected_inputs(netlist)


def validate(netlist: Netlist) -> None:
    """Raise `NetlistError` with the first problem (and how many more) when the netlist is unsound."""
    problems = netlist_problems(netlist)
    if problems:
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise NetlistError(f"netlist `{netlist.top}`: {problems[0]}{more}")

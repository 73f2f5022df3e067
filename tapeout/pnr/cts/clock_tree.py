"""Clock tree synthesis on a placed netlist: sinks are the clock pins of flops and macros, the
buffer is a library clock buffer characterised from its NLDM tables, wires are met3."""

from __future__ import annotations

import numpy as np

from tapeout.netlist.netlist import Netlist
from tapeout.pnr.cts.balanced_tree import ClockBuffer, ClockTree, ClockWire, build_clock_tree
from tapeout.pnr.errors import ClockTreeError

CLOCK_BUFFER = "CLKBUF_4"
CLOCK_LAYER = "met3"
TYPICAL_SLEW_NS = 0.05


def clock_buffer_cell(library, preferred: str = CLOCK_BUFFER) -> str:
    """Name of the library's clock buffer: `preferred` when the library has it as a buffer (the
    technology names its clock buffer; SKY130's Liberty marks no cell ``is_clock_cell``), else the
    clock-cell buffer (Liberty ``is_clock_cell``, one input, output function = that input) nearest to
    drive 4."""
    if preferred in library and library[preferred].is_buffer:
        return preferred
    candidates = []
    for name in library.names:
        cell = library[name]
        if cell.is_clock_cell and cell.is_buffer:
            strength = name.rpartition("_")[2]
            candidates.append((abs(int(strength) - 4) if strength.isdigit() else 99, name))
    if not candidates:
        raise ClockTreeError(f"library {library.name} has no clock buffer (a cell with is_clock_cell : true, one "
                             "input and an output function equal to it): add one to build a clock tree")
    return min(candidates)[1]


def clock_buffer(library, name: str = CLOCK_BUFFER) -> ClockBuffer:
    """Input cap, intrinsic delay and drive resistance (slope of delay over load) of a library buffer."""
    cell = library[name]
    (inp,) = cell.inputs
    (out,) = cell.outputs
    table = cell.arc(inp.name, out.name).tables["cell_rise"]
    loads = table.index_2
    d0, d1 = (float(table(TYPICAL_SLEW_NS, load)) for load in (loads[0], loads[-1]))
    slope = (d1 - d0) / (loads[-1] - loads[0])  # ns/pF = kOhm
    return ClockBuffer(input_cap_pf=inp.capacitance, intrinsic_delay_ns=d0 - slope * loads[0],
                       drive_resistance_kohm=slope)


def clock_wire(layer_name: str = CLOCK_LAYER, stack=None) -> ClockWire:
    """R and C per um of a minimum-width wire on `layer_name` of `stack` (default: tap130's)."""
    from tapeout.tech.layers import METAL_STACK

    layer = next(l for l in (stack or METAL_STACK) if l.name == layer_name)
    return ClockWire(r_kohm_per_um=layer.r_ohm_per_um / 1000.0, c_pf_per_um=layer.c_ff_per_um / 1000.0)


def synthesize_clock_tree(netlist: Netlist, sink_pins: np.ndarray, pin_x: np.ndarray, pin_y: np.ndarray,
                          library, max_fanout: int = 16, buffer_cell: str = CLOCK_BUFFER,
                          stack=None) -> ClockTree | None:
    """A balanced buffered tree of `buffer_cell` over `sink_pins` (netlist pin indices) at their placed
    positions, wired on met3 of `stack` (the technology's metal stack; default tap130's)."""
    if len(sink_pins) == 0:
        return None
    return build_clock_tree(pin_x[sink_pins], pin_y[sink_pins], netlist.pin_cap_pf[sink_pins],
                            clock_buffer(library, buffer_cell), clock_wire(stack=stack), max_fanout=max_fanout)

"""Power: switching (0.5 a C V^2 f per net), internal energy per toggle, leakage.

Units: capacitance pF, energy pJ, frequency MHz, so pF V^2 MHz and pJ MHz are uW;
results are reported in mW. Activity ``a`` is toggles per clock cycle (2.0 for a
clock net). Internal energy per output toggle is the mean of the Liberty rise and
fall ``internal_power`` tables at the pin's input slew and load (averaged over the
arcs into that output); input-pin tables (e.g. a flop's clock pin) count per toggle
of that input.
"""

from dataclasses import dataclass, field

import numpy as np

__all__ = ["PowerReport", "compute_power", "net_activity"]


@dataclass
class PowerReport:
    """Power by kind and by block (mW)."""

    switching_mw: float
    internal_mw: float
    leakage_mw: float
    blocks: dict = field(default_factory=dict)

    @property
    def total_mw(self):
        return self.switching_mw + self.internal_mw + self.leakage_mw

    def metrics(self):
        return {"power__total__mw": round(self.total_mw, 9),
                "power__switching__mw": round(self.switching_mw, 9),
                "power__internal__mw": round(self.internal_mw, 9),
                "power__leakage__mw": round(self.leakage_mw, 9)}


def _normalise(name):
    return name.lstrip("\\").replace("/", ".").replace(" ", "")


def net_activity(graph, toggles=None, cycles=None, default=0.1, clock_nets=(), clock_activity=2.0):
    """Toggles per cycle of every net.

    Parameters
    ----------
    graph : TimingGraph
    toggles : VcdToggles, optional
        Counts from a VCD; a net takes the count of the VCD bit whose name (without
        the top scope) matches it.
    cycles : float, optional
        Clock cycles the VCD covers (required with ``toggles``).
    default : float
        Activity of nets not in the VCD.
    clock_nets : sequence of str
        Nets given ``clock_activity``.
    """
    if not default >= 0:
        raise ValueError(f"default must be a non-negative number, not {default!r}")
    activity = np.full(graph.n_nets, float(default))
    if toggles is not None:
        if not (cycles and cycles > 0):
            raise ValueError(f"cycles must be a positive number with toggles, not {cycles!r}")
        counts = {}
        for name, count in toggles.by_name().items():
            parts = name.split(".")
            for k in range(len(parts)):
                counts.setdefault(".".join(parts[k:]), count)
        for net, name in enumerate(graph.net_names):
            key = _normalise(name)
            if key in counts:
                activity[net] = counts[key] / cycles
    for name in clock_nets:
        activity[graph.net_names.index(name)] = clock_activity
    return activity


def _block(name, depth):
    parts = _normalise(name).split(".")
    return ".".join(parts[:depth]) if len(parts) > depth else "(top)"


def compute_power(graph, activity, frequency_mhz, vdd_v, wire_cap_pf=None, pin_slew_ns=None,
                  block_depth=1, default_slew_ns=0.05):
    """Power of ``graph`` at ``frequency_mhz`` and ``vdd_v``.

    Parameters
    ----------
    activity : array of float, shape (n_nets,)
        Toggles per cycle (see :func:`net_activity`).
    wire_cap_pf : array of float, optional
        Wire capacitance per net (e.g. ``Parasitics.net_wire_cap_pf()``).
    pin_slew_ns : array of float, optional
        Slew per pin from STA (``TimingReport.pin_slew_ns``); else ``default_slew_ns``.
    block_depth : int
        Hierarchy levels of the instance name (``.`` or ``/`` separated) naming a block.
    """
    if not frequency_mhz > 0:
        raise ValueError(f"frequency_mhz must be a positive number, not {frequency_mhz!r}")
    if not vdd_v > 0:
        raise ValueError(f"vdd_v must be a positive number, not {vdd_v!r}")
    activity = np.asarray(activity, dtype=float)
    if activity.shape != (graph.n_nets,):
        raise ValueError(f"activity must have {graph.n_nets} entries, not shape {activity.shape}")
    wire = np.zeros(graph.n_nets) if wire_cap_pf is None else np.asarray(wire_cap_pf, dtype=float)
    net_cap = graph.net_sink_cap_pf() + wire
    net_uw = 0.5 * activity * net_cap * vdd_v ** 2 * frequency_mhz
    slew = np.full(graph.n_pins, default_slew_ns) if pin_slew_ns is None else \
        np.where(np.isfinite(pin_slew_ns), pin_slew_ns, default_slew_ns)
    pin_act = np.where(graph.pin_net >= 0, activity[np.maximum(graph.pin_net, 0)], 0.0)
    load = np.where(graph.pin_net >= 0, net_cap[np.maximum(graph.pin_net, 0)], 0.0)
    cell_internal_uw = np.zeros(graph.n_cells)
    cell_pins = {}
    for p in np.flatnonzero(graph.pin_cell >= 0):
        cell_pins.setdefault(int(graph.pin_cell[p]), {})[graph.pin_names[p]] = int(p)
    for cell, pins in cell_pins.items():
        lib = graph.lib_cells[graph.cell_type[cell]]
        by_pin = {}
        for arc in lib.power:
            if arc.pin not in pins:
                continue
            p = pins[arc.pin]
            is_output = graph.pin_is_driver[p]
            related = pins.get(arc.related_pin, p)
            x = slew[related]
            tables = [t for t in (arc.rise, arc.fall) if t is not None]
            if not tables:
                continue
            energy = np.mean([t(x, load[p]) if is_output and len(t.index_2) else t(x)
                              for t in tables])
            by_pin.setdefault(p, []).append(energy)
        for p, energies in by_pin.items():
            cell_internal_uw[cell] += pin_act[p] * float(np.mean(energies)) * frequency_mhz
    leak_uw = np.array([graph.lib_cells[t].leakage_nw for t in graph.cell_type]) * 1e-3 \
        if graph.n_cells else np.zeros(0)
    blocks = {}
    cell_block = [_block(name, block_depth) for name in graph.cell_names]
    for cell, block in enumerate(cell_block):
        blocks[block] = blocks.get(block, 0.0) + (cell_internal_uw[cell] + leak_uw[cell]) * 1e-3
    for net in range(graph.n_nets):
        d = graph.net_driver[net]
        block = cell_block[graph.pin_cell[d]] if d >= 0 and graph.pin_cell[d] >= 0 else "(top)"
        blocks[block] = blocks.get(block, 0.0) + net_uw[net] * 1e-3
    return PowerReport(float(net_uw.sum()) * 1e-3, float(cell_internal_uw.sum()) * 1e-3,
                       float(leak_uw.sum()) * 1e-3, dict(sorted(blocks.items())))

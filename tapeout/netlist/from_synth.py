"""Load the synth stage's mapped netlist, with its SRAM macros, as the shared Netlist model."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tapeout.netlist.netlist import Netlist


def load_synthesized(synth_dir: Path, top: str, library=None) -> Netlist:
    """The `Netlist` (each net's driver first) of `synth_dir/<top>.json`, cells linked to `library`
    (default: tap130) and macros to their models."""
    from tapeout.netlist.yosys_json import read_yosys_json
    from tapeout.synth.memory_macros import macro_models, read_mappings
    from tapeout.tech.library import default_library

    macros = macro_models(read_mappings(Path(synth_dir) / "memories.json"))
    netlist = read_yosys_json(Path(synth_dir) / f"{top}.json", library or default_library(), macros, top=top)
    put_drivers_first(netlist)
    return netlist


def put_drivers_first(netlist: Netlist) -> None:
    """Reorder each net's pins so that its driver comes first (routers and RC trees root there)."""
    drivers = netlist.net_driver()
    nets = np.flatnonzero(drivers >= 0)
    position = np.empty(netlist.num_pins, dtype=np.int64)
    position[netlist.net_pins] = np.arange(len(netlist.net_pins))
    first, at = netlist.net_ptr[nets], position[drivers[nets]]
    pins = netlist.net_pins.copy()
    pins[first], pins[at] = netlist.net_pins[at], netlist.net_pins[first]
    netlist.net_pins = pins

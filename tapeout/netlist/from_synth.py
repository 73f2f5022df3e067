"""Load the synth stage's mapped netlist, with its SRAM macros, as the shared Netlist model."""

from __future__ import annotations

from pathlib import Path

from tapeout.netlist.netlist import Netlist


def load_synthesized(synth_dir: Path, top: str) -> Netlist:
    """The `Netlist` of `synth_dir/<top>.json`, cells linked to tap130 and macros to their models."""
    from tapeout.netlist.yosys_json import read_yosys_json
    from tapeout.synth.memory_macros import macro_models, read_mappings
    from tapeout.tech.library import default_library

    macros = macro_models(read_mappings(Path(synth_dir) / "memories.json"))
    return read_yosys_json(Path(synth_dir) / f"{top}.json", default_library(), macros, top=top)

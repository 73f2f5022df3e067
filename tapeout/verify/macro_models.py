"""Behavioural models of the SRAM macros a netlist instantiates, for gate-level simulation and as black
boxes for logic equivalence: from the synthesis memory report, through the technology's macro factory."""

from __future__ import annotations

import json
from pathlib import Path


def macro_models(memories_json: Path, macro_factory: str, path: Path) -> Path:
    """Write the behavioural Verilog of every SRAM macro in ``memories_json`` to ``path``."""
    from tapeout.synth.memory_macros import load_factory

    factory = load_factory(macro_factory)
    rows = json.loads(Path(memories_json).read_text()) if Path(memories_json).is_file() else []
    models = {}
    for row in rows:
        if row.get("mapped_to", "flops") != "flops":
            macro = factory(row["words"], row["bits"], row.get("write_granularity") or row["bits"])
            models[macro.name] = macro.verilog_model()
    path.write_text("".join(models[name] + "\n" for name in sorted(models)))
    return path


def macro_types(memories_json: Path) -> list[str]:
    """Names of the SRAM macros a netlist instantiates (from the synthesis memory report), sorted."""
    rows = json.loads(Path(memories_json).read_text()) if Path(memories_json).is_file() else []
    return sorted({row["mapped_to"] for row in rows if row.get("mapped_to", "flops") != "flops"})

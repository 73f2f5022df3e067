"""What a synthesis run produced: file paths, the area report and flow metrics."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tapeout.synth.area_report import AreaReport
from tapeout.synth.memory_macros import MemoryMapping


@dataclass(frozen=True)
class SynthResult:
    """Outputs of `tapeout.synth.synthesize`.

    netlist_verilog, netlist_json : flat mapped netlist (structural Verilog, Yosys JSON)
    area_report : text ``stat -liberty`` report, per module and whole design
    log : full Yosys log
    macro_liberty : Liberty file of each SRAM macro cell used, by cell name
    macro_models : the macro objects (``SramMacro``) by cell name, for the netlist reader
    area : parsed area report before flattening (um^2, cell counts, per module)
    final_area : area report of the final flat netlist, fanout buffers included
    fanout_buffers : buffers inserted on high-fanout nets
    memories : what became of each inferred memory (macros or flops)
    flops : flip-flop count; runtime_s : wall time of the Yosys run (s)
    """

    top: str
    netlist_verilog: Path
    netlist_json: Path
    area_report: Path
    log: Path
    macro_liberty: dict[str, Path]
    macro_models: dict[str, object]
    area: AreaReport
    memories: list[MemoryMapping]
    flops: int
    runtime_s: float
    final_area: AreaReport | None = None
    fanout_buffers: int = 0

    @property
    def macro_count(self) -> int:
        """SRAM macro instances in the netlist."""
        return sum((self.final_area or self.area).cells_by_type.get(name, 0) for name in self.macro_liberty)

    @property
    def metrics(self) -> dict[str, float | int]:
        """Flow metrics, OpenLane style (``<area>__<thing>__<unit>[__<key>:<value>]``).

        ``synth__area__um2`` is the whole design; ``...__module:<m>`` one instance of module
        ``m`` with its submodules; ``...__block:<b>`` all instances of block kind ``b``
        (``pe`` for ``tile.array.pe_0_3``...); ``synth__cells__count__type:<t>`` the cells of type ``t``.
        """
        final = self.final_area or self.area
        metrics: dict[str, float | int] = {
            "synth__area__um2": final.area_um2,
            "synth__sequential_area__um2": self.area.sequential_area_um2,
            "synth__cells__count": final.cells,
            "synth__fanout_buffers__count": self.fanout_buffers,
            "synth__flops__count": self.flops,
            "synth__macros__count": self.macro_count,
            "synth__memories_as_flops__count": sum(m.mapped_to == "flops" for m in self.memories),
            "synth__runtime__s": round(self.runtime_s, 3),
        }
        for name, module in sorted(self.area.modules.items()):
            if module.instances:
                metrics[f"synth__area__um2__module:{name}"] = module.area_um2
                metrics[f"synth__instances__count__module:{name}"] = module.instances
        for name, block in self.area.blocks.items():
            metrics[f"synth__area__um2__block:{name}"] = round(block.area_um2, 4)
        for kind, count in final.cells_by_type.items():
            metrics[f"synth__cells__count__type:{kind}"] = count
        return metrics

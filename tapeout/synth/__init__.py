"""Logic synthesis (stage 4): Verilog to a flat netlist of the project's cells, with Yosys."""

from tapeout.synth.area_report import AreaReport, BlockArea, ModuleArea
from tapeout.synth.errors import SynthError
from tapeout.synth.memory_macros import MemoryMapping, macro_models, read_mappings
from tapeout.synth.result import SynthResult
from tapeout.synth.synthesize import synthesize

__all__ = ["synthesize", "SynthResult", "SynthError", "AreaReport", "BlockArea", "ModuleArea",
           "MemoryMapping", "macro_models", "read_mappings"]

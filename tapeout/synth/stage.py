"""The `synth` flow stage: the rtl stage's RTLIL through Yosys to the tap130 cells and SRAM macros."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import version

from tapeout.flow.schema import Bool, Int, setting
from tapeout.flow.stage import Artifact, Stage, StageContext
from tapeout.rtl.stage import RTL_RTLIL


@dataclass(frozen=True)
class SynthSection:
    """[synth]: logic synthesis options."""

    macros: bool = setting(Bool(), True, doc="map large memories to SRAM macros (else to flip-flops)")
    macro_min_bits: int = setting(Int(0, 1 << 24, "bits"), 1024, doc="smallest memory mapped to a macro")


NETLIST_V = Artifact("synth", "{top}.v", "verilog", "mapped netlist")
NETLIST_JSON = Artifact("synth", "{top}.json", "yosys-json", "mapped netlist as Yosys JSON (what placement reads)")
AREA_RPT = Artifact("synth", "area.rpt", "text", "cell area per block and cell type")
AREA_JSON = Artifact("synth", "area.json", "json", "the same, machine-readable")
MEMORIES = Artifact("synth", "memories.json", "json", "each memory and the SRAM macro (or flops) it became")
FANOUT_BUFFERS = Artifact("synth", "fanout_buffers.json", "json", "fanout buffer trees inserted", optional=True)


class SynthStage(Stage):
    name = "synth"
    title = "synthesis"
    summary = ("Yosys (pyosys) to the project's 130 nm-class `tap130` cells: memories to SRAM macros, "
               "`dfflibmap`, ABC with buffering and sizing against the clock, fanout buffer trees; "
               "design-rule checks")
    sections = {"synth": SynthSection}
    reads = ("design.top", "design.clock_period_ns", "technology.library", "technology.pdk_root")
    inputs = (RTL_RTLIL,)
    outputs = (NETLIST_V, NETLIST_JSON, AREA_RPT, AREA_JSON, MEMORIES, FANOUT_BUFFERS)
    key_metrics = ("synth__area__um2", "synth__cells__count", "synth__macros__count")

    def tool_versions(self) -> dict[str, str]:
        return {"pyosys": version("pyosys")}

    def input_files(self, config):
        from tapeout.tech.technology import technology_files

        return technology_files(config)

    def run(self, ctx: StageContext) -> dict:
        from tapeout.netlist import validate
        from tapeout.netlist.from_synth import load_synthesized
        from tapeout.synth.errors import SynthError
        from tapeout.synth.synthesize import synthesize
        from tapeout.tech.technology import cells_used_but_dont_use, technology_of

        config, top = ctx.config, ctx.top
        technology = technology_of(config)
        ctx.log(f"technology {technology.name}: {technology.liberty()}, {len(technology.dont_use)} cells "
                "kept out of synthesis")
        ctx.progress(None, "yosys: synth, dfflibmap, abc")
        result = synthesize([ctx.path(RTL_RTLIL)], top, technology.liberty(), config.design.clock_period_ns,
                            ctx.out_dir, macros=config.synth.macros, macro_min_bits=config.synth.macro_min_bits,
                            macro_factory=technology.macro_factory, dont_use=technology.dont_use,
                            fanout_buffer=technology.fanout_buffer, delay_buffer=technology.delay_buffer,
                            macro_input_stages=technology.macro_input_stages)
        ctx.progress(None, "checking the mapped netlist")
        netlist = load_synthesized(ctx.out_dir, top, technology.library())
        forbidden = cells_used_but_dont_use(technology, {netlist.type_names[t] for t in set(netlist.cell_type)})
        if forbidden:
            more = f" (and {len(forbidden) - 1} more)" if len(forbidden) > 1 else ""
            raise SynthError(f"the netlist needs {forbidden[0]}{more}, which {technology.name} keeps out of "
                             "synthesis (dont_use); the RTL instantiates it")
        validate(netlist)
        ctx.log(ctx.path(AREA_RPT).read_text())
        ctx.log(f"netlist: {netlist.num_cells} cells, {netlist.num_nets} nets, {netlist.num_pins} pins")
        return result.metrics

"""The `synth` flow stage: the rtl stage's RTLIL through Yosys to the tap130 cells and SRAM macros."""

from __future__ import annotations

from importlib.metadata import version

from tapeout.flow.stage import Stage, StageContext


class SynthStage(Stage):
    name = "synth"
    title = "synthesis"
    needs = ("rtl",)
    reads = ("design.top", "design.clock_period_ns", "technology.library", "synth")
    outputs = ("{top}.v", "{top}.json", "area.rpt", "area.json", "memories.json")
    code = ("synth", "netlist", "tech")
    key_metrics = ("synth__area__um2", "synth__cells__count", "synth__macros__count")

    def tool_versions(self) -> dict[str, str]:
        return {"pyosys": version("pyosys")}

    def run(self, ctx: StageContext) -> dict:
        from tapeout.netlist import validate
        from tapeout.netlist.from_synth import load_synthesized
        from tapeout.synth.synthesize import synthesize
        from tapeout.tech.generate import LIBERTY_PATH

        config, top = ctx.config, ctx.config.design.top
        ctx.progress(None, "yosys: synth, dfflibmap, abc")
        result = synthesize([ctx.input("rtl", f"{top}.il")], top, LIBERTY_PATH, config.design.clock_period_ns,
                            ctx.out_dir, macros=config.synth.macros, macro_min_bits=config.synth.macro_min_bits)
        ctx.progress(None, "checking the mapped netlist")
        netlist = load_synthesized(ctx.out_dir, top)
        validate(netlist)
        ctx.log((ctx.out_dir / "area.rpt").read_text())
        ctx.log(f"netlist: {netlist.num_cells} cells, {netlist.num_nets} nets, {netlist.num_pins} pins")
        return result.metrics

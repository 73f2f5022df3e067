"""The `rtl` flow stage: elaborate the design to `<top>.il` and `<top>.v`, with a register/memory inventory."""

from __future__ import annotations

import json
from importlib.metadata import version

from tapeout.flow.stage import Artifact, Stage, StageContext

RTL_VERILOG = Artifact("rtl", "{top}.v", "verilog", "the elaborated design")
RTL_RTLIL = Artifact("rtl", "{top}.il", "rtlil", "the same as Yosys RTLIL (what synthesis reads)")
INVENTORY = Artifact("rtl", "inventory.json", "json", "flop bits and memory bits per block")


class RtlStage(Stage):
    name = "rtl"
    title = "elaborate RTL"
    summary = ("elaborates the Amaranth tile (systolic array, ping-pong SRAM tile buffer, round-robin "
               "crossbar, command engine) or your own Verilog/Amaranth top; register and memory inventory "
               "per block")
    reads = ("design.top", "design.verilog", "design.amaranth", "tensor_core", "tile_buffer", "crossbar")
    outputs = (RTL_VERILOG, RTL_RTLIL, INVENTORY)
    key_metrics = ("rtl__flops__count", "rtl__memory__bits")

    def tool_versions(self) -> dict[str, str]:
        return {"amaranth": version("amaranth"), "pyosys": version("pyosys")}

    def input_files(self, config):
        return config.verilog_paths

    def run(self, ctx: StageContext) -> dict:
        from tapeout.rtl.export import export, inventory
        from tapeout.rtl.sources import export_user_verilog, generated_tile, user_amaranth_component

        config, top = ctx.config, ctx.top
        if config.design.verilog:
            ctx.progress(None, "reading Verilog")
            paths = export_user_verilog(config, ctx.out_dir)
        else:
            ctx.progress(None, "elaborating Amaranth")
            component = user_amaranth_component(config) if config.design.amaranth else generated_tile(config)
            paths = export(component, top, ctx.out_dir)
        ctx.progress(None, "counting registers and memories")
        inv = inventory(paths["rtlil"], top)
        ctx.path(INVENTORY).write_text(json.dumps(inv, indent=2, sort_keys=True) + "\n")
        ctx.log(f"wrote {paths['verilog'].name} and {paths['rtlil'].name}")
        ctx.log(f"total: {inv['total']['flops']} flop bits, {inv['total']['memory_bits']} memory bits")
        metrics = {"rtl__flops__count": inv["total"]["flops"], "rtl__memory__bits": inv["total"]["memory_bits"]}
        for block, counts in sorted(inv["blocks"].items()):
            ctx.log(f"  {block}: {counts['flops']} flop bits, {counts['memory_bits']} memory bits")
            metrics[f"rtl__flops__count__block:{block}"] = counts["flops"]
            metrics[f"rtl__memory__bits__block:{block}"] = counts["memory_bits"]
        return metrics

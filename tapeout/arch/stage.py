"""The `arch` flow stage: writes arch.json, the roofline picture and the model's metrics."""

from __future__ import annotations

import json

from tapeout.flow.stage import Stage, StageContext


class ArchStage(Stage):
    name = "arch"
    title = "architecture model"
    reads = ("design.clock_period_ns", "tensor_core", "tile_buffer", "crossbar", "arch")
    outputs = ("arch.json", "roofline.png")
    code = ("arch",)
    key_metrics = ("arch__peak__ops_per_s", "arch__gemm_utilization__ratio", "arch__rtl_gemm_utilization__ratio")

    def applies(self, config) -> bool:
        return config.tensor_core is not None

    def run(self, ctx: StageContext) -> dict:
        from tapeout.arch.model import evaluate, metrics
        from tapeout.arch.roofline_plot import draw_roofline

        report = evaluate(ctx.config)
        (ctx.out_dir / "arch.json").write_text(json.dumps(report, indent=2) + "\n")
        ctx.progress(0.5, "roofline picture")
        draw_roofline(report, ctx.out_dir / "roofline.png")
        for g in report["gemms"]:
            flow = g["dataflows"][report["array"]["dataflow"]]
            ctx.log(f'gemm {g["m"]}x{g["k"]}x{g["n"]}: {flow["folds"]} folds, {flow["cycles"]} cycles '
                    f'(SCALE-Sim), {flow["rtl_cycles"]} cycles (RTL, pipelined), utilization '
                    f'{flow["utilization"]:.3f} / {flow["rtl_utilization"]:.3f}, {g["bound"]}-bound')
        return metrics(report)

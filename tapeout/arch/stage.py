"""The `arch` flow stage: writes arch.json, the roofline picture and the model's metrics."""

from __future__ import annotations

import json
from dataclasses import dataclass

from tapeout.flow.schema import Float, ShapeList, setting
from tapeout.flow.stage import NO_PICTURES, Artifact, Picture, Stage, StageContext

DEFAULT_GEMMS = ((64, 64, 64), (128, 256, 64), (4, 512, 4), (100, 30, 70), (1, 4096, 4096))


@dataclass(frozen=True)
class ArchSection:
    """[arch]: the workload the analytical model evaluates."""

    gemms: tuple[tuple[int, int, int], ...] = setting(ShapeList(), DEFAULT_GEMMS, doc="[M, K, N] shapes")
    offchip_bandwidth_gbps: float = setting(
        Float(0.0, 1e6, "GB/s", lo_open=True), 0.0,
        doc="memory bandwidth feeding the tile; 0 = one crossbar port at the clock",
    )


ARCH_JSON = Artifact("arch", "arch.json", "json", "the model: peak, bandwidths, per-GEMM folds, cycles, utilisation")
ROOFLINE_PNG = Artifact("arch", "roofline.png", "png", "roofline with the GEMMs on it")


class ArchStage(Stage):
    name = "arch"
    title = "architecture model"
    summary = ("analytical model: peak MACs/cycle and ops/s, buffer and link bandwidth, GEMM folds; cycles and "
               "PE utilisation per dataflow as SCALE-Sim v2/v3 counts them and as the RTL runs them (pipelined), "
               "roofline knee")
    sections = {"arch": ArchSection}
    reads = ("design.clock_period_ns", "tensor_core", "tile_buffer", "crossbar")
    outputs = (ARCH_JSON, ROOFLINE_PNG)
    options = (NO_PICTURES,)
    pictures = (Picture(ROOFLINE_PNG, "roofline"),)
    key_metrics = ("arch__peak__ops_per_s", "arch__scalesim_utilization__ratio",
                   "arch__rtl_pipelined_utilization__ratio")

    def applies(self, config) -> bool:
        return config.tensor_core is not None

    def run(self, ctx: StageContext) -> dict:
        from tapeout.arch.model import evaluate, metrics
        from tapeout.arch.roofline_plot import draw_roofline

        report = evaluate(ctx.config)
        ctx.path(ARCH_JSON).write_text(json.dumps(report, indent=2) + "\n")
        if ctx.draw_pictures:
            ctx.progress(0.5, "roofline picture")
            draw_roofline(report, ctx.path(ROOFLINE_PNG))
        for g in report["gemms"]:
            flow = g["dataflows"][report["array"]["dataflow"]]
            ctx.log(f'gemm {g["m"]}x{g["k"]}x{g["n"]}: {flow["folds"]} folds; SCALE-Sim {flow["scalesim_cycles"]} '
                    f'cycles ({flow["scalesim_cycles_per_fold"]} per fold), utilization '
                    f'{flow["scalesim_utilization"]:.3f}; RTL pipelined {flow["rtl_pipelined_cycles"]} cycles, '
                    f'utilization {flow["rtl_pipelined_utilization"]:.3f}; {g["bound"]}-bound')
        return metrics(report)

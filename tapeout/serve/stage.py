"""The `serve` flow stage: a transformer LLM on the packaged chip (arch + package figures only)."""

from __future__ import annotations

import json

from tapeout.arch.stage import ARCH_JSON
from tapeout.flow.stage import NO_PICTURES, Artifact, Option, Picture, Stage, StageContext
from tapeout.package.stage import PACKAGE_JSON
from tapeout.serve.models import PRESETS
from tapeout.serve.settings import ServeSection

SERVE_JSON = Artifact("serve", "serve.json", "json",
                      "model, chip, HBM plan, TTFT/TPOT/tokens/s per batch, operations with FLOPs and bytes")
SERVE_MD = Artifact("serve", "serve_report.md", "markdown", "the serving report")
THROUGHPUT_PNG = Artifact("serve", "throughput.png", "png", "tokens/s against batch, compute/bandwidth bound marked")
TIME_SPLIT_PNG = Artifact("serve", "time_split.png", "png", "prefill and decode time per batch")
MEMORY_WALL_PNG = Artifact("serve", "memory_wall.png", "png", "the steps' operations on the chip's roofline")

SWEEP_LIMIT = 1 << 14
"""Largest batch of the tokens/s sweep drawn in throughput.png."""


def sweep_batches(batches, max_batch: int, knee_batch: int) -> list[int]:
    """Powers of two up to the first past twice the knee and twice the batch that fills HBM, and the
    requested batches."""
    top = min(SWEEP_LIMIT, max(2 * max(max_batch, 1), 2 * knee_batch, *batches))
    powers = [1 << i for i in range((top - 1).bit_length() + 1)]
    return sorted({*powers, *batches})


class ServeStage(Stage):
    name = "serve"
    title = "LLM serving"
    summary = ("a transformer LLM (Llama presets or a shape) on the package: prefill and decode operations with "
               "FLOPs and bytes on the roofline, TTFT, TPOT and tokens/s per batch, KV-cache capacity, tensor "
               "parallelism with all-reduces over the NVLink-like links")
    sections = {"serve": ServeSection}
    inputs = (ARCH_JSON, PACKAGE_JSON)
    outputs = (SERVE_JSON, SERVE_MD, THROUGHPUT_PNG, TIME_SPLIT_PNG, MEMORY_WALL_PNG)
    options = (
        Option("--model", "LLM to serve (serve stage)", tuple(PRESETS)),
        Option("--batch", "batch sizes to serve, e.g. 1,8,64 (serve stage)", str),
        Option("--prompt", "prompt tokens per request (serve stage)", int),
        Option("--output", "output tokens per request (serve stage)", int),
        Option("--tp", "tensor parallelism: packages sharing the model (serve stage)", int),
        NO_PICTURES,
    )
    pictures = (Picture(THROUGHPUT_PNG, "LLM decode tokens/s against batch"),
                Picture(TIME_SPLIT_PNG, "prefill and decode time"),
                Picture(MEMORY_WALL_PNG, "the memory wall: prefill and decode operations on the roofline"))
    key_metrics = ("serve__ttft__ms", "serve__tpot__ms", "serve__decode_throughput__tokens_per_s")

    def applies(self, config) -> bool:
        return "package" in config.written and config.tensor_core is not None

    def run(self, ctx: StageContext) -> dict:
        from tapeout.serve.chip import chip_from_reports
        from tapeout.serve.pictures import draw_memory_wall, draw_throughput, draw_time_split
        from tapeout.serve.report import decode_knee_batch, render_markdown, serving_report
        from tapeout.serve.serving import ServingSetup, run_batch, run_batches
        from tapeout.serve.settings import apply_options, model_of

        section = apply_options(ctx.config.serve, ctx.options)
        arch = json.loads(ctx.path(ARCH_JSON).read_text())
        package = json.loads(ctx.path(PACKAGE_JSON).read_text())
        chip = chip_from_reports(ctx.config.name, arch, package, section.link_gbps_per_phy, section.link_latency_us)
        setup = ServingSetup(model_of(section), chip, section.tp, section.prompt_tokens, section.output_tokens,
                             section.act_bits, section.derates, section.memory_reserve)
        ctx.log(f"{setup.model.name} ({setup.model.params / 1e9:.2f} B parameters) on {setup.tp} x {chip.name}: "
                f"{chip.peak_at(setup.operand_bits) / 1e12:,.0f} TFLOPS at {setup.operand_bits} bits, "
                f"{chip.hbm_bandwidth / 1e12:.2f} TB/s, {chip.hbm_capacity / 1e9:g} GB per package")
        results = run_batches(setup, section.batches)
        ctx.progress(0.4, "batch sweep")
        plan = setup.memory
        sweep = [run_batch(setup, b) for b in sweep_batches(section.batches, plan.max_batch(setup.context),
                                                             decode_knee_batch(setup))]
        report = serving_report(ctx.config.name, setup, results, sweep)
        ctx.path(SERVE_JSON).write_text(json.dumps(report, indent=2) + "\n")
        ctx.path(SERVE_MD).write_text(render_markdown(report))
        if ctx.draw_pictures:
            ctx.progress(0.7, "pictures")
            draw_throughput(report, ctx.path(THROUGHPUT_PNG))
            draw_time_split(report, ctx.path(TIME_SPLIT_PNG))
            draw_memory_wall(report, ctx.path(MEMORY_WALL_PNG))
        ctx.log(ctx.path(SERVE_MD).read_text())
        return serving_metrics(report)


def serving_metrics(report: dict) -> dict:
    """``serve__*`` metrics: the first batch's latencies, the best throughput of a batch that fits."""
    first = report["batches"][0]
    fitting = [r for r in report["batches"] if r["fits"] and r["decode_tokens_per_s"]]
    best = max(fitting, key=lambda r: r["decode_tokens_per_s"]) if fitting else None
    return {
        "serve__ttft__ms": first["ttft_ms"],
        "serve__tpot__ms": first["tpot_ms"],
        "serve__decode_throughput__tokens_per_s": best["decode_tokens_per_s"] if best else 0.0,
        "serve__output_throughput__tokens_per_s": best["output_tokens_per_s"] if best else 0.0,
        "serve__max_batch__count": report["memory"]["max_batch"],
        "serve__weights_per_package__gb": round(report["memory"]["weight_bytes_per_package"] / 1e9, 3),
        "serve__kv_per_token__bytes": report["model"]["kv_bytes_per_token"],
    }

"""The serving stage's reports: ``serve.json`` (everything, units in the keys) and ``serve_report.md``."""

from __future__ import annotations

from math import ceil

from .roofline import IDEAL, PlacedOperation
from .serving import BatchResult, ServingSetup


def _ms(seconds):
    return None if seconds is None else round(seconds * 1e3, 4)


def _op_row(p: PlacedOperation) -> dict:
    op = p.op
    return {"name": op.name, "kind": op.kind, "count": op.count, "m": op.m, "k": op.k, "n": op.n,
            "flops": op.flops, "hbm_bytes": op.hbm_bytes, "link_bytes": op.link_bytes,
            "intensity_flops_per_byte": None if op.intensity == float("inf") else round(op.intensity, 4),
            "time_us": round(p.seconds * 1e6, 4), "step_time_us": round(p.total_s * 1e6, 4), "bound": p.bound}


def batch_row(setup: ServingSetup, r: BatchResult) -> dict:
    """The figures of one batch size, as plain data (times in ms, throughputs for the tp packages)."""
    return {
        "batch": r.batch, "fits": r.fits, "memory_per_package_gb": round(r.memory_bytes / 1e9, 4),
        "ttft_ms": _ms(r.ttft_s), "tpot_ms": _ms(r.tpot_s), "tpot_first_ms": _ms(r.tpot_first_s),
        "tpot_last_ms": _ms(r.tpot_last_s), "e2e_s": round(r.e2e_s, 6),
        "prefill_tokens_per_s": round(r.prefill_tokens_per_s(setup.prompt), 3),
        "decode_tokens_per_s": None if r.decode_tokens_per_s is None else round(r.decode_tokens_per_s, 3),
        "output_tokens_per_s": round(r.output_tokens_per_s(setup.output), 3),
        "prefill_bound": r.prefill.bound, "decode_bound": r.decode.bound if r.decode_steps else None,
        "prefill_s_by_bound": {k: round(v, 9) for k, v in r.prefill.time_by_bound.items()},
        "decode_s_by_bound": {k: round(v, 9) for k, v in r.decode.time_by_bound.items()},
    }


def decode_knee_batch(setup: ServingSetup, ideal: bool = False) -> int:
    """Batch from which a decode step's weight GEMMs are compute-bound: their intensity is
    2 x batch / bytes per weight (each weight read once per step, used by every sequence), against the
    knee peak / bandwidth (derated unless ``ideal``)."""
    derates = IDEAL if ideal else setup.derates
    chip = setup.chip
    knee = chip.peak_at(setup.operand_bits) * derates.compute / (chip.hbm_bandwidth * derates.bandwidth)
    return max(1, ceil(knee * setup.model.weight_bits / 8 / 2))


def _operations(setup: ServingSetup, r: BatchResult) -> dict:
    return {"batch": r.batch, "prefill": [_op_row(p) for p in r.prefill.ops],
            "decode": [_op_row(p) for p in r.decode.ops],
            "decode_context_tokens": setup.prompt + (setup.output - 1) // 2}


def serving_report(design: str, setup: ServingSetup, results: list[BatchResult], sweep: list[BatchResult]) -> dict:
    """Everything ``serve.json`` holds. ``operations`` lists the steps' operations of the smallest batch and
    of the largest that fits."""
    model, chip, plan = setup.model, setup.chip, setup.memory
    peak = chip.peak_at(setup.operand_bits)
    fitting = [r for r in results if r.fits] or results[:1]
    ends = (min(fitting, key=lambda r: r.batch), max(fitting, key=lambda r: r.batch))
    shown = sorted({r.batch: r for r in ends}.values(), key=lambda r: r.batch)
    return {
        "design": design,
        "model": {
            "name": model.name, "layers": model.layers, "hidden": model.hidden, "heads": model.heads,
            "kv_heads": model.kv_heads, "head_dim": model.head_dim, "ffn": model.ffn, "vocab": model.vocab,
            "max_context": model.max_context, "weight_bits": model.weight_bits, "kv_bits": model.kv_bits,
            "params": model.params, "weight_bytes": model.weight_bytes,
            "matmul_flops_per_token": model.matmul_flops_per_token,
            "kv_bytes_per_token_per_layer": model.kv_bytes_per_token_per_layer,
            "kv_bytes_per_token": model.kv_bytes_per_token, "source": model.source,
        },
        "chip": {
            "name": chip.name, "peak_ops_native": chip.peak_ops, "native_bits": chip.native_bits,
            "operand_bits": setup.operand_bits, "peak_ops_at_operand_bits": peak,
            "hbm_bandwidth_bytes_per_s": chip.hbm_bandwidth, "hbm_capacity_bytes": chip.hbm_capacity,
            "buffer_bytes": chip.buffer_bytes, "link_bandwidth_bytes_per_s": chip.link_bandwidth,
            "link_latency_s": chip.link_latency_s, "knee_flops_per_byte": peak / chip.hbm_bandwidth,
        },
        "settings": {
            "tp": setup.tp, "prompt_tokens": setup.prompt, "output_tokens": setup.output,
            "act_bits": setup.act_bits, "compute_utilization": setup.derates.compute,
            "bandwidth_utilization": setup.derates.bandwidth, "memory_reserve": setup.memory_reserve,
        },
        "memory": {
            "usable_bytes_per_package": plan.usable_bytes, "weight_bytes_per_package": plan.weight_bytes,
            "kv_bytes_per_token_per_package": plan.kv_bytes_per_token, "max_tokens": plan.max_tokens,
            "max_batch": plan.max_batch(setup.context),
        },
        "decode_knee_batch": decode_knee_batch(setup),
        "decode_knee_batch_ideal": decode_knee_batch(setup, ideal=True),
        "batches": [batch_row(setup, r) for r in results],
        "sweep": [batch_row(setup, r) for r in sweep],
        "operations": [_operations(setup, r) for r in shown],
    }


def _fmt(value, digits=1):
    return "-" if value is None else f"{value:,.{digits}f}"


def render_markdown(report: dict) -> str:
    """``serve_report.md``: the setup, the table per batch size, the operations of batch 1's steps."""
    model, chip, settings, memory = report["model"], report["chip"], report["settings"], report["memory"]
    tp = settings["tp"]
    lines = [
        f"# Serving report: {model['name']} on {tp} x {report['design']}",
        "",
        f"- Model: {model['layers']} layers, hidden {model['hidden']:,}, {model['heads']} heads "
        f"({model['kv_heads']} KV heads), FFN {model['ffn']:,}, vocabulary {model['vocab']:,}: "
        f"{model['params'] / 1e9:.2f} B parameters, {model['weight_bytes'] / 1e9:.1f} GB at {model['weight_bits']} "
        f"bits; KV cache {model['kv_bytes_per_token_per_layer']:,.0f} bytes per token per layer, "
        f"{model['kv_bytes_per_token'] / 1024:,.0f} KiB per token. Source: {model['source']}.",
        f"- Chip (one package): {chip['peak_ops_native'] / 1e12:,.0f} TOPS at {chip['native_bits']}-bit operands, "
        f"{chip['peak_ops_at_operand_bits'] / 1e12:,.0f} TFLOPS at {chip['operand_bits']}-bit; HBM "
        f"{chip['hbm_capacity_bytes'] / 1e9:g} GB at {chip['hbm_bandwidth_bytes_per_s'] / 1e12:.2f} TB/s; "
        f"on-chip buffer {chip['buffer_bytes'] / 2 ** 20:g} MB; links {chip['link_bandwidth_bytes_per_s'] / 1e9:,.0f}"
        f" GB/s, {chip['link_latency_s'] * 1e6:g} us per hop; knee {chip['knee_flops_per_byte']:,.0f} FLOP/byte.",
        f"- Serving: tensor parallelism {tp}, prompt {settings['prompt_tokens']:,} tokens, output "
        f"{settings['output_tokens']:,} tokens; derates: compute {settings['compute_utilization']:g}, HBM "
        f"bandwidth {settings['bandwidth_utilization']:g}; {settings['memory_reserve']:.0%} of HBM reserved.",
        f"- HBM per package: {memory['weight_bytes_per_package'] / 1e9:.1f} GB of weights, "
        f"{memory['usable_bytes_per_package'] / 1e9:.1f} GB usable -> KV cache for {memory['max_tokens']:,} tokens "
        f"= batch {memory['max_batch']:,} at {settings['prompt_tokens'] + settings['output_tokens']:,} tokens each.",
        f"- Decode turns compute-bound at batch {report['decode_knee_batch']:,} "
        f"({report['decode_knee_batch_ideal']:,} without derates): below it every step waits for the weights "
        "to stream from HBM (the memory wall).",
        "",
        f"Throughputs are for the {tp} packages together." if tp > 1 else "Throughputs are for the package.",
        "",
        "| batch | fits | HBM/package (GB) | TTFT (ms) | TPOT (ms) | decode tok/s | output tok/s | "
        "prefill bound | decode bound |",
        "|---:|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for row in report["batches"]:
        lines.append(
            f"| {row['batch']:,} | {'yes' if row['fits'] else 'NO'} | {row['memory_per_package_gb']:.1f} | "
            f"{_fmt(row['ttft_ms'])} | {_fmt(row['tpot_ms'], 2)} | {_fmt(row['decode_tokens_per_s'], 0)} | "
            f"{_fmt(row['output_tokens_per_s'], 0)} | {row['prefill_bound']} | {row['decode_bound'] or '-'} |")
    for ops, phase in ((ops, phase) for ops in report["operations"] for phase in ("prefill", "decode")):
        title = "prefill step" if phase == "prefill" else \
            f"decode step at {ops['decode_context_tokens']:,} tokens of context"
        if not ops[phase]:
            continue
        lines += ["", f"## Operations of one {title}, batch {ops['batch']} (per package)", "",
                  "| operation | count | M x K x N | GFLOP | MB moved (HBM; link for all_reduce) | FLOP/byte | "
                  "time (us) | x count (us) | bound |",
                  "|---|---:|---|---:|---:|---:|---:|---:|---|"]
        for op in ops[phase]:
            shape = f"{op['m']:,} x {op['k']:,} x {op['n']:,}" if op["kind"] == "gemm" else op["kind"]
            intensity = "-" if op["intensity_flops_per_byte"] is None else f"{op['intensity_flops_per_byte']:,.1f}"
            lines.append(f"| {op['name']} | {op['count']} | {shape} | {op['flops'] / 1e9:,.3f} | "
                         f"{(op['hbm_bytes'] or op['link_bytes']) / 1e6:,.3f} | {intensity} | {op['time_us']:,.2f} | "
                         f"{op['step_time_us']:,.1f} | {op['bound']} |")
    lines.append("")
    return "\n".join(lines)

"""The serving pictures, drawn from the ``serve.json`` report: tokens/s against batch with the bound
marked, the prefill/decode time split, and the memory wall (the operations on the chip's roofline)."""

from __future__ import annotations

from pathlib import Path

BOUND_COLORS = {"memory": "tab:blue", "compute": "tab:red", "link": "tab:green"}


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _title(report: dict) -> str:
    tp = report["settings"]["tp"]
    return f"{report['model']['name']} on {tp} x {report['design']}"


def draw_throughput(report: dict, path: Path) -> None:
    """Decode tokens/s (and output tokens/s with the prefill) against batch, each point coloured by what
    bounds the decode step; the knee batch and the batch that fills HBM marked."""
    plt = _pyplot()
    rows = report["sweep"]
    points = [r for r in rows if r["decode_tokens_per_s"]]
    fig, ax = plt.subplots(figsize=(7.0, 4.4))
    ax.plot([r["batch"] for r in rows], [r["output_tokens_per_s"] for r in rows], color="grey", lw=1, ls="--",
            zorder=1, label="output tokens/s (prefill included)")
    if points:
        ax.plot([r["batch"] for r in points], [r["decode_tokens_per_s"] for r in points], color="black", lw=1,
                zorder=1, label="decode tokens/s")
        for bound, color in BOUND_COLORS.items():
            for fits in (True, False):
                chosen = [r for r in points if r["decode_bound"] == bound and r["fits"] == fits]
                if chosen:
                    ax.scatter([r["batch"] for r in chosen], [r["decode_tokens_per_s"] for r in chosen], zorder=3,
                               s=28, facecolors=color if fits else "none", edgecolors=color,
                               label=f"{bound}-bound" + ("" if fits else " (KV cache does not fit)"))
    knee, full = report["decode_knee_batch"], report["memory"]["max_batch"]
    ax.axvline(knee, color="tab:red", ls=":", lw=1)
    ax.annotate(f"weight GEMMs compute-bound from batch {knee:,}", (knee, 0.02), xycoords=("data", "axes fraction"),
                rotation=90, fontsize=7, xytext=(3, 0), textcoords="offset points")
    if full >= 1:
        ax.axvline(full, color="tab:purple", ls="--", lw=1)
        ax.annotate(f"HBM full at batch {full:,}", (full, 0.02), xycoords=("data", "axes fraction"),
                    rotation=90, fontsize=7, xytext=(3, 0), textcoords="offset points")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("batch (requests decoded together)")
    ax.set_ylabel("tokens/s")
    s = report["settings"]
    ax.set_title(f"{_title(report)}: prompt {s['prompt_tokens']:,}, output {s['output_tokens']:,}", fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def draw_time_split(report: dict, path: Path) -> None:
    """Per batch size: the time to first token (prefill) and the decode of the whole output, stacked."""
    plt = _pyplot()
    rows = report["batches"]
    fig, ax = plt.subplots(figsize=(7.0, 0.6 * len(rows) + 1.6))
    labels = [f"batch {r['batch']:,}" + ("" if r["fits"] else " (does not fit)") for r in rows]
    prefill = [r["ttft_ms"] / 1e3 for r in rows]
    decode = [r["e2e_s"] - r["ttft_ms"] / 1e3 for r in rows]
    ax.barh(labels, prefill, color="tab:orange", label="prefill (TTFT)")
    ax.barh(labels, decode, left=prefill, color="tab:blue", label="decode (output - 1 steps)")
    for y, (p, d) in enumerate(zip(prefill, decode)):
        total = p + d
        ax.annotate(f"{100 * p / total:.0f} % / {100 * d / total:.0f} %  ({total:,.2f} s)", (total, y),
                    xytext=(4, 0), textcoords="offset points", va="center", fontsize=7)
    ax.set_xlim(0, max(p + d for p, d in zip(prefill, decode)) * 1.35)
    ax.invert_yaxis()
    ax.set_xlabel("seconds until the whole batch has its output")
    ax.set_title(f"{_title(report)}: prefill / decode time", fontsize=10)
    ax.legend(fontsize=7, loc="upper right")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def draw_memory_wall(report: dict, path: Path) -> None:
    """The chip's roofline at the operand precision (ideal, and derated dashed) with every operation of
    the prefill and decode steps placed on it (the GEMMs and attention of one step; attention labelled):
    decode sits far left of the knee."""
    plt = _pyplot()
    chip, settings = report["chip"], report["settings"]
    peak, bandwidth = chip["peak_ops_at_operand_bits"], chip["hbm_bandwidth_bytes_per_s"]
    knee = peak / bandwidth
    ops = [(group["batch"], phase, op) for group in report["operations"] for phase in ("prefill", "decode")
           for op in group[phase] if op["flops"] > 0 and op["hbm_bytes"] > 0]
    xs = [op["flops"] / op["hbm_bytes"] for _, _, op in ops]
    lo, hi = min([knee / 100, *xs]) / 2, max([knee * 10, *xs]) * 2
    fig, ax = plt.subplots(figsize=(7.0, 4.6))
    ax.plot([lo, knee, hi], [lo * bandwidth, peak, peak], color="black", lw=2, label="roofline (ideal)")
    cu, bu = settings["compute_utilization"], settings["bandwidth_utilization"]
    derated_knee = peak * cu / (bandwidth * bu)
    ax.plot([lo, derated_knee, hi], [lo * bandwidth * bu, peak * cu, peak * cu], color="black", lw=1, ls="--",
            label=f"derated (compute {cu:g}, HBM {bu:g})")
    ax.axvline(knee, color="grey", ls=":", lw=1)
    ax.annotate(f"knee {knee:,.0f} FLOP/byte", (knee, peak), textcoords="offset points", xytext=(-4, 6), fontsize=7,
                ha="right")
    ax.axvspan(lo, knee, color="tab:blue", alpha=0.06)
    ax.annotate("memory-bound: waits for HBM", (lo * 1.5, peak * 1.3), fontsize=7, color="tab:blue")
    markers = {"prefill": "s", "decode": "o"}
    groups = sorted({(phase, batch) for batch, phase, _ in ops}, key=lambda g: (g[0] != "prefill", g[1]))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for index, (phase, batch) in enumerate(groups):
        chosen = [(op, x) for (b, ph, op), x in zip(ops, xs) if (ph, b) == (phase, batch)]
        ax.scatter([x for _, x in chosen], [op["flops"] / (op["time_us"] * 1e-6) for op, _ in chosen],
                   marker=markers[phase], color=colors[index % len(colors)], s=24, zorder=3,
                   label=f"{phase}, batch {batch:,}")
        attention = [(op, x) for op, x in chosen if op["kind"] == "attention"]
        for op, x in attention:
            ax.annotate("attention", (x, op["flops"] / (op["time_us"] * 1e-6)), textcoords="offset points",
                        xytext=(4, -8), fontsize=6)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("arithmetic intensity (FLOP per HBM byte)")
    ax.set_ylabel(f"attained FLOP/s ({chip['operand_bits']}-bit operands)")
    ax.set_title(f"{_title(report)}: the memory wall", fontsize=10)
    ax.set_ylim(top=peak * 3)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=6, loc="lower right")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)

"""Roofline picture of the configured tile with the workload's GEMMs on it."""

from __future__ import annotations

from pathlib import Path


def draw_roofline(report: dict, path: Path) -> None:
    """Write a log-log roofline (ops/s against ops/byte) as PNG or SVG, by the suffix of `path`."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    peak, bw = report["peak_ops_per_s"], report["feed_bytes_per_s"]
    knee = report["roofline_knee_ops_per_byte"]
    points = [g["intensity_ops_per_byte"] for g in report["gemms"]]
    lo, hi = min([knee / 16, *points]) / 2, max([knee * 16, *points]) * 2
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    ax.plot([lo, knee, hi], [lo * bw, peak, peak], color="black", lw=2, label="roofline")
    ax.axvline(knee, color="grey", ls=":", lw=1)
    ax.annotate(f"knee {knee:.2f} ops/B", (knee, peak), textcoords="offset points", xytext=(6, -14))
    for g in report["gemms"]:
        x = g["intensity_ops_per_byte"]
        ax.scatter([x], [g["attainable_ops_per_s"]], zorder=3)
        ax.annotate(f'{g["m"]}x{g["k"]}x{g["n"]}', (x, g["attainable_ops_per_s"]),
                    textcoords="offset points", xytext=(4, 4), fontsize=7)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("arithmetic intensity (ops/byte)")
    ax.set_ylabel("attainable (ops/s)")
    arr = report["array"]
    ax.set_title(f'{report["design"]}: {arr["rows"]}x{arr["cols"]} {arr["dataflow"].upper()} array, '
                 f'peak {peak / 1e9:.2f} GOPS')
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)

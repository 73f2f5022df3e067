"""The analytical model of the configured accelerator tile: peak, bandwidths, GEMM cycles, roofline."""

from __future__ import annotations

from tapeout.arch.pipelined import DATAFLOWS as RTL_DATAFLOWS
from tapeout.arch.pipelined import pipelined_gemm
from tapeout.arch.roofline import Roofline, gemm_intensity
from tapeout.arch.scalesim import DATAFLOWS, scalesim_gemm
from tapeout.flow.config import DesignConfig


def evaluate(config: DesignConfig) -> dict:
    """Everything `arch.json` holds, as plain data. Units are in the key names."""
    core, buf, xbar = config.tensor_core, config.tile_buffer, config.crossbar
    clock_hz = 1e9 / config.design.clock_period_ns
    macs_per_cycle = core.rows * core.cols
    peak_ops = 2.0 * macs_per_cycle * clock_hz
    buffer_read_bytes = buf.banks * buf.width / 8 * clock_hz
    link_bytes = xbar.width / 8 * clock_hz
    feed_bytes = config.arch.offchip_bandwidth_gbps * 1e9 or link_bytes
    roof = Roofline(peak_ops, feed_bytes)
    in_bytes, out_bytes = core.in_width / 8, core.acc_width / 8

    gemms = []
    for m, k, n in config.arch.gemms:
        per_flow = {flow: gemm_on_array(m, k, n, core.rows, core.cols, flow, clock_hz) for flow in DATAFLOWS}
        intensity = gemm_intensity(m, k, n, in_bytes, out_bytes)
        gemms.append({
            "m": m, "k": k, "n": n, "macs": m * k * n, "dataflows": per_flow,
            "intensity_ops_per_byte": round(intensity, 4),
            "attainable_ops_per_s": roof.attainable(intensity),
            "bound": "compute" if intensity >= roof.knee_ops_per_byte else "memory",
        })
    chosen = [g["dataflows"][core.dataflow] for g in gemms]
    total_macs = sum(g["macs"] for g in gemms)
    scalesim_total = sum(c["scalesim_cycles"] for c in chosen)
    rtl_total = sum(c["rtl_pipelined_cycles"] for c in chosen)
    return {
        "design": config.name,
        "clock_hz": clock_hz,
        "array": {"rows": core.rows, "cols": core.cols, "dataflow": core.dataflow,
                  "in_width_bits": core.in_width, "acc_width_bits": core.acc_width},
        "peak_macs_per_cycle": macs_per_cycle,
        "peak_ops_per_s": peak_ops,
        "tile_buffer_read_bytes_per_s": buffer_read_bytes,
        "tile_buffer_bits": buf.banks * buf.depth * buf.width,
        "crossbar_port_bytes_per_s": link_bytes,
        "crossbar_bisection_bytes_per_s": xbar.ports * link_bytes,
        "feed_bytes_per_s": feed_bytes,
        "roofline_knee_ops_per_byte": roof.knee_ops_per_byte,
        "gemms": gemms,
        "workload": {"macs": total_macs, "scalesim_cycles": scalesim_total,
                     "scalesim_utilization": total_macs / (macs_per_cycle * scalesim_total),
                     "rtl_pipelined_cycles": rtl_total,
                     "rtl_pipelined_utilization": total_macs / (macs_per_cycle * rtl_total)},
    }


def gemm_on_array(m: int, k: int, n: int, rows: int, cols: int, dataflow: str, clock_hz: float) -> dict:
    """One GEMM in one dataflow, both models side by side, each key naming its model.

    ``scalesim_*``: SCALE-Sim v2/v3's count (folds one after the other, each with its fill and drain;
    ``tapeout.arch.scalesim``). ``rtl_pipelined_*``: the RTL array built with this dataflow, folds
    streamed back to back (``tapeout.arch.pipelined``, equal to the measured RTL cycles); None for
    "is", which the RTL does not build.
    """
    g = scalesim_gemm(m, k, n, rows, cols, dataflow)
    entry = {
        "spatial_rows": g.spatial_rows, "spatial_cols": g.spatial_cols, "temporal": g.temporal,
        "folds": g.folds, "scalesim_cycles_per_fold": g.cycles_per_fold, "scalesim_cycles": g.cycles,
        "scalesim_reported_cycles": g.reported_cycles,
        "scalesim_utilization": round(g.utilization, 6),
        "scalesim_reported_compute_utilization": round(g.reported_compute_utilization, 6),
        "mapping_efficiency": round(g.mapping_efficiency, 6),
        "scalesim_runtime_us": round(g.cycles / clock_hz * 1e6, 6),
        "rtl_pipelined_cycles": None, "rtl_pipelined_utilization": None, "rtl_pipelined_runtime_us": None,
    }
    if dataflow in RTL_DATAFLOWS:
        rtl = pipelined_gemm(m, k, n, rows, cols, dataflow)
        entry.update(rtl_pipelined_cycles=rtl.cycles, rtl_pipelined_utilization=round(rtl.utilization, 6),
                     rtl_pipelined_runtime_us=round(rtl.cycles / clock_hz * 1e6, 6))
    return entry


def metrics(report: dict) -> dict:
    """The OpenLane-style metrics of the arch stage."""
    return {
        "arch__peak__macs_per_cycle": report["peak_macs_per_cycle"],
        "arch__peak__ops_per_s": report["peak_ops_per_s"],
        "arch__buffer_bandwidth__bytes_per_s": report["tile_buffer_read_bytes_per_s"],
        "arch__roofline_knee__ops_per_byte": round(report["roofline_knee_ops_per_byte"], 4),
        "arch__scalesim_cycles__count": report["workload"]["scalesim_cycles"],
        "arch__scalesim_utilization__ratio": round(report["workload"]["scalesim_utilization"], 4),
        "arch__rtl_pipelined_cycles__count": report["workload"]["rtl_pipelined_cycles"],
        "arch__rtl_pipelined_utilization__ratio": round(report["workload"]["rtl_pipelined_utilization"], 4),
    }

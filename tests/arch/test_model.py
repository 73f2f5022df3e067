"""The arch model of the default design and the roofline."""

from pathlib import Path

import pytest

from tapeout.arch.model import evaluate, metrics
from tapeout.arch.roofline import Roofline, gemm_intensity
from tapeout.flow.config import load_design

ROOT = Path(__file__).resolve().parents[2]


def test_default_design_peak_and_knee():
    report = evaluate(load_design(ROOT / "designs" / "tc4x4.toml"))
    assert report["peak_macs_per_cycle"] == 16
    assert report["peak_ops_per_s"] == pytest.approx(2 * 16 * 100e6)      # 3.2 GOPS at 100 MHz
    assert report["crossbar_port_bytes_per_s"] == pytest.approx(4 * 100e6)  # 32 bits per cycle
    assert report["roofline_knee_ops_per_byte"] == pytest.approx(8.0)
    assert report["tile_buffer_bits"] == 2 * 256 * 64


def test_workload_cycles_sum_the_chosen_dataflow():
    config = load_design(ROOT / "designs" / "tc4x4.toml")
    report = evaluate(config)
    workload = report["workload"]
    assert workload["scalesim_cycles"] == sum(g["dataflows"]["os"]["scalesim_cycles"] for g in report["gemms"])
    assert workload["rtl_pipelined_cycles"] == sum(g["dataflows"]["os"]["rtl_pipelined_cycles"]
                                                   for g in report["gemms"])
    m = metrics(report)
    assert m["arch__scalesim_cycles__count"] == workload["scalesim_cycles"]
    assert m["arch__rtl_pipelined_cycles__count"] == workload["rtl_pipelined_cycles"]
    assert 0 < m["arch__scalesim_utilization__ratio"] <= 1


def test_gemm_intensity_by_hand():
    # 64^3 INT8 GEMM with INT32 results: 2*64^3 ops over 2*64*64 bytes in + 64*64*4 bytes out
    assert gemm_intensity(64, 64, 64, 1, 4) == pytest.approx(524288 / 24576)


def test_roofline_attainable():
    roof = Roofline(peak=100.0, bandwidth=10.0)
    assert roof.knee_ops_per_byte == 10.0
    assert roof.attainable(2.0) == 20.0
    assert roof.attainable(50.0) == 100.0


def test_both_models_side_by_side_for_the_default_gemms():
    # 64x64x64 on 4x4: SCALE-Sim os 16x16 folds of 64+4+4-2 = 70 cycles; the RTL streams the folds, each
    # 64 clocks after the previous one (max(K, rows)), then 2*4 + 4 + 2 clocks of fill and drain
    report = evaluate(load_design(ROOT / "designs" / "tc4x4.toml"))
    first = report["gemms"][0]
    assert (first["m"], first["k"], first["n"]) == (64, 64, 64)
    os_flow = first["dataflows"]["os"]
    assert os_flow["scalesim_cycles_per_fold"] == 70
    assert os_flow["scalesim_cycles"] == 17_920
    assert os_flow["scalesim_reported_cycles"] == 17_919
    assert os_flow["rtl_pipelined_cycles"] == 256 * 64 - 1 + 2 * 4 + 4 + 2
    ws_flow = first["dataflows"]["ws"]
    assert ws_flow["scalesim_cycles"] == 256 * (2 * 4 + 4 + 64 - 2)
    assert ws_flow["rtl_pipelined_cycles"] is not None
    is_flow = first["dataflows"]["is"]
    assert is_flow["scalesim_cycles"] == 256 * (2 * 4 + 4 + 64 - 2)
    assert is_flow["rtl_pipelined_cycles"] is None     # the RTL builds os and ws only


def test_rtl_prediction_beats_the_non_overlapped_reference():
    report = evaluate(load_design(ROOT / "designs" / "tc4x4.toml"))
    for g in report["gemms"]:
        os_flow = g["dataflows"]["os"]
        if os_flow["folds"] > 1:  # overlapping fill and drain only pays from the second fold on
            assert os_flow["rtl_pipelined_cycles"] < os_flow["scalesim_cycles"]
    assert report["workload"]["rtl_pipelined_utilization"] >= report["workload"]["scalesim_utilization"]

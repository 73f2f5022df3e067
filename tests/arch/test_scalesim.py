"""SCALE-Sim's cycle count against counts computed by hand, and against SCALE-Sim itself when installed."""

import pytest

from tapeout.arch.scalesim import cycles_per_fold, mapping, scalesim_cycles, scalesim_gemm

# (M, K, N, rows, cols, dataflow, expected cycles)
# os: (T + R + C - 2) per fold; ws, is: (2R + C + T - 2) per fold; folds = ceil(S_R/R) * ceil(S_C/C)
HAND = [
    (4, 8, 4, 4, 4, "os", 14),          # S_R=M=4 S_C=N=4 T=K=8, one fold: 8+4+4-2
    (8, 16, 4, 4, 4, "os", 44),         # S_R=8 -> 2 folds of 16+4+4-2 = 22
    (5, 3, 6, 4, 4, "os", 36),          # ragged: 2x2 folds of 3+4+4-2 = 9
    (3, 5, 9, 2, 8, "os", 52),          # non-square array: 2x2 folds of 5+2+8-2 = 13
    (64, 64, 64, 4, 4, "os", 17_920),   # 16x16 folds of 64+4+4-2 = 70
    (100, 30, 70, 16, 16, "os", 2_100),  # 7x5 folds of 30+16+16-2 = 60
    (10, 4, 4, 4, 4, "ws", 20),         # S_R=K=4 S_C=N=4 T=M=10: 8+4+10-2
    (10, 8, 4, 4, 4, "ws", 40),         # K=8 -> 2 folds of 20
    (7, 5, 9, 4, 4, "ws", 102),         # 2x3 folds of 8+4+7-2 = 17
    (4, 4, 10, 4, 4, "is", 20),         # S_R=K=4 S_C=M=4 T=N=10
    (8, 4, 3, 4, 4, "is", 26),          # M=8 -> 2 folds of 8+4+3-2 = 13
    (9, 6, 2, 4, 4, "is", 72),          # 2x3 folds of 8+4+2-2 = 12
]


@pytest.mark.parametrize("m,k,n,rows,cols,flow,cycles", HAND)
def test_cycles_match_hand_computation(m, k, n, rows, cols, flow, cycles):
    assert scalesim_cycles(m, k, n, rows, cols, flow) == cycles


def test_output_stationary_fold_has_no_load_phase():
    # os: T operand rows + C - 1 drain rows, skewed over R rows; ws/is load R rows first
    assert cycles_per_fold(4, 4, 8, "os") == 14
    assert cycles_per_fold(4, 4, 8, "ws") == 18
    assert cycles_per_fold(4, 4, 8, "is") == 18
    assert cycles_per_fold(16, 8, 30, "os") == 30 + 16 + 8 - 2


def test_reported_total_is_the_last_cycle_index():
    g = scalesim_gemm(64, 64, 64, 4, 4, "os")
    assert (g.folds, g.cycles_per_fold, g.cycles) == (256, 70, 17_920)
    assert g.reported_cycles == 17_919   # what COMPUTE_REPORT.csv prints


def test_utilization_and_mapping_efficiency_by_hand():
    g = scalesim_gemm(4, 8, 4, 4, 4, "os")
    assert g.folds == 1
    assert g.utilization == pytest.approx(4 * 8 * 4 / (16 * 14))
    ragged = scalesim_gemm(5, 3, 6, 4, 4, "os")       # 5x6 outputs on 2x2 folds of 16 PEs
    assert ragged.mapping_efficiency == pytest.approx(30 / 64)


def test_reported_compute_utilization_uses_scalesims_fold_length():
    # os: the same cycles as counted; ws/is: 2R + 2C + T - 3 per fold (filter demand rows + cols - 1)
    os_gemm = scalesim_gemm(64, 64, 64, 4, 4, "os")
    assert os_gemm.reported_compute_utilization == pytest.approx(64 / 70)
    ws_gemm = scalesim_gemm(7, 5, 9, 4, 4, "ws")      # 6 folds, 45 PEs used in all, T = 7
    assert ws_gemm.reported_compute_utilization == pytest.approx(45 * 7 / (6 * 16 * (8 + 8 + 7 - 3)))
    assert ws_gemm.utilization == pytest.approx(7 * 5 * 9 / (16 * 102))


def test_long_streams_approach_full_utilization():
    assert scalesim_gemm(4, 100000, 4, 4, 4, "os").utilization > 0.999


def test_mapping_per_dataflow():
    assert mapping(2, 3, 5, "os") == (2, 5, 3)
    assert mapping(2, 3, 5, "ws") == (3, 5, 2)
    assert mapping(2, 3, 5, "is") == (3, 2, 5)


def test_bad_arguments():
    with pytest.raises(ValueError, match="dataflow must be one of os, ws, is, not 'rs'"):
        mapping(1, 1, 1, "rs")
    with pytest.raises(ValueError, match="rows must be a positive integer, not 0"):
        scalesim_cycles(4, 4, 4, 0, 4, "os")
    with pytest.raises(ValueError, match="m must be a positive integer, not True"):
        scalesim_cycles(True, 4, 4, 4, 4, "os")


REFERENCE_SHAPES = [(64, 64, 64, 4, 4, "os"), (100, 30, 70, 16, 16, "os"), (5, 3, 6, 4, 4, "os"),
                    (3, 5, 9, 2, 8, "ws"), (7, 5, 9, 4, 4, "ws"), (9, 6, 2, 4, 4, "is"), (13, 7, 5, 8, 4, "is")]


@pytest.mark.parametrize("m,k,n,rows,cols,flow", REFERENCE_SHAPES)
def test_agrees_with_scalesim_itself(m, k, n, rows, cols, flow):
    pytest.importorskip("scalesim", reason="SCALE-Sim (pip install scalesim) is an optional reference")
    from tapeout.arch.scalesim_reference import run_scalesim

    report = run_scalesim(m, k, n, rows, cols, flow)
    g = scalesim_gemm(m, k, n, rows, cols, flow)
    assert report.stall_cycles == 0
    assert report.total_cycles == g.reported_cycles
    assert report.compute_util_percent == pytest.approx(100 * g.reported_compute_utilization)
    assert report.mapping_efficiency_percent == pytest.approx(100 * g.mapping_efficiency)

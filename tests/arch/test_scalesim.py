"""SCALE-Sim's folded cycle model against cycle counts computed by hand, three shapes per dataflow."""

import pytest

from tapeout.arch.scalesim import mapping, scalesim_cycles, scalesim_gemm

# (M, K, N, rows, cols, dataflow, expected cycles): (2R + C + T - 2) * ceil(S_R/R) * ceil(S_C/C)
HAND = [
    (4, 8, 4, 4, 4, "os", 18),      # S_R=4 S_C=4 T=8, one fold: 8+4+8-2
    (8, 16, 4, 4, 4, "os", 52),     # S_R=8 -> 2 folds of 8+4+16-2 = 26
    (5, 3, 6, 4, 4, "os", 52),      # ragged: 2x2 folds of 8+4+3-2 = 13
    (3, 5, 9, 2, 8, "os", 60),      # non-square array: 2x2 folds of 4+8+5-2 = 15
    (10, 4, 4, 4, 4, "ws", 20),     # S_R=K=4 S_C=N=4 T=M=10
    (10, 8, 4, 4, 4, "ws", 40),     # K=8 -> 2 folds of 20
    (7, 5, 9, 4, 4, "ws", 102),     # 2x3 folds of 8+4+7-2 = 17
    (4, 4, 10, 4, 4, "is", 20),     # S_R=K=4 S_C=M=4 T=N=10
    (8, 4, 3, 4, 4, "is", 26),      # M=8 -> 2 folds of 8+4+3-2 = 13
    (9, 6, 2, 4, 4, "is", 72),      # 2x3 folds of 8+4+2-2 = 12
]


@pytest.mark.parametrize("m,k,n,rows,cols,flow,cycles", HAND)
def test_cycles_match_hand_computation(m, k, n, rows, cols, flow, cycles):
    assert scalesim_cycles(m, k, n, rows, cols, flow) == cycles


def test_utilization_is_useful_macs_over_pe_cycles():
    g = scalesim_gemm(4, 8, 4, 4, 4, "os")
    assert g.folds == 1
    assert g.utilization == pytest.approx(4 * 8 * 4 / (16 * 18))


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

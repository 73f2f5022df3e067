"""SCALE-Sim's first-order runtime model of a GEMM on an R x C systolic array.

Source: A. Samajdar et al., "A Systematic Methodology for Characterizing Scalability of
DNN Accelerators using SCALE-Sim", ISPASS 2020, section III (analytical model). A GEMM
C[M x N] = A[M x K] @ B[K x N] maps onto the array as a spatial S_R x S_C problem
streamed over T cycles; each of the ceil(S_R/R) * ceil(S_C/C) folds takes
2R + C + T - 2 cycles (fill of the skewed operands, T compute steps, drain), and folds
do not overlap. This is the reference the RTL's pipelined model is compared with.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

DATAFLOWS = ("os", "ws", "is")


@dataclass(frozen=True)
class FoldedGemm:
    """A GEMM mapped onto the array: spatial rows/cols, temporal length, folds, cycles."""

    dataflow: str
    spatial_rows: int
    spatial_cols: int
    temporal: int
    row_folds: int
    col_folds: int
    cycles: int
    utilization: float

    @property
    def folds(self) -> int:
        return self.row_folds * self.col_folds


def mapping(m: int, k: int, n: int, dataflow: str) -> tuple[int, int, int]:
    """(S_R, S_C, T) of an M x K x N GEMM for a dataflow (SCALE-Sim, ISPASS 2020, Table I).

    os: outputs stay in the PEs: S_R = M, S_C = N, T = K.
    ws: weights stay:            S_R = K, S_C = N, T = M.
    is: inputs stay:             S_R = K, S_C = M, T = N.
    """
    if dataflow == "os":
        return m, n, k
    if dataflow == "ws":
        return k, n, m
    if dataflow == "is":
        return k, m, n
    raise ValueError(f"dataflow must be one of {', '.join(DATAFLOWS)}, not {dataflow!r}")


def scalesim_gemm(m: int, k: int, n: int, rows: int, cols: int, dataflow: str) -> FoldedGemm:
    """Cycles and PE utilisation of one GEMM, folds executed back to back without overlap."""
    for label, value in (("m", m), ("k", k), ("n", n), ("rows", rows), ("cols", cols)):
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"{label} must be a positive integer, not {value!r}")
    s_r, s_c, t = mapping(m, k, n, dataflow)
    row_folds, col_folds = ceil(s_r / rows), ceil(s_c / cols)
    cycles = (2 * rows + cols + t - 2) * row_folds * col_folds
    utilization = m * k * n / (rows * cols * cycles)
    return FoldedGemm(dataflow, s_r, s_c, t, row_folds, col_folds, cycles, utilization)


def scalesim_cycles(m: int, k: int, n: int, rows: int, cols: int, dataflow: str) -> int:
    """Cycles of an M x K x N GEMM on a rows x cols array (SCALE-Sim's folded formula)."""
    return scalesim_gemm(m, k, n, rows, cols, dataflow).cycles

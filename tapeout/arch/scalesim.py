"""SCALE-Sim's cycle count of a GEMM on an R x C systolic array, reproduced exactly.

Source: SCALE-Sim v2 and v3 (github.com/scalesim-project/scale-sim-v2 and scale-sim-v3), files
``scalesim/compute/systolic_compute_os.py``, ``systolic_compute_ws.py`` and
``systolic_compute_is.py``; the method is A. Samajdar et al., "A Systematic Methodology for
Characterizing Scalability of DNN Accelerators using SCALE-Sim", ISPASS 2020. A GEMM
C[M x N] = A[M x K] @ B[K x N] maps onto the array as a spatial S_R x S_C problem streamed over
T steps (``topology_utils.calc_spatio_temporal_params``); it is cut into
ceil(S_R/R) * ceil(S_C/C) folds that run one after the other, every fold padded to the full array.
SCALE-Sim builds one demand-matrix row per cycle; a fold's rows are:

Output-stationary (S_R = M, S_C = N, T = K): T rows of operands, then C - 1 empty rows while the
    outputs drain (``create_ifmap_demand_mat``: ``inter_fold_gap_suffix = arr_col - 1``), skewed
    over the R array rows (``skew_matrix`` adds R - 1):  **T + R + C - 2** cycles per fold.
Weight-stationary (S_R = K, S_C = N, T = M) and input-stationary (S_R = K, S_C = M, T = N):
    R rows to load the stationary operand (``inter_fold_gap_prefix = arr_row``), T rows of the
    streamed operand, C - 1 rows of drain, skewed over R rows: **2R + C + T - 2** cycles per fold.

Stall-free (enough memory bandwidth), the cycles are folds x the per-fold count. SCALE-Sim's
``COMPUTE_REPORT.csv`` prints, as "Total Cycles", the 0-based index of the last of them
(``memory/double_buffered_scratchpad_mem.py``: ``total_cycles = max(ofmap_serviced_cycles)``), one
less than the count: :attr:`FoldedGemm.reported_cycles`. Its "Compute Util %" is the mean over folds
of useful MACs / (R C x a fold's cycles), the fold's cycles taken from the output demand matrix (os:
T + R + C - 2, the count above) or, for ws and is, from the filter demand matrix as if it were skewed
(``cycles_this_fold = rows + cols - 1`` = 2R + 2C + T - 3, C - 1 more than the cycles counted):
:attr:`FoldedGemm.reported_compute_utilization`. :attr:`FoldedGemm.utilization` is useful MACs over
the PE-cycles counted, for every dataflow.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

DATAFLOWS = ("os", "ws", "is")


@dataclass(frozen=True)
class FoldedGemm:
    """A GEMM mapped onto the array as SCALE-Sim maps it.

    Attributes
    ----------
    dataflow : str
        "os", "ws" or "is".
    rows, cols : int
        The array (R x C PEs).
    spatial_rows, spatial_cols, temporal : int
        S_R, S_C, T of the mapping.
    row_folds, col_folds : int
        ceil(S_R / R), ceil(S_C / C).
    cycles_per_fold : int
        Clock cycles one fold takes (fill, T steps, drain).
    cycles : int
        Clock cycles of the whole GEMM: folds x cycles_per_fold.
    utilization : float
        Useful MACs / (R C x cycles).
    mapping_efficiency : float
        Mean share of the PEs holding work, over the folds.
    """

    dataflow: str
    rows: int
    cols: int
    spatial_rows: int
    spatial_cols: int
    temporal: int
    row_folds: int
    col_folds: int
    cycles_per_fold: int
    cycles: int
    utilization: float
    mapping_efficiency: float

    @property
    def folds(self) -> int:
        return self.row_folds * self.col_folds

    @property
    def reported_cycles(self) -> int:
        """The "Total Cycles" SCALE-Sim prints: the last cycle's 0-based index (cycles - 1)."""
        return self.cycles - 1

    @property
    def reported_compute_utilization(self) -> float:
        """SCALE-Sim's "Compute Util %" / 100 (see the module docstring for ws and is)."""
        per_fold = self.cycles_per_fold if self.dataflow == "os" else self.cycles_per_fold + self.cols - 1
        macs = self.spatial_rows * self.spatial_cols * self.temporal
        return macs / (self.folds * self.rows * self.cols * per_fold)


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


def cycles_per_fold(rows: int, cols: int, temporal: int, dataflow: str) -> int:
    """Cycles of one fold: T + R + C - 2 (os), 2R + C + T - 2 (ws, is: R more to load the
    stationary operand)."""
    load = 0 if dataflow == "os" else rows
    return load + temporal + rows + cols - 2


def scalesim_gemm(m: int, k: int, n: int, rows: int, cols: int, dataflow: str) -> FoldedGemm:
    """Cycles and PE utilisation of one GEMM, folds one after the other, no stalls."""
    for label, value in (("m", m), ("k", k), ("n", n), ("rows", rows), ("cols", cols)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{label} must be a positive integer, not {value!r}")
    s_r, s_c, t = mapping(m, k, n, dataflow)
    row_folds, col_folds = ceil(s_r / rows), ceil(s_c / cols)
    per_fold = cycles_per_fold(rows, cols, t, dataflow)
    cycles = per_fold * row_folds * col_folds
    return FoldedGemm(dataflow, rows, cols, s_r, s_c, t, row_folds, col_folds, per_fold, cycles,
                      utilization=m * k * n / (rows * cols * cycles),
                      mapping_efficiency=s_r * s_c / (row_folds * col_folds * rows * cols))


def scalesim_cycles(m: int, k: int, n: int, rows: int, cols: int, dataflow: str) -> int:
    """Clock cycles of an M x K x N GEMM on a rows x cols array, as SCALE-Sim counts them."""
    return scalesim_gemm(m, k, n, rows, cols, dataflow).cycles

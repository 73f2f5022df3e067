"""Cycle model of the RTL systolic array (``tapeout.rtl.systolic_array``), folds overlapped.

Unlike SCALE-Sim's reference (``tapeout.arch.scalesim``: every fold pays fill and
drain), the RTL streams folds back to back. This model follows the RTL's pipeline,
clock by clock, for a producer that always offers data and a consumer that is
always ready (clock 0 = the first input beat offered; the count ends with the
clock that accepts the last result row):

Output-stationary (one fold = ``C (rows x cols)``, ``K`` beats)
    The last beat of fold 0 is accepted at clock ``K - 1``; a fold's last beat
    must come ``rows`` clocks after the previous one (its drain through the
    double-buffered accumulators), so fold ``t`` ends at
    ``L_t = L_{t-1} + max(K, rows)``. The final row leaves
    ``2 * rows + cols + MAC_LATENCY`` clocks after ``L_last``: ``rows + cols - 1``
    through the skew and the grid, ``MAC_LATENCY`` through the PE's product and
    accumulator registers, one into the output register, ``rows`` rows.

Weight-stationary (one fold = a ``rows x cols`` weight block, ``M`` activation rows)
    Fold ``t``'s ``rows`` weight beats load into the free bank from clock
    ``W_t``: ``W_0 = 0``, ``W_1 = S_0 + 1``, and for ``t >= 2``
    ``W_t = max(S_{t-1} + 1, E_{t-2} + rows + cols - 1)`` (the bank is free once
    the last PE has read it for fold ``t-2``'s last activation: it meets that PE
    ``rows + cols - 2`` clocks after its accept and the product stage reads the
    bank one clock later). Its activations start at
    ``S_t = max(E_{t-1} + 1, W_t + rows)`` and end at ``E_t = S_t + M - 1``; the
    final row leaves ``rows + cols + 1 + MAC_LATENCY`` clocks after ``E_last``.

``MAC_LATENCY`` (2) is the PE's pipeline after its operand registers: one clock for
the registered product, one for the accumulator (``tapeout.rtl.pe.MAC_LATENCY``).
"""

from dataclasses import dataclass
from math import ceil

DATAFLOWS = ("os", "ws")
MAC_LATENCY = 2
"""Clocks from a PE's operand registers to its result register (``tapeout.rtl.pe``)."""


@dataclass(frozen=True)
class PipelinedGemm:
    """Cycles (clocks) and PE utilisation of a GEMM on the RTL array."""

    dataflow: str
    folds: int
    cycles: int
    utilization: float


def os_schedule_cycles(depths, rows, cols):
    """Clocks to stream output-stationary folds of ``depths`` (K per fold) back to back."""
    last = -1
    for index, depth in enumerate(depths):
        last += depth if index == 0 else max(depth, rows)
    return last + 2 * rows + cols + MAC_LATENCY


def ws_schedule_cycles(lengths, rows, cols):
    """Clocks to stream weight-stationary folds of ``lengths`` (M per fold) back to back."""
    in_flight = rows + cols - 2
    starts, ends = [], []
    for index, length in enumerate(lengths):
        if index == 0:
            load = 0
        elif index == 1:
            load = starts[0] + 1
        else:
            load = max(starts[-1] + 1, ends[-2] + in_flight + 1)
        start = load + rows if index == 0 else max(ends[-1] + 1, load + rows)
        starts.append(start)
        ends.append(start + length - 1)
    return ends[-1] + rows + cols + 1 + MAC_LATENCY


def pipelined_gemm(m, k, n, rows, cols, dataflow):
    """Cycles and utilisation of ``A (m x k) @ B (k x n)`` folded onto the RTL array.

    Output-stationary folds are ``ceil(m/rows) * ceil(n/cols)`` tiles of depth ``k``;
    weight-stationary folds are ``ceil(k/rows) * ceil(n/cols)`` weight blocks with
    ``m`` activation rows each. Utilisation = ``m*k*n / (rows*cols*cycles)``.
    """
    for label, value in (("m", m), ("k", k), ("n", n), ("rows", rows), ("cols", cols)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{label} must be a positive integer, not {value!r}")
    if dataflow == "os":
        folds = ceil(m / rows) * ceil(n / cols)
        cycles = os_schedule_cycles([k] * folds, rows, cols)
    elif dataflow == "ws":
        folds = ceil(k / rows) * ceil(n / cols)
        cycles = ws_schedule_cycles([m] * folds, rows, cols)
    else:
        raise ValueError(f"dataflow must be one of 'os', 'ws', not {dataflow!r}")
    return PipelinedGemm(dataflow, folds, cycles, m * k * n / (rows * cols * cycles))


def pipelined_gemm_cycles(m, k, n, rows, cols, dataflow):
    """Clocks of ``A (m x k) @ B (k x n)`` on the RTL array (see :func:`pipelined_gemm`)."""
    return pipelined_gemm(m, k, n, rows, cols, dataflow).cycles

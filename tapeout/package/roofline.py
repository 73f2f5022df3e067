"""Roofline of a package: the knee and where memory-bound decode sits below it.

Roofline model (S. Williams, A. Waterman, D. Patterson, "Roofline: an insightful
visual performance model for multicore architectures", CACM 52(4), 2009):
attainable = min(peak, intensity x bandwidth); the knee (ridge point) is
peak / bandwidth in ops/byte.

Batch-1 decode multiplies an M x K INT8 weight matrix by one K-vector: 2 M K
ops (one multiply and one add per weight) for M K weight bytes, plus the K input
bytes and the M outputs (INT32, 4 bytes) -> about 2 ops/byte. Every weight is
used once, so no cache or batching of one request can raise it; it sits far
below the knee of any HBM accelerator (seed: ../shared/seed/000_ecfe29b84823e440.txt,
"The Decode Bottleneck": 1-10 ops/byte against ~300 ops/byte of tensor capacity).
"""

from __future__ import annotations

from dataclasses import dataclass


def gemv_intensity(rows: int = 8192, cols: int = 8192, weight_bytes: int = 1,
                   input_bytes: int = 1, output_bytes: int = 4) -> float:
    """Arithmetic intensity of y = W x with W ``rows`` x ``cols`` (ops/byte)."""
    for name, value in (("rows", rows), ("cols", cols)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive integer, not {value!r}")
    ops = 2 * rows * cols
    traffic = rows * cols * weight_bytes + cols * input_bytes + rows * output_bytes
    return ops / traffic


@dataclass(frozen=True)
class Roofline:
    """Peak compute and memory bandwidth of a package.

    Parameters
    ----------
    peak_tops : float
        Peak INT8 throughput (10^12 ops/s, 2 ops per MAC).
    bandwidth_tbps : float
        Memory bandwidth (10^12 bytes/s).
    """

    peak_tops: float
    bandwidth_tbps: float

    @property
    def knee_ops_per_byte(self) -> float:
        """Intensity where compute and bandwidth limits meet (ops/byte); inf without memory."""
        return self.peak_tops / self.bandwidth_tbps if self.bandwidth_tbps > 0 else float("inf")

    def attainable_tops(self, intensity: float) -> float:
        """Attainable throughput at ``intensity`` ops/byte (TOPS)."""
        return min(self.peak_tops, intensity * self.bandwidth_tbps)

    def fraction_of_peak(self, intensity: float) -> float:
        """Attainable / peak at ``intensity`` (0 to 1)."""
        return self.attainable_tops(intensity) / self.peak_tops if self.peak_tops > 0 else 0.0

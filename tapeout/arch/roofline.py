"""Roofline model: attainable ops/s of a kernel given peak compute and memory bandwidth.

Williams, Waterman, Patterson, "Roofline: An Insightful Visual Performance Model for
Multicore Architectures", CACM 52(4), 2009.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Roofline:
    """peak_ops_per_s: compute roof (ops/s); bandwidth_bytes_per_s: memory roof (bytes/s)."""

    peak_ops_per_s: float
    bandwidth_bytes_per_s: float

    @property
    def knee_ops_per_byte(self) -> float:
        """Arithmetic intensity at which the kernel stops being memory-bound."""
        return self.peak_ops_per_s / self.bandwidth_bytes_per_s

    def attainable(self, intensity_ops_per_byte: float) -> float:
        """ops/s reachable at this arithmetic intensity."""
        return min(self.peak_ops_per_s, intensity_ops_per_byte * self.bandwidth_bytes_per_s)


def gemm_intensity(m: int, k: int, n: int, in_bytes: float, out_bytes: float) -> float:
    """ops/byte of C = A @ B when A, B are read and C written once (2 ops per MAC)."""
    traffic = (m * k + k * n) * in_bytes + m * n * out_bytes
    return 2.0 * m * k * n / traffic

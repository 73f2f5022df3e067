"""Roofline model: attainable throughput of a kernel given peak compute and memory bandwidth.

Williams, Waterman, Patterson, "Roofline: An Insightful Visual Performance Model for
Multicore Architectures", CACM 52(4), 2009: attainable = min(peak, intensity x bandwidth);
the knee (ridge point) is peak / bandwidth in ops/byte.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Roofline:
    """Compute roof and memory roof, in one scale: ops/s and bytes/s (the tile), or
    10^12 ops/s (TOPS) and 10^12 bytes/s (TB/s) (a package). Ratios are in ops/byte either way.

    Parameters
    ----------
    peak : float
        Peak throughput (ops per time unit, 2 ops per MAC).
    bandwidth : float
        Memory bandwidth (bytes per the same time unit); 0 means no memory roof.
    """

    peak: float
    bandwidth: float

    @property
    def knee_ops_per_byte(self) -> float:
        """Intensity where compute and bandwidth limits meet (ops/byte); inf without memory."""
        return self.peak / self.bandwidth if self.bandwidth > 0 else float("inf")

    def attainable(self, intensity_ops_per_byte: float) -> float:
        """Throughput reachable at this arithmetic intensity (the unit of :attr:`peak`)."""
        return min(self.peak, intensity_ops_per_byte * self.bandwidth)

    def fraction_of_peak(self, intensity_ops_per_byte: float) -> float:
        """Attainable / peak at this intensity (0 to 1)."""
        return self.attainable(intensity_ops_per_byte) / self.peak if self.peak > 0 else 0.0


def gemm_intensity(m: int, k: int, n: int, in_bytes: float, out_bytes: float) -> float:
    """ops/byte of C = A @ B when A, B are read and C written once (2 ops per MAC)."""
    traffic = (m * k + k * n) * in_bytes + m * n * out_bytes
    return 2.0 * m * k * n / traffic

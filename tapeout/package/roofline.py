"""Roofline of a package (:class:`tapeout.arch.roofline.Roofline` in TOPS and TB/s): the knee and
where memory-bound decode sits below it.

Batch-1 decode multiplies an M x K INT8 weight matrix by one K-vector: 2 M K
ops (one multiply and one add per weight) for M K weight bytes, plus the K input
bytes and the M outputs (INT32, 4 bytes) -> about 2 ops/byte. Every weight is
used once, so no cache or batching of one request can raise it; it sits far
below the knee of any HBM accelerator (seed: ../shared/seed/000_ecfe29b84823e440.txt,
"The Decode Bottleneck": 1-10 ops/byte against ~300 ops/byte of tensor capacity).
"""

from __future__ import annotations

from tapeout.arch.roofline import Roofline


def gemv_intensity(rows: int = 8192, cols: int = 8192, weight_bytes: int = 1,
                   input_bytes: int = 1, output_bytes: int = 4) -> float:
    """Arithmetic intensity of y = W x with W ``rows`` x ``cols`` (ops/byte)."""
    for name, value in (("rows", rows), ("cols", cols)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive integer, not {value!r}")
    ops = 2 * rows * cols
    traffic = rows * cols * weight_bytes + cols * input_bytes + rows * output_bytes
    return ops / traffic


__all__ = ["Roofline", "gemv_intensity"]

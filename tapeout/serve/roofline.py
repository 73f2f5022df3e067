"""An operation placed on the chip's roofline: its time, and what bounds it.

Within one operation compute and HBM traffic overlap, so it takes the longer of FLOPs / (peak at the
operand precision x compute utilisation) and bytes / (HBM bandwidth x bandwidth utilisation)
(Williams, Waterman, Patterson, "Roofline", CACM 52(4), 2009); an all-reduce takes one hop of
latency plus its wire bytes over one direction of the links. Operations run one after another.

The utilisations (derates) are what good kernels reach, from the seed document
(../shared/seed/000_ecfe29b84823e440.txt, "Layer 2"): compute 0.75 (FlashAttention-3 at "75% of H100
peak"; DeepGEMM's 1,550 of H800's 1,979 dense FP8 TFLOPS is 0.78) and HBM 0.90 (FlashMLA's
"3,000 GB/s (near H800 peak of 3,350 GB/s)"). With both at 1 the model is the ideal roofline.
"""

from __future__ import annotations

from dataclasses import dataclass

from .chip import ServingChip
from .errors import ServeError
from .operations import Operation

DEFAULT_COMPUTE_UTILIZATION = 0.75
DEFAULT_BANDWIDTH_UTILIZATION = 0.90
BOUNDS = ("compute", "memory", "link")


@dataclass(frozen=True)
class Derates:
    """Fractions of peak compute and of HBM bandwidth that kernels reach (0 < x <= 1)."""

    compute: float = DEFAULT_COMPUTE_UTILIZATION
    bandwidth: float = DEFAULT_BANDWIDTH_UTILIZATION

    def __post_init__(self):
        for key in ("compute", "bandwidth"):
            value = getattr(self, key)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
                raise ServeError(f"{key} utilisation must be a number above 0 and at most 1, not {value!r}")


IDEAL = Derates(1.0, 1.0)


@dataclass(frozen=True)
class PlacedOperation:
    """An operation with its times per instance (s): compute, HBM and link parts, and the total."""

    op: Operation
    compute_s: float
    memory_s: float
    link_s: float

    @property
    def seconds(self) -> float:
        """Time of one instance: compute and memory overlapped, then the link."""
        return max(self.compute_s, self.memory_s) + self.link_s

    @property
    def total_s(self) -> float:
        """Time of all ``count`` instances in the step."""
        return self.seconds * self.op.count

    @property
    def bound(self) -> str:
        """"compute", "memory" or "link": what the time is spent waiting for."""
        parts = {"compute": self.compute_s, "memory": self.memory_s, "link": self.link_s}
        return max(BOUNDS, key=lambda key: parts[key])

    @property
    def attained_ops(self) -> float:
        """FLOP/s the operation attains."""
        return self.op.flops / self.seconds if self.seconds > 0 else 0.0


def place(op: Operation, chip: ServingChip, operand_bits: int, derates: Derates = Derates()) -> PlacedOperation:
    """Time ``op`` on ``chip`` with ``operand_bits``-bit operands."""
    compute = op.flops / (chip.peak_at(operand_bits) * derates.compute)
    memory = op.hbm_bytes / (chip.hbm_bandwidth * derates.bandwidth)
    link = 0.0
    if op.link_bytes:
        if chip.link_bandwidth <= 0:
            raise ServeError(f"{chip.name} has no NVLink-like links for the all-reduce; give [package] nvlink_phys")
        link = chip.link_latency_s + op.link_bytes / chip.link_bandwidth_per_direction
    return PlacedOperation(op, compute, memory, link)

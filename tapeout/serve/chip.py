"""The packaged chip as a serving system sees it: peak ops at an operand precision, HBM bandwidth and
capacity, on-chip buffer, and the NVLink-like links to the other packages.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ServeError


@dataclass(frozen=True)
class ServingChip:
    """One package.

    Attributes
    ----------
    name : str
    peak_ops : float
        Peak ops/s (2 per MAC) at the array's native operand width.
    native_bits : int
        Operand width of the array's multipliers (bits).
    hbm_bandwidth : float
        HBM bandwidth (bytes/s).
    hbm_capacity : float
        HBM capacity (bytes).
    buffer_bytes : float
        On-chip SRAM (bytes) that holds an operation's resident operand.
    link_bandwidth : float
        NVLink-like bandwidth to the other packages, both directions together as NVIDIA quotes it
        (bytes/s); 0 when the package has no links.
    link_latency_s : float
        Latency of one hop through the switch (s).
    """

    name: str
    peak_ops: float
    native_bits: int
    hbm_bandwidth: float
    hbm_capacity: float
    buffer_bytes: float
    link_bandwidth: float = 0.0
    link_latency_s: float = 0.0

    def __post_init__(self):
        for key in ("peak_ops", "hbm_bandwidth", "hbm_capacity"):
            value = getattr(self, key)
            if not value > 0:
                raise ServeError(f"chip {self.name}: {key} must be positive, not {value!r} "
                                 "(a package without HBM cannot serve an LLM from memory)")
        if self.native_bits < 1:
            raise ServeError(f"chip {self.name}: native_bits must be positive, not {self.native_bits!r}")

    def peak_at(self, operand_bits: int) -> float:
        """Peak ops/s with ``operand_bits``-bit operands.

        An array of n-bit multipliers takes operand_bits / n passes per wider operand (16-bit on an 8-bit
        array: half the rate, as NVIDIA's dense figures: H100 SXM 1,979 TFLOPS FP8 and 989 FP16, B200
        4.5 PFLOPS FP8 and 2.25 FP16, datasheets 2023-2024); narrower operands run at the native rate.
        """
        return self.peak_ops * min(1.0, self.native_bits / operand_bits)

    @property
    def link_bandwidth_per_direction(self) -> float:
        """Bytes/s one package can send while it receives as much (half of :attr:`link_bandwidth`)."""
        return self.link_bandwidth / 2


def chip_from_reports(name: str, arch: dict, package: dict, link_gbps_per_phy: float,
                      link_latency_us: float) -> ServingChip:
    """The chip called ``name`` from ``arch.json`` and ``package.json`` (as the arch and package stages
    write them).

    Peak ops and HBM come from the package model, the operand width from the array, the buffer is the
    on-die SRAM of every die, and the links are the package's NVLink-like PHYs (``nvlink_phys`` per die)
    at ``link_gbps_per_phy`` GB/s each (both directions).
    """
    spec, die = package["spec"], package["die"]
    phys = spec["nvlink_phys"] * spec["dies"]
    return ServingChip(
        name=name,
        peak_ops=package["roofline"]["peak_tops"] * 1e12,
        native_bits=arch["array"]["in_width_bits"],
        hbm_bandwidth=package["hbm"]["bandwidth_tbps"] * 1e12,
        hbm_capacity=package["hbm"]["capacity_gb"] * 1e9,
        buffer_bytes=die["sram_mb"] * spec["dies"] * 2 ** 20,
        link_bandwidth=phys * link_gbps_per_phy * 1e9,
        link_latency_s=link_latency_us * 1e-6,
    )

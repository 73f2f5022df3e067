"""HBM generations and the figures of a set of stacks.

Capacity of a stack = stack height (DRAM dies) x die density; bandwidth of a
stack = interface width (bits) x pin data rate (Gb/s) / 8.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HbmGeneration:
    """One HBM generation.

    Parameters
    ----------
    name : str
        "HBM3", "HBM3E" or "HBM4".
    interface_bits : int
        Data bus width of one stack (bits).
    max_pin_rate_gbps : float
        Highest data rate per pin (Gb/s).
    default_height : int
        DRAM dies per stack when the design does not say.
    die_gbit : int
        Density of one DRAM die (Gbit).
    footprint_mm : tuple of float
        Package outline of one stack, (width, height) (mm).
    phy_area_mm2 : float
        Logic-die area of the PHY + controller edge strip serving one stack (mm2).
    sources : str
        Where the figures come from.
    """

    name: str
    interface_bits: int
    max_pin_rate_gbps: float
    default_height: int
    die_gbit: int
    footprint_mm: tuple[float, float]
    phy_area_mm2: float
    sources: str


_PHY_ESTIMATE = ("PHY area: engineering estimate from annotated H100/A100 die shots: the PHY strip "
                 "spans the ~11 mm stack edge and is ~1 mm deep")

HBM_GENERATIONS: dict[str, HbmGeneration] = {
    "HBM3": HbmGeneration(
        "HBM3", 1024, 6.4, 8, 16, (11.0, 11.0), 11.0,
        "JEDEC JESD238 (HBM3, Jan 2022): 1024-bit, up to 6.4 Gb/s/pin, 4- to 16-high, "
        "8-32 Gb dies; 11 x 11 mm package (SK hynix HBM3); 8-high x 16 Gb = 16 GB, 5 stacks "
        "= H100's 80 GB (seed: ../shared/seed/000_ecfe29b84823e440.txt, 'HBM Evolution'); "
        + _PHY_ESTIMATE),
    "HBM3E": HbmGeneration(
        "HBM3E", 1024, 9.6, 8, 24, (11.0, 11.0), 11.0,
        "SK hynix HBM3E (2024): 1024-bit, up to 9.6 Gb/s/pin, 8-high x 24 Gb = 24 GB "
        "(12-high: 36 GB), 11 x 11 mm package; 8 stacks x 24 GB = B200's 192 GB "
        "(seed: ../shared/seed/000_ecfe29b84823e440.txt, 'CoWoS-L Package Cross-Section'); "
        + _PHY_ESTIMATE),
    "HBM4": HbmGeneration(
        "HBM4", 2048, 8.0, 12, 24, (11.0, 11.0), 16.0,
        "JEDEC JESD270-4 (HBM4, April 2025): 2048-bit, up to 8 Gb/s/pin (2 TB/s per stack, "
        "seed: ../shared/seed/000_ecfe29b84823e440.txt, 'HBM Evolution'), 4- to 16-high, "
        "24/32 Gb dies; footprint assumed equal to HBM3's 11 x 11 mm; PHY area: engineering "
        "estimate, HBM3's strip scaled for twice the pins at a finer bump pitch"),
}
"""Generation name -> :class:`HbmGeneration`."""


def hbm_generation(name: str) -> HbmGeneration:
    """Look an HBM generation up by name (case-insensitive: "hbm3e" works)."""
    if not isinstance(name, str):
        raise TypeError(f"hbm_generation must be a string, not {name!r}")
    key = name.strip().upper()
    if key not in HBM_GENERATIONS:
        raise ValueError(f"hbm_generation must be one of {', '.join(HBM_GENERATIONS)}, "
                         f"not {name!r}")
    return HBM_GENERATIONS[key]


@dataclass(frozen=True)
class HbmMemory:
    """The HBM stacks of one package.

    Parameters
    ----------
    generation : HbmGeneration
    stacks : int
        Number of stacks.
    height : int
        DRAM dies per stack.
    pin_rate_gbps : float
        Data rate per pin actually used (Gb/s); products often run below the
        generation's maximum (H100: ~5.2 Gb/s HBM3).
    """

    generation: HbmGeneration
    stacks: int
    height: int
    pin_rate_gbps: float

    def __post_init__(self):
        if isinstance(self.stacks, bool) or not isinstance(self.stacks, int) or self.stacks < 0:
            raise ValueError(f"stacks must be a non-negative integer, not {self.stacks!r}")
        if isinstance(self.height, bool) or not isinstance(self.height, int) \
                or not 1 <= self.height <= 16:
            raise ValueError(f"height must be an integer from 1 to 16, not {self.height!r}")
        rate, top = self.pin_rate_gbps, self.generation.max_pin_rate_gbps
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 < rate <= top:
            raise ValueError(f"pin_rate_gbps must be above 0 and at most {top:g} for "
                             f"{self.generation.name}, not {rate!r}")

    @property
    def stack_capacity_gb(self) -> float:
        """Capacity of one stack (GB as memory vendors count it: 8 Gbit = 1 GB)."""
        return self.height * self.generation.die_gbit / 8

    @property
    def stack_bandwidth_gbps(self) -> float:
        """Bandwidth of one stack (GB/s)."""
        return self.generation.interface_bits * self.pin_rate_gbps / 8

    @property
    def capacity_gb(self) -> float:
        """Total capacity (GB)."""
        return self.stacks * self.stack_capacity_gb

    @property
    def bandwidth_tbps(self) -> float:
        """Total bandwidth (TB/s)."""
        return self.stacks * self.stack_bandwidth_gbps / 1000

"""Die composition (tensor tiles, SRAM, PHYs, overhead) and the reticle check.

A die is N tensor tiles (the signed-off tile scaled to the target node) plus an
on-die SRAM (L2-like), one HBM PHY per stack it drives, NVLink-like SerDes
PHYs, and a fraction for I/O ring, power grid, clocking and whitespace.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .errors import ReticleLimitError
from .nodes import ScaledBlock, node

RETICLE_WIDTH_MM = 26.0
RETICLE_HEIGHT_MM = 33.0
RETICLE_AREA_MM2 = RETICLE_WIDTH_MM * RETICLE_HEIGHT_MM
"""Single-exposure reticle field, 26 mm x 33 mm = 858 mm2
(seed: ../shared/seed/000_ecfe29b84823e440.txt, section "CoWoS Packaging Variants")."""

SRAM_ARRAY_EFFICIENCY = 0.65
"""Bit-cell area / SRAM macro area. Engineering estimate: bit-cell arrays take ~60-70 % of
a compiled high-density macro, the rest is decoders, sense amplifiers, I/O and redundancy."""

NVLINK_PHY_AREA_MM2 = 1.5
"""Area of one NVLink-like link PHY (mm2). Engineering estimate: one NVLink4 link is two
100 Gb/s PAM4 SerDes lanes per direction (NVIDIA H100 whitepaper: 18 links, 900 GB/s), a
100G-class lane is ~0.3-0.4 mm2 in 5 nm-class nodes, plus clocking and ESD."""

DEFAULT_OVERHEAD_FRACTION = 0.15
"""Share of the die for I/O ring, power grid, clock spine and whitespace (engineering estimate)."""


@dataclass(frozen=True)
class Die:
    """One die's composition and outline.

    Attributes
    ----------
    node : str
        Canonical node name.
    tiles : int
        Tensor tiles on the die.
    tile : ScaledBlock
        One tile at ``node``.
    tiles_area_mm2, sram_area_mm2, hbm_phy_area_mm2, nvlink_phy_area_mm2, overhead_area_mm2 : float
        Area of each part (mm2); they sum to ``area_mm2``.
    sram_mb : float
        On-die SRAM capacity (MB, 2^20 bytes).
    hbm_phys, nvlink_phys : int
        PHY counts.
    width_mm, height_mm : float
        Die outline (mm).
    """

    node: str
    tiles: int
    tile: ScaledBlock
    tiles_area_mm2: float
    sram_mb: float
    sram_area_mm2: float
    hbm_phys: int
    hbm_phy_area_mm2: float
    nvlink_phys: int
    nvlink_phy_area_mm2: float
    overhead_area_mm2: float
    width_mm: float
    height_mm: float

    @property
    def area_mm2(self) -> float:
        """Die area (mm2)."""
        return self.width_mm * self.height_mm

    @property
    def fits_reticle(self) -> bool:
        """True when the outline fits the 26 x 33 mm reticle in some orientation."""
        return _fits(self.width_mm, self.height_mm)

    @property
    def power_w(self) -> float:
        """Power of the tensor tiles at their scaled Fmax (W)."""
        return self.tiles * self.tile.power_mw / 1000


def _fits(width_mm: float, height_mm: float) -> bool:
    short, long = sorted((width_mm, height_mm))
    return short <= RETICLE_WIDTH_MM + 1e-9 and long <= RETICLE_HEIGHT_MM + 1e-9


def sram_area_mm2(megabytes: float, node_name: str) -> float:
    """Area of an SRAM of ``megabytes`` MB (2^20 bytes) at ``node_name`` (mm2)."""
    bits = megabytes * 8 * 2 ** 20
    return bits * node(node_name).sram_bitcell_um2 / SRAM_ARRAY_EFFICIENCY / 1e6


def _outline(area_mm2: float, aspect: float | None) -> tuple[float, float]:
    if aspect is None:
        aspect = RETICLE_HEIGHT_MM / RETICLE_WIDTH_MM
    return math.sqrt(area_mm2 / aspect), math.sqrt(area_mm2 * aspect)


def compose_die(tile: ScaledBlock, node_name: str, *, tiles: int | None = None,
                target_area_mm2: float | None = None, sram_mb: float = 0.0, hbm_phys: int = 0,
                hbm_phy_area_mm2: float = 0.0, nvlink_phys: int = 0,
                overhead_fraction: float = DEFAULT_OVERHEAD_FRACTION,
                aspect: float | None = None) -> Die:
    """Compose a die from tiles and fixed blocks.

    Parameters
    ----------
    tile : ScaledBlock
        One tensor tile already scaled to ``node_name``.
    node_name : str
        Target node.
    tiles : int, optional
        Number of tiles; the die area follows. Exactly one of ``tiles`` and
        ``target_area_mm2`` is given.
    target_area_mm2 : float, optional
        Die area (mm2); as many tiles as fit in what the fixed blocks and the
        overhead leave are placed.
    sram_mb : float
        On-die SRAM (MB).
    hbm_phys : int
        HBM PHYs on this die, ``hbm_phy_area_mm2`` (mm2) each.
    nvlink_phys : int
        NVLink-like link PHYs, :data:`NVLINK_PHY_AREA_MM2` each.
    overhead_fraction : float
        Share of the die for I/O, power, clocking and whitespace (0 to <1).
    aspect : float, optional
        Height / width; default the reticle's 33/26, so that any die up to 858 mm2 fits.
    """
    if (tiles is None) == (target_area_mm2 is None):
        raise ValueError("give exactly one of tiles and target_area_mm2, not "
                         f"tiles={tiles!r} and target_area_mm2={target_area_mm2!r}")
    if not 0 <= overhead_fraction < 1:
        raise ValueError(f"overhead_fraction must be from 0 to below 1, not {overhead_fraction!r}")
    if aspect is not None and not aspect > 0:
        raise ValueError(f"aspect must be a positive number, not {aspect!r}")
    node_name = node(node_name).name
    tile_area_mm2 = tile.area_um2 / 1e6
    if tile_area_mm2 <= 0:
        raise ValueError(f"tile area must be positive, not {tile.area_um2!r} um2")
    fixed = {
        "sram": sram_area_mm2(sram_mb, node_name),
        "hbm": hbm_phys * hbm_phy_area_mm2,
        "nvlink": nvlink_phys * NVLINK_PHY_AREA_MM2,
    }
    fixed_total = sum(fixed.values())
    if tiles is not None:
        if isinstance(tiles, bool) or not isinstance(tiles, int) or tiles < 1:
            raise ValueError(f"tiles must be a positive integer, not {tiles!r}")
        core = tiles * tile_area_mm2 + fixed_total
        area = core / (1 - overhead_fraction)
    else:
        if not target_area_mm2 > 0:
            raise ValueError(f"target_area_mm2 must be a positive number, not {target_area_mm2!r}")
        area = float(target_area_mm2)
        room = area * (1 - overhead_fraction) - fixed_total
        tiles = math.floor(room / tile_area_mm2 + 1e-9)
        if tiles < 1:
            need = (fixed_total + tile_area_mm2) / (1 - overhead_fraction)
            raise ValueError(f"target_area_mm2 {area:g} leaves no room for one tensor tile after "
                             f"SRAM, PHYs and overhead; it must be at least {need:.1f} mm2")
    width, height = _outline(area, aspect)
    tiles_area = tiles * tile_area_mm2
    return Die(node=node_name, tiles=tiles, tile=tile, tiles_area_mm2=tiles_area,
               sram_mb=float(sram_mb), sram_area_mm2=fixed["sram"], hbm_phys=hbm_phys,
               hbm_phy_area_mm2=fixed["hbm"], nvlink_phys=nvlink_phys,
               nvlink_phy_area_mm2=fixed["nvlink"],
               overhead_area_mm2=area - tiles_area - fixed_total,
               width_mm=width, height_mm=height)


def check_reticle(die: Die) -> None:
    """Raise :class:`ReticleLimitError` when ``die`` does not fit the 26 x 33 mm reticle.

    Over 858 mm2 the message says by how much and how many chiplets of at most
    one reticle each would hold the same silicon; within the area but with an
    outline that does not fit, it gives the aspect ratios that would.
    """
    area = die.area_mm2
    if area > RETICLE_AREA_MM2 + 1e-9:
        excess = area - RETICLE_AREA_MM2
        chiplets = math.ceil(area / RETICLE_AREA_MM2)
        raise ReticleLimitError(
            f"die area {area:.1f} mm2 exceeds the 26 x 33 mm reticle ({RETICLE_AREA_MM2:.0f} mm2) "
            f"by {excess:.1f} mm2 ({100 * excess / RETICLE_AREA_MM2:.1f} %); split it into "
            f"{chiplets} chiplets of about {area / chiplets:.0f} mm2 each")
    if not die.fits_reticle:
        lowest = area / RETICLE_WIDTH_MM ** 2
        highest = RETICLE_HEIGHT_MM ** 2 / area
        raise ReticleLimitError(
            f"die {die.width_mm:.1f} x {die.height_mm:.1f} mm ({area:.1f} mm2) does not fit the "
            f"26 x 33 mm reticle in either orientation; use an aspect ratio (height/width) from "
            f"{lowest:.2f} to {highest:.2f}")

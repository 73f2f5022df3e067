"""Inputs of the packaging stage: the ``[package]`` section and the signed-off tile."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .hbm import hbm_generation
from .interposer import interposer_type
from .nodes import node
from .wafer import DEFAULT_CLUSTERING_ALPHA, DEFAULT_YIELD_MODEL, YIELD_MODELS


def _is_number(value) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(value)


def _positive_int(name: str, value, allow_zero: bool = False) -> None:
    low = 0 if allow_zero else 1
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        kind = "a non-negative" if allow_zero else "a positive"
        raise ValueError(f"{name} must be {kind} integer, not {value!r}")


def _positive_number(name: str, value) -> None:
    if not _is_number(value) or value <= 0:
        raise ValueError(f"{name} must be a positive number, not {value!r}")


def _ratio(name: str, value) -> None:
    if not _is_number(value) or not 0 < value <= 1:
        raise ValueError(f"{name} must be a number above 0 and at most 1, not {value!r}")


@dataclass(frozen=True)
class TileFigures:
    """The signed-off tensor tile, as the signoff stage measured it.

    Parameters
    ----------
    area_um2 : float
        Tile area (um2), SRAM macros included.
    fmax_mhz : float
        Maximum clock frequency (MHz).
    power_mw : float
        Power at ``fmax_mhz`` (mW).
    node : str
        Node the figures are for.
    macs : int
        INT8 multiply-accumulates per cycle (rows x columns of the systolic array).
    sram_area_um2 : float
        Part of ``area_um2`` in SRAM macros (um2); it scales with the bit cell.
    """

    area_um2: float
    fmax_mhz: float
    power_mw: float
    node: str = "130nm"
    macs: int = field(kw_only=True)
    sram_area_um2: float = field(default=0.0, kw_only=True)

    def __post_init__(self):
        _positive_number("area_um2", self.area_um2)
        _positive_number("fmax_mhz", self.fmax_mhz)
        if not _is_number(self.power_mw) or self.power_mw < 0:
            raise ValueError(f"power_mw must be a non-negative number, not {self.power_mw!r}")
        node(self.node)
        _positive_int("macs", self.macs)
        if not _is_number(self.sram_area_um2) or not 0 <= self.sram_area_um2 <= self.area_um2:
            raise ValueError(f"sram_area_um2 must be a number from 0 to area_um2 "
                             f"({self.area_um2!r}), not {self.sram_area_um2!r}")


@dataclass(frozen=True)
class PackageSpec:
    """What the ``[package]`` section of a design describes.

    Parameters
    ----------
    node : str
        Target node ("130nm" ... "3nm", or an alias: "N7", "N5", "N4", "N3").
    dies : int
        Compute dies in the package.
    tiles_per_die : int, optional
        Tensor tiles per die; the die area follows.
    die_area_mm2 : float, optional
        Target die area (mm2); the tiles that fit are placed. Exactly one of
        ``tiles_per_die`` and ``die_area_mm2`` is given.
    sram_mb : float
        On-die SRAM per die (MB).
    nvlink_phys : int
        NVLink-like link PHYs per die.
    hbm_generation : str
        "HBM3", "HBM3E" or "HBM4".
    hbm_stacks : int
        HBM stacks in the package (split evenly over the dies' PHYs).
    hbm_stack_height : int, optional
        DRAM dies per stack; default the generation's.
    hbm_pin_rate_gbps : float, optional
        Data rate per pin (Gb/s); default the generation's maximum.
    interposer : str
        "monolithic", "cowos-s", "cowos-r" or "cowos-l".
    die_aspect : float, optional
        Die height / width; default the reticle's 33/26.
    overhead_fraction : float
        Die share for I/O, power grid, clocking and whitespace.
    yield_model : str
        "poisson", "murphy" or "negative_binomial" (default: negative binomial, as Hennessy &
        Patterson, 5th ed., section 1.6; the report shows all three).
    clustering_alpha : float
        Negative-binomial clustering parameter (default 4, Hennessy & Patterson's value).
    d0_per_cm2 : float, optional
        Defect density (defects/cm2); default the node's.
    wafer_cost_usd : float, optional
        Price of one 300 mm wafer (USD); default the node's.
    hbm_cost_per_gb_usd : float
        HBM price (USD/GB); default 15, an assumption of the order of trade-press
        estimates for HBM3/HBM3E in 2023-2024.
    assembly_cost_usd : float
        Bonding, substrate and final test per package (USD); default 150, an assumption.
    bond_yield : float
        Yield of bonding one die or stack; default 0.99, the per-bond figure used in
        interposer cost models (D. Stow et al., "Cost-effective design of scalable
        high-performance systems using active and passive interposers", ICCAD 2017).
    known_good_die : bool
        Dies are tested before assembly (KGD).
    tile_area_um2, tile_fmax_mhz, tile_power_mw : float, optional
        The signed-off tensor tile at 130 nm, stated: area (um2, SRAM macros included), Fmax (MHz)
        and power at Fmax (mW). Give all three or none: with them the package stage needs nothing
        from the physical stages (a design whose tile was signed off elsewhere, or a what-if);
        without them it takes the tile from the flow's floorplan and signoff.
    tile_sram_area_um2 : float
        Part of ``tile_area_um2`` in SRAM macros (um2), with the stated tile.
    """

    node: str = "N4"
    dies: int = 1
    tiles_per_die: int | None = None
    die_area_mm2: float | None = None
    sram_mb: float = 0.0
    nvlink_phys: int = 0
    hbm_generation: str = "HBM3"
    hbm_stacks: int = 0
    hbm_stack_height: int | None = None
    hbm_pin_rate_gbps: float | None = None
    interposer: str = "cowos-s"
    die_aspect: float | None = None
    overhead_fraction: float = 0.15
    yield_model: str = DEFAULT_YIELD_MODEL
    clustering_alpha: float = DEFAULT_CLUSTERING_ALPHA
    d0_per_cm2: float | None = None
    wafer_cost_usd: float | None = None
    hbm_cost_per_gb_usd: float = 15.0
    assembly_cost_usd: float = 150.0
    bond_yield: float = 0.99
    known_good_die: bool = True
    tile_area_um2: float | None = None
    tile_sram_area_um2: float = 0.0
    tile_fmax_mhz: float | None = None
    tile_power_mw: float | None = None

    @property
    def states_tile(self) -> bool:
        """True when the tile's figures are given here rather than taken from the flow's signoff."""
        return self.tile_area_um2 is not None

    def stated_tile(self, macs: int) -> TileFigures:
        """The stated tile (see :attr:`states_tile`) with ``macs`` MACs per cycle."""
        if not self.states_tile:
            raise ValueError("this [package] section states no tile (tile_area_um2, tile_fmax_mhz, tile_power_mw)")
        return TileFigures(self.tile_area_um2, self.tile_fmax_mhz, self.tile_power_mw, "130nm", macs=macs,
                           sram_area_um2=self.tile_sram_area_um2)

    def __post_init__(self):
        node(self.node)
        _positive_int("dies", self.dies)
        if (self.tiles_per_die is None) == (self.die_area_mm2 is None):
            raise ValueError("give exactly one of tiles_per_die and die_area_mm2, not "
                             f"tiles_per_die={self.tiles_per_die!r} and "
                             f"die_area_mm2={self.die_area_mm2!r}")
        if self.tiles_per_die is not None:
            _positive_int("tiles_per_die", self.tiles_per_die)
        if self.die_area_mm2 is not None:
            _positive_number("die_area_mm2", self.die_area_mm2)
        if not _is_number(self.sram_mb) or self.sram_mb < 0:
            raise ValueError(f"sram_mb must be a non-negative number, not {self.sram_mb!r}")
        _positive_int("nvlink_phys", self.nvlink_phys, allow_zero=True)
        hbm_generation(self.hbm_generation)
        _positive_int("hbm_stacks", self.hbm_stacks, allow_zero=True)
        if self.hbm_stack_height is not None:
            _positive_int("hbm_stack_height", self.hbm_stack_height)
        if self.hbm_pin_rate_gbps is not None:
            _positive_number("hbm_pin_rate_gbps", self.hbm_pin_rate_gbps)
        interposer_type(self.interposer)
        if self.die_aspect is not None:
            _positive_number("die_aspect", self.die_aspect)
        if not _is_number(self.overhead_fraction) or not 0 <= self.overhead_fraction < 1:
            raise ValueError(f"overhead_fraction must be a number from 0 to below 1, "
                             f"not {self.overhead_fraction!r}")
        if self.yield_model not in YIELD_MODELS:
            raise ValueError(f"yield_model must be one of {', '.join(YIELD_MODELS)}, "
                             f"not {self.yield_model!r}")
        _positive_number("clustering_alpha", self.clustering_alpha)
        if self.d0_per_cm2 is not None and (not _is_number(self.d0_per_cm2) or self.d0_per_cm2 < 0):
            raise ValueError(f"d0_per_cm2 must be a non-negative number, not {self.d0_per_cm2!r}")
        if self.wafer_cost_usd is not None:
            _positive_number("wafer_cost_usd", self.wafer_cost_usd)
        for name in ("hbm_cost_per_gb_usd", "assembly_cost_usd"):
            value = getattr(self, name)
            if not _is_number(value) or value < 0:
                raise ValueError(f"{name} must be a non-negative number, not {value!r}")
        _ratio("bond_yield", self.bond_yield)
        if not isinstance(self.known_good_die, bool):
            raise TypeError(f"known_good_die must be a bool, not {self.known_good_die!r}")
        self._check_stated_tile()

    def _check_stated_tile(self) -> None:
        keys = ("tile_area_um2", "tile_fmax_mhz", "tile_power_mw")
        given = [k for k in keys if getattr(self, k) is not None]
        if given and len(given) < len(keys):
            missing = [k for k in keys if k not in given]
            raise ValueError(f"give all of {', '.join(keys)} (the signed-off tile) or none of them (the tile "
                             f"then comes from the flow's signoff); {', '.join(missing)} missing")
        if not given:
            if self.tile_sram_area_um2 != 0.0:
                raise ValueError("tile_sram_area_um2 goes with a stated tile: give tile_area_um2, tile_fmax_mhz "
                                 "and tile_power_mw too")
            return
        _positive_number("tile_area_um2", self.tile_area_um2)
        _positive_number("tile_fmax_mhz", self.tile_fmax_mhz)
        if not _is_number(self.tile_power_mw) or self.tile_power_mw < 0:
            raise ValueError(f"tile_power_mw must be a non-negative number, not {self.tile_power_mw!r}")
        if not _is_number(self.tile_sram_area_um2) or not 0 <= self.tile_sram_area_um2 <= self.tile_area_um2:
            raise ValueError(f"tile_sram_area_um2 must be a number from 0 to tile_area_um2 "
                             f"({self.tile_area_um2!r}), not {self.tile_sram_area_um2!r}")

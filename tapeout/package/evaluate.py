"""The package model: from a :class:`PackageSpec` and the signed-off tile to every figure."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .die import Die, check_reticle, compose_die
from .hbm import HbmMemory, hbm_generation
from .interposer import PackageLayout, check_interposer, interposer_type, layout_package
from .nodes import ProcessNode, node, scale
from .roofline import Roofline, gemv_intensity
from .spec import PackageSpec, TileFigures
from .wafer import (
    PackageCost,
    cost_per_good_die,
    die_yield,
    die_yields,
    dies_per_wafer_formula,
    dies_per_wafer_grid,
    package_cost,
)


@dataclass(frozen=True)
class PackageResult:
    """Everything the packaging stage computed.

    Attributes
    ----------
    spec : PackageSpec
    tile : TileFigures
    node : ProcessNode
    die : Die
    memory : HbmMemory
    layout : PackageLayout
    roofline : Roofline
    decode_intensity : float
        Batch-1 INT8 GEMV intensity (ops/byte).
    dies_per_wafer_formula : float
        Gross dies per wafer from the standard formula.
    dies_per_wafer : int
        Whole dies of the best grid on the wafer.
    die_yield : float
        Die yield by the spec's model.
    die_yield_by_model : dict
        Die yield by every model (poisson, murphy, negative_binomial).
    d0_per_cm2, wafer_cost_usd : float
        Values used (the spec's or the node's).
    good_die_cost_usd : float
    interposers_per_wafer : int
        0 without an interposer.
    interposer_yield : float
    cost : PackageCost
    """

    spec: PackageSpec
    tile: TileFigures
    node: ProcessNode
    die: Die
    memory: HbmMemory
    layout: PackageLayout
    roofline: Roofline
    decode_intensity: float
    dies_per_wafer_formula: float
    dies_per_wafer: int
    die_yield: float
    die_yield_by_model: dict
    d0_per_cm2: float
    wafer_cost_usd: float
    good_die_cost_usd: float
    interposers_per_wafer: int
    interposer_yield: float
    cost: PackageCost

    @property
    def peak_tops(self) -> float:
        """Peak INT8 throughput of the package (TOPS, 2 ops per MAC)."""
        return self.roofline.peak

    def metrics(self) -> dict:
        """Flow metrics, ``package__<thing>__<unit>``."""
        return {
            "package__die_area__mm2": round(self.die.area_mm2, 3),
            "package__reticle_fit__bool": self.die.fits_reticle,
            "package__interposer_area__mm2": round(self.layout.area_mm2, 3),
            "package__peak__tops": round(self.peak_tops, 3),
            "package__hbm_bandwidth__tbps": round(self.memory.bandwidth_tbps, 4),
            "package__hbm_capacity__gb": round(self.memory.capacity_gb, 3),
            "package__dies_per_wafer__count": self.dies_per_wafer,
            "package__yield__ratio": round(self.die_yield, 5),
            "package__cost_per_good_die__usd": round(self.good_die_cost_usd, 2),
            "package__cost_per_good_package__usd": round(self.cost.cost_per_good_package_usd, 2),
        }


def evaluate_package(spec: PackageSpec, tile: TileFigures) -> PackageResult:
    """Run the whole package model.

    Raises
    ------
    ReticleLimitError
        The die does not fit the 26 x 33 mm reticle.
    InterposerOverflowError
        Dies and stacks do not fit the interposer type's area limit.
    ValueError
        Inconsistent inputs (e.g. HBM on a monolithic package).
    """
    if not isinstance(spec, PackageSpec):
        raise TypeError(f"spec must be a PackageSpec, not {spec!r}")
    if not isinstance(tile, TileFigures):
        raise TypeError(f"tile must be a TileFigures, not {tile!r}")
    target = node(spec.node)
    kind = interposer_type(spec.interposer)
    generation = hbm_generation(spec.hbm_generation)
    memory = HbmMemory(
        generation, spec.hbm_stacks,
        spec.hbm_stack_height if spec.hbm_stack_height is not None else generation.default_height,
        spec.hbm_pin_rate_gbps if spec.hbm_pin_rate_gbps is not None else generation.max_pin_rate_gbps)

    scaled_tile = scale(tile.area_um2, tile.fmax_mhz, tile.power_mw, from_node=tile.node,
                        to_node=target.name, sram_area_um2=tile.sram_area_um2)
    die = compose_die(scaled_tile, target.name, tiles=spec.tiles_per_die,
                      target_area_mm2=spec.die_area_mm2, sram_mb=spec.sram_mb,
                      hbm_phys=math.ceil(spec.hbm_stacks / spec.dies),
                      hbm_phy_area_mm2=generation.phy_area_mm2, nvlink_phys=spec.nvlink_phys,
                      overhead_fraction=spec.overhead_fraction, aspect=spec.die_aspect)
    check_reticle(die)
    layout = layout_package(kind, spec.dies, die.width_mm, die.height_mm, spec.hbm_stacks,
                            generation.footprint_mm)
    check_interposer(layout)

    peak_tops = spec.dies * die.tiles * tile.macs * 2 * scaled_tile.fmax_mhz * 1e6 / 1e12
    roofline = Roofline(peak_tops, memory.bandwidth_tbps)

    d0 = spec.d0_per_cm2 if spec.d0_per_cm2 is not None else target.d0_per_cm2
    wafer_cost = spec.wafer_cost_usd if spec.wafer_cost_usd is not None else target.wafer_cost_usd
    dpw = dies_per_wafer_grid(die.width_mm, die.height_mm)
    if dpw < 1:
        raise ValueError(f"a {die.width_mm:.1f} x {die.height_mm:.1f} mm die does not fit a "
                         "300 mm wafer")
    yields = die_yields(die.area_mm2, d0, spec.clustering_alpha)
    y = yields[spec.yield_model]
    good_die_cost = cost_per_good_die(wafer_cost, dpw, y)

    if kind.has_interposer:
        interposers_per_wafer = dies_per_wafer_grid(layout.width_mm, layout.height_mm)
        if interposers_per_wafer < 1:
            raise ValueError(f"a {layout.width_mm:.1f} x {layout.height_mm:.1f} mm interposer "
                             "does not fit a 300 mm wafer")
        interposer_cost = kind.wafer_cost_usd / interposers_per_wafer
        interposer_y = die_yield(layout.area_mm2, kind.d0_per_cm2, spec.yield_model,
                                 spec.clustering_alpha)
    else:
        interposers_per_wafer, interposer_cost, interposer_y = 0, 0.0, 1.0
    cost = package_cost(good_die_cost_usd=good_die_cost, raw_die_cost_usd=wafer_cost / dpw,
                        die_yield_ratio=y, dies=spec.dies, hbm_stacks=spec.hbm_stacks,
                        hbm_cost_usd=memory.capacity_gb * spec.hbm_cost_per_gb_usd,
                        interposer_cost_usd=interposer_cost, interposer_yield=interposer_y,
                        bond_yield=spec.bond_yield, assembly_cost_usd=spec.assembly_cost_usd,
                        known_good_die=spec.known_good_die)
    return PackageResult(
        spec=spec, tile=tile, node=target, die=die, memory=memory, layout=layout,
        roofline=roofline, decode_intensity=gemv_intensity(),
        dies_per_wafer_formula=dies_per_wafer_formula(die.width_mm, die.height_mm),
        dies_per_wafer=dpw, die_yield=y, die_yield_by_model=yields, d0_per_cm2=d0, wafer_cost_usd=wafer_cost,
        good_die_cost_usd=good_die_cost, interposers_per_wafer=interposers_per_wafer,
        interposer_yield=interposer_y, cost=cost)

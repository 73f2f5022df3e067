"""The packaging stage's reports: ``package.json`` content and ``package_report.md``."""

from __future__ import annotations

import dataclasses

from .evaluate import PackageResult


def result_to_json(result: PackageResult) -> dict:
    """A JSON-ready dict of every input, intermediate figure and source."""
    die, memory, layout, cost = result.die, result.memory, result.layout, result.cost
    return {
        "metrics": result.metrics(),
        "spec": dataclasses.asdict(result.spec),
        "tile": dataclasses.asdict(result.tile),
        "node": {
            "name": result.node.name,
            "logic_density_mtr_per_mm2": result.node.logic_density_mtr_per_mm2,
            "sram_bitcell_um2": result.node.sram_bitcell_um2,
            "speed_rel_130nm": result.node.speed_rel,
            "power_rel_130nm": result.node.power_rel,
            "sources": result.node.sources,
        },
        "die": {
            "tiles": die.tiles,
            "tile_area_um2": die.tile.area_um2,
            "tile_fmax_mhz": die.tile.fmax_mhz,
            "tile_power_mw": die.tile.power_mw,
            "tiles_area_mm2": die.tiles_area_mm2,
            "sram_mb": die.sram_mb,
            "sram_area_mm2": die.sram_area_mm2,
            "hbm_phys": die.hbm_phys,
            "hbm_phy_area_mm2": die.hbm_phy_area_mm2,
            "nvlink_phys": die.nvlink_phys,
            "nvlink_phy_area_mm2": die.nvlink_phy_area_mm2,
            "overhead_area_mm2": die.overhead_area_mm2,
            "area_mm2": die.area_mm2,
            "width_mm": die.width_mm,
            "height_mm": die.height_mm,
            "fits_reticle": die.fits_reticle,
            "tiles_power_w": die.power_w,
        },
        "hbm": {
            "generation": memory.generation.name,
            "stacks": memory.stacks,
            "height": memory.height,
            "pin_rate_gbps": memory.pin_rate_gbps,
            "stack_capacity_gb": memory.stack_capacity_gb,
            "stack_bandwidth_gbps": memory.stack_bandwidth_gbps,
            "capacity_gb": memory.capacity_gb,
            "bandwidth_tbps": memory.bandwidth_tbps,
            "source": memory.generation.sources,
        },
        "interposer": {
            "type": layout.interposer.name,
            "width_mm": layout.width_mm,
            "height_mm": layout.height_mm,
            "area_mm2": layout.area_mm2,
            "max_area_mm2": layout.interposer.max_area_mm2 if layout.interposer.has_interposer else None,
            "hbm_columns_per_side": layout.hbm_columns_per_side,
            "placements": [dataclasses.asdict(p) for p in layout.placements],
            "source": layout.interposer.source,
        },
        "roofline": {
            "peak_tops": result.peak_tops,
            "bandwidth_tbps": result.roofline.bandwidth,
            "knee_ops_per_byte": result.roofline.knee_ops_per_byte,
            "decode_gemv_ops_per_byte": result.decode_intensity,
            "decode_attainable_tops": result.roofline.attainable(result.decode_intensity),
            "decode_fraction_of_peak": result.roofline.fraction_of_peak(result.decode_intensity),
        },
        "wafer": {
            "dies_per_wafer_formula": result.dies_per_wafer_formula,
            "dies_per_wafer_grid": result.dies_per_wafer,
            "d0_per_cm2": result.d0_per_cm2,
            "yield_model": result.spec.yield_model,
            "clustering_alpha": result.spec.clustering_alpha,
            "die_yield": result.die_yield,
            "die_yield_by_model": result.die_yield_by_model,
            "wafer_cost_usd": result.wafer_cost_usd,
            "cost_per_good_die_usd": result.good_die_cost_usd,
            "interposers_per_wafer": result.interposers_per_wafer,
            "interposer_yield": result.interposer_yield,
        },
        "package_cost": {
            "die_cost_usd": cost.die_cost_usd,
            "hbm_cost_usd": cost.hbm_cost_usd,
            "interposer_cost_usd": cost.interposer_cost_usd,
            "assembly_cost_usd": cost.assembly_cost_usd,
            "assembly_yield": cost.assembly_yield,
            "bill_of_materials_usd": cost.bill_of_materials_usd,
            "cost_per_good_package_usd": cost.cost_per_good_package_usd,
        },
    }


def _yield_label(model: str, alpha: float) -> str:
    labels = {"poisson": "Poisson exp(-A D0)", "murphy": "Murphy ((1 - exp(-A D0)) / A D0)^2",
              "negative_binomial": f"negative binomial (1 + A D0 / alpha)^-alpha, alpha = {alpha:g}"}
    return labels[model]


def render_markdown(result: PackageResult) -> str:
    """``package_report.md``: die budget, package, roofline, wafer economics."""
    spec, die, memory, layout = result.spec, result.die, result.memory, result.layout
    roof, cost = result.roofline, result.cost
    knee = roof.knee_ops_per_byte
    decode = result.decode_intensity
    lines = [
        f"# Package report: {spec.dies} x die at {spec.node} ({result.node.name} class), "
        f"{memory.stacks} x {memory.generation.name}, {layout.interposer.name}",
        "",
        "## Die",
        "",
        "| part | count | area (mm2) |",
        "|---|---:|---:|",
        f"| tensor tiles ({die.tile.area_um2:,.0f} um2 each at {die.tile.fmax_mhz:.0f} MHz) "
        f"| {die.tiles} | {die.tiles_area_mm2:.1f} |",
        f"| SRAM ({die.sram_mb:g} MB) | 1 | {die.sram_area_mm2:.1f} |",
        f"| HBM PHY | {die.hbm_phys} | {die.hbm_phy_area_mm2:.1f} |",
        f"| NVLink-like PHY | {die.nvlink_phys} | {die.nvlink_phy_area_mm2:.1f} |",
        f"| I/O, power, clocking, whitespace | - | {die.overhead_area_mm2:.1f} |",
        f"| **die** | | **{die.area_mm2:.1f}** ({die.width_mm:.2f} x {die.height_mm:.2f} mm) |",
        "",
        f"Reticle (26 x 33 mm = 858 mm2): {'fits' if die.fits_reticle else 'does NOT fit'}, "
        f"{100 * die.area_mm2 / 858:.1f} % of the field.",
        "",
        "## Package",
        "",
        f"- Interposer: {layout.interposer.name}, {layout.width_mm:.1f} x {layout.height_mm:.1f} mm"
        f" = {layout.area_mm2:.0f} mm2"
        + (f" (limit {layout.interposer.max_area_mm2:.0f} mm2)" if layout.interposer.has_interposer else ""),
        f"- HBM: {memory.stacks} x {memory.generation.name} {memory.height}-high, "
        f"{memory.stack_capacity_gb:g} GB and {memory.stack_bandwidth_gbps:.0f} GB/s per stack "
        f"({memory.pin_rate_gbps:g} Gb/s/pin x {memory.generation.interface_bits} bits) -> "
        f"{memory.capacity_gb:g} GB, {memory.bandwidth_tbps:.2f} TB/s",
        f"- Peak INT8: {result.peak_tops:,.1f} TOPS ({spec.dies} dies x {die.tiles} tiles x "
        f"{result.tile.macs} MACs x 2 ops x {die.tile.fmax_mhz:.0f} MHz); tile power "
        f"{spec.dies * die.power_w:,.1f} W",
        "",
        "## Roofline",
        "",
        f"- Knee: {knee:,.1f} ops/byte (peak / bandwidth).",
        f"- Batch-1 INT8 GEMV (decode, 8192 x 8192): {decode:.3f} ops/byte -> "
        f"{roof.attainable(decode):,.1f} TOPS attainable, "
        f"{100 * roof.fraction_of_peak(decode):.2f} % of peak, "
        + (f"{knee / decode:,.0f}x below the knee." if decode < knee else "above the knee."),
        "  Each weight byte is read once for one multiply-add (2 ops), so decode is bound by",
        "  memory bandwidth whatever the compute.",
        "",
        "## Wafer economics",
        "",
        f"- Gross dies per 300 mm wafer: {result.dies_per_wafer_formula:.1f} by the standard formula "
        f"(pi d^2 / 4A - pi d / sqrt(2A)), {result.dies_per_wafer} by the best-offset grid count "
        "(used below)",
        f"- Die yield, D0 {result.d0_per_cm2:g}/cm2, {die.area_mm2 / 100:.2f} cm2 "
        f"(the {spec.yield_model} model is used below):",
        "",
        "| model | die yield |",
        "|---|---:|",
        *(f"| {_yield_label(model, spec.clustering_alpha)}{' (used)' if model == spec.yield_model else ''} "
          f"| {value:.3f} |" for model, value in result.die_yield_by_model.items()),
        "",
        f"- Wafer ${result.wafer_cost_usd:,.0f} -> ${result.good_die_cost_usd:,.0f} per good die",
        f"- Package: dies ${cost.dies * cost.die_cost_usd:,.0f} + HBM ${cost.hbm_cost_usd:,.0f} + "
        f"interposer ${cost.interposer_cost_usd:,.0f} + assembly ${cost.assembly_cost_usd:,.0f} = "
        f"${cost.bill_of_materials_usd:,.0f}; assembly yield {cost.assembly_yield:.3f} -> "
        f"**${cost.cost_per_good_package_usd:,.0f} per good package**",
        "",
    ]
    return "\n".join(lines)

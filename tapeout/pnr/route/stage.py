"""The `route` flow stage: global routing of the placed design, route guides and the congestion map."""

from __future__ import annotations

from dataclasses import dataclass

from tapeout.flow.schema import Int, setting
from tapeout.flow.stage import Artifact, Gate, Picture, StageContext
from tapeout.pnr.cts.stage import CTS_PLACED_DESIGN
from tapeout.pnr.physical_stage import PhysicalStage


@dataclass(frozen=True)
class RouteSection:
    """[route]: the global router."""

    gcell_rows: int = setting(Int(1, 100), 15, doc="GCell size in standard-cell rows (15 x 2.72 = 40.8 um)")
    max_iterations: int = setting(Int(0, 1000), 50, doc="negotiated-congestion iterations")


GUIDES = Artifact("route", "{top}.guide", "guide", "route guides per net and layer (OpenROAD/TritonRoute format)")
ROUTE_NPZ = Artifact("route", "route.npz", "npz", "the layered route trees, format 'global_route' v1")
CONGESTION_PNG = Artifact("route", "congestion.png", "png", "usage / capacity per gcell")
CONGESTION_SVG = Artifact("route", "congestion.svg", "svg", "the same, zoomable")


class RouteStage(PhysicalStage):
    name = "route"
    title = "global route"
    summary = ("global routing of every net, clock tree included, on a GCell grid: pattern routing then "
               "negotiated-congestion (PathFinder) rip-up and reroute, layer assignment")
    sections = {"route": RouteSection}
    reads = ("design.top", "technology.library", "technology.pdk_root")
    inputs = CTS_PLACED_DESIGN
    outputs = (GUIDES, ROUTE_NPZ, CONGESTION_PNG, CONGESTION_SVG)
    gates = (Gate("route__overflow__count", lambda v: v == 0, "no routing overflow"),)
    pictures = (Picture(CONGESTION_PNG, "global routing congestion"),)
    key_metrics = ("route__wirelength__um", "route__overflow__count")

    def run(self, ctx: StageContext) -> dict:
        from tapeout.errors import StageError
        from tapeout.netlist.names import def_escape, net_written_names, written
        from tapeout.pnr.place.placed_design import load_placed
        from tapeout.pnr.route.congestion_map import save_congestion_map
        from tapeout.pnr.route.negotiated import global_route
        from tapeout.pnr.route.route_file import save_route
        from tapeout.pnr.route.setup import PIN_LAYER, routing_problem
        from tapeout.tech.technology import technology_of

        config, top = ctx.config, ctx.top
        ctx.progress(None, "loading the placement")
        technology = technology_of(config)
        placed = load_placed(ctx.input_dirs["cts"], top, technology)
        netlist, plan = placed.netlist, placed.plan
        pin_x, pin_y = placed.pin_xy
        problem, skip = routing_problem(netlist, plan, pin_x, pin_y, config.route.gcell_rows, route_clocks=True,
                                        layers=technology.metal_stack)
        grid = problem.grid
        ctx.log(f"grid: {grid.nx} x {grid.ny} gcells of {config.route.gcell_rows * plan.row_height:.2f} um, "
                f"{int((~skip).sum())} nets to route ({int(skip.sum())} skipped: constants, single pin)")
        result = global_route(problem, max_iterations=config.route.max_iterations, pin_layer=PIN_LAYER,
                              progress=lambda f, m: ctx.progress(0.95 * f, m))
        ctx.log(f"overflow after pattern routing and each negotiation: {list(result.overflow_history)}")
        ctx.progress(0.96, "guides and congestion map")
        result.write_route_guides(ctx.path(GUIDES), [written(n, def_escape) for n in net_written_names(netlist)])
        save_congestion_map(result, ctx.out_dir / "congestion",
                            title=f"{config.name}: global routing congestion (usage / capacity)")
        save_route(ctx.path(ROUTE_NPZ), result)
        metrics = {
            "route__wirelength__um": round(float(result.wirelength_um), 1),
            "route__overflow__count": int(result.overflow_total),
            "route__overflowed_edges__count": int(result.overflowed_edges),
            "route__vias__count": int(result.via_count),
            "route__gcells__count": int(grid.nx * grid.ny),
            "route__nets__count": int((~skip).sum()),
        }
        ctx.log(f"wirelength {result.wirelength_um:,.0f} um, overflow {result.overflow_total} on "
                f"{result.overflowed_edges} edges, {result.via_count} vias")
        if result.overflow_total > 0:
            raise StageError(f"routing overflow: {result.overflow_total} tracks over capacity on "
                             f"{result.overflowed_edges} gcell edges after {config.route.max_iterations} "
                             f"iterations; congestion map: {ctx.failed_dir / 'congestion.png'}")
        return metrics

"""The `droute` flow stage: detailed routing of every signal net on the routing tracks (wires and vias
that `finish` writes into the DEF and `gds` streams out)."""

from __future__ import annotations

from dataclasses import dataclass

from tapeout.flow.schema import Bool, Float, Int, setting
from tapeout.flow.stage import Artifact, Gate, Picture, StageContext
from tapeout.pnr.cts.stage import CTS_PLACED_DESIGN
from tapeout.pnr.physical_stage import PhysicalStage
from tapeout.pnr.route.stage import ROUTE_NPZ


@dataclass(frozen=True)
class DrouteSection:
    """[droute]: the detailed router."""

    enabled: bool = setting(Bool(), True, doc="route the signal nets in detail (tap130 and SKY130): `finish` then "
                            "writes the wires and vias into the DEF, the GDS holds them, `drc_lvs` checks them and "
                            "`signoff` times their extracted parasitics")
    max_iterations: int = setting(Int(0, 200), 40, doc="rip-up and reroute passes after the first")
    margin_um: float = setting(Float(0.0, 1000.0), 10.0, doc="search window: the net's pin box widened by this "
                               "(um), doubled at each rip-up of the net up to 16 times")
    via_cost: float = setting(Float(0.0, 100.0), 1.5, doc="cost of a via in um of wire")


ROUTED_DEF = Artifact("droute", "{top}.def", "def", "the placed design with every signal net ROUTED (DEF 5.8)")
ROUTES_JSON = Artifact("droute", "routes.json", "json", "wires and vias per net, format 'detailed_route' v1")
ROUTES_PNG = Artifact("droute", "routes.png", "png", "every routed wire of the die, coloured by layer")
REGION_SVG = Artifact("droute", "region.svg", "svg", "a 40 um region where the vias are densest at true "
                      "widths (wires, via pads, patches, cell outlines), zoomable")


def detailed_routing(config) -> bool:
    """Whether the design's signal nets are detail-routed: `[droute] enabled` (the default) on the physical
    flow (every library of it has the vias and the power grid the router needs)."""
    from tapeout.flow.config import physical_flow

    return config.droute.enabled and physical_flow(config)


class DrouteStage(PhysicalStage):
    name = "droute"
    title = "detailed route"
    summary = ("detailed routing on the track graph (met1-met4, li1 pin access, power grid as obstacles): "
               "A* per connection, negotiated rip-up and reroute until no shorts, clock nets first")
    sections = {"droute": DrouteSection}
    reads = ("design.top", "technology.library", "technology.pdk_root", "route.gcell_rows")
    inputs = (*CTS_PLACED_DESIGN, ROUTE_NPZ)
    outputs = (ROUTED_DEF, ROUTES_JSON, ROUTES_PNG, REGION_SVG)
    pictures = (Picture(ROUTES_PNG, "detailed routes"), Picture(REGION_SVG, "a routed region (zoomable)"))
    gates = (Gate("droute__shorts__count", lambda v: v == 0, "no shorts or spacing conflicts between nets"),
             Gate("droute__opens__count", lambda v: v == 0, "every pin connected"))
    key_metrics = ("droute__wirelength__um", "droute__vias__count", "droute__shorts__count")

    def applies(self, config) -> bool:
        return detailed_routing(config)

    def run(self, ctx: StageContext) -> dict:
        from tapeout.errors import StageError
        from tapeout.pnr.formats.def_writer import write_def
        from tapeout.pnr.route.detailed.build import detailed_route
        from tapeout.pnr.route.detailed.negotiate import DetailedRouteError
        from tapeout.pnr.route.detailed.picture import densest_window, draw_overview, draw_region
        from tapeout.pnr.route.detailed.routes_file import save_routes
        from tapeout.pnr.route.route_file import load_route

        settings = ctx.config.droute
        global_wl = float(load_route(ctx.path(ROUTE_NPZ)).wirelength_um)
        try:
            job = detailed_route(ctx.config, ctx.input_dirs["cts"], ctx.top, settings,
                                 progress=lambda f, m: ctx.progress(f, m), log=ctx.log)
        except ValueError as exc:  # pin access or technology data the router cannot use
            raise StageError(str(exc)) from None
        except DetailedRouteError as exc:
            if exc.layout is not None:
                write_def(exc.layout, ctx.path(ROUTED_DEF))
            x0, y0, x1, y1 = exc.region
            raise StageError(f"net {exc.name} cannot be routed in the region ({x0:.2f}, {y0:.2f}) - "
                             f"({x1:.2f}, {y1:.2f}) um; partial DEF: {ctx.failed_dir / ctx.top}.def") from None
        write_def(job.layout, ctx.path(ROUTED_DEF))
        save_routes(ctx.path(ROUTES_JSON), job.layout.routes)
        window = densest_window(job.layout.routes, job.die)
        draw_overview(ctx.path(ROUTES_PNG), job.layout.routes, job.die, f"{ctx.top}: detailed routes")
        draw_region(ctx.path(REGION_SVG), job.layout.routes, job.widths, job.via_shapes, job.cell_boxes, window,
                    f"{ctx.top}: routes in ({window[0]:.1f}, {window[1]:.1f}) - ({window[2]:.1f}, {window[3]:.1f}) um")
        ctx.log(f"{job.nets} nets, {job.wirelength_um:,.1f} um of wire ({global_wl:,.1f} um global), {job.vias} vias, "
                f"conflicts per pass {job.conflict_history}, {job.opens} open pins")
        return {"droute__wirelength__um": round(job.wirelength_um, 2),
                "droute__global_wirelength__um": round(global_wl, 2),
                "droute__wirelength_ratio__ratio": round(job.wirelength_um / global_wl, 4) if global_wl else 0.0,
                "droute__vias__count": job.vias,
                "droute__vias_per_net__ratio": round(job.vias / max(job.nets, 1), 3),
                "droute__nets__count": job.nets,
                "droute__shorts__count": job.shorts, "droute__opens__count": job.opens,
                "droute__iterations__count": len(job.conflict_history) - 1}

"""The `finish` flow stage: the placed design made ready for GDSII: routing tracks (DEF TRACKS), the power
grid (rails, straps and via stacks in DEF SPECIALNETS, the top straps hooked onto the blocks' supply
pins), filler/decap cells in every empty site and the
detailed router's wires and vias (DEF NETS + ROUTED, when the `droute` stage applies), written as one DEF
that the `gds` stage streams out."""

from __future__ import annotations

import json

from tapeout.flow.stage import Artifact, Gate, StageContext
from tapeout.pnr.cts.stage import CTS_PLACED_DESIGN
from tapeout.pnr.physical_stage import PhysicalStage
from tapeout.pnr.route.detailed.stage import ROUTES_JSON, detailed_routing

FINISHED_DEF = Artifact("finish", "{top}.def", "def", "the placed design with tracks, power grid and fillers "
                        "(DEF 5.8)")
FINISH_JSON = Artifact("finish", "finish.json", "json", "fillers and decaps by master, rails, straps, vias, tracks")


class FinishStage(PhysicalStage):
    name = "finish"
    title = "tracks, power grid, fill"
    summary = ("routing tracks per the technology LEF, the power grid (follow-pin rails on every row, "
               "power/ground straps, via stacks at crossings) and filler/decap cells in every empty site")
    reads = ("design.top", "technology.library", "technology.pdk_root", "droute.enabled")
    inputs = (*CTS_PLACED_DESIGN, ROUTES_JSON)
    outputs = (FINISHED_DEF, FINISH_JSON)
    gates = (Gate("finish__empty_sites__count", lambda v: v == 0, "every site filled"),)
    key_metrics = ("finish__fill_cells__count", "finish__straps__count", "finish__pg_vias__count")

    def input_artifacts(self, config):
        """The detailed routes only when the design is detail-routed (`[droute] enabled`)."""
        return self.inputs if detailed_routing(config) else CTS_PLACED_DESIGN

    def run(self, ctx: StageContext) -> dict:
        from collections import Counter

        import numpy as np

        from tapeout.errors import StageError
        from tapeout.pnr.finish.block_supplies import block_supply_pins
        from tapeout.pnr.finish.fill import fill_rows, macro_halo_sites, occupied_sites
        from tapeout.pnr.finish.power_grid import power_grid, via_enclosures
        from tapeout.pnr.finish.tracks import die_tracks
        from tapeout.pnr.floorplan.from_netlist import cell_lef_macros
        from tapeout.pnr.formats.def_writer import write_def
        from tapeout.pnr.formats.layout import Component
        from tapeout.pnr.formats.to_layout import placed_layout
        from tapeout.pnr.place.placed_design import load_placed
        from tapeout.pnr.route.detailed.build import block_lef_macros
        from tapeout.tech.tech_lef import read_tech_lef
        from tapeout.tech.technology import technology_of

        top = ctx.top
        technology = technology_of(ctx.config)
        ctx.progress(None, "loading the placed design")
        placed = load_placed(ctx.input_dirs["cts"], top, technology)
        netlist, plan = placed.netlist, placed.plan
        n = netlist.num_cells
        layout = placed_layout(netlist, plan, placed.x[:n], placed.y[:n], technology.site.name)
        layout.tracks = die_tracks(technology.metal_stack, plan.die)

        ctx.progress(None, "filler and decap cells")
        width, height = placed.problem.width[:n], placed.problem.height[:n]
        taps = [(t.x, t.y, plan.tap_width, plan.row_height) for t in plan.taps]
        taken = occupied_sites(plan, [*zip(placed.x[:n], placed.y[:n], width, height), *taps])
        halos = macro_halo_sites(plan) & ~taken
        masters = [*technology.decaps, *technology.fillers]
        fills = []
        if masters:
            lef = cell_lef_macros(technology)
            sites = [(m, int(round(lef[m].width / plan.site_width))) for m in masters]
            try:
                fills = fill_rows(plan, taken | halos, sites)
            except ValueError as exc:
                raise StageError(f"filling the rows: {exc}") from None
            layout.components += [Component(f"FILLER_{f.row}_{f.site}", f.master, f.x, f.y, f.orient)
                                  for f in fills]
        # without filler cells (tap130) the free sites stay empty and the fill gate does not apply
        empty = int((~(taken | halos)).sum()) - sum(int(round(lef[f.master].width / plan.site_width)) for f in fills) \
            if masters else None

        rails = straps = vias = 0
        if technology.power_grid is not None:
            ctx.progress(None, "power grid")
            rules = technology.power_grid
            enclosure = via_enclosures(read_tech_lef(technology.lef_files[0]).vias, technology.cut_stack)
            hooks = block_supply_pins(layout.components, block_lef_macros(ctx.input_dirs["cts"], technology), rules)
            layout.special_nets, layout.vias = power_grid(plan, rules, technology.metal_stack,
                                                          technology.cut_stack, enclosure, hooks)
            wires = [w for net in layout.special_nets for w in net.wires]
            rails = sum(w.shape == "FOLLOWPIN" for w in wires)
            straps = len(wires) - rails
            vias = sum(len(net.vias) for net in layout.special_nets)
        if detailed_routing(ctx.config):
            from tapeout.pnr.route.detailed.routes_file import load_routes

            layout.routes = load_routes(ctx.path(ROUTES_JSON))
        write_def(layout, ctx.path(FINISHED_DEF))

        by_master = dict(sorted(Counter(f.master for f in fills).items()))
        decaps = sum(c for m, c in by_master.items() if m in technology.decaps)
        ctx.path(FINISH_JSON).write_text(json.dumps({
            "fill_cells_by_master": by_master, "rails": rails, "straps": straps, "pg_vias": vias,
            "via_definitions": [v.name for v in layout.vias],
            "tracks": [f"{t.layer} {t.axis} {t.count} x {t.step} um" for t in layout.tracks],
            "sites": int(taken.size), "sites_under_cells": int(taken.sum()),
            "sites_in_macro_halos": int(halos.sum()), "empty_sites": empty,
        }, indent=1) + "\n")
        ctx.log(f"{len(fills)} fill cells ({decaps} decaps), {rails} rails, {straps} straps, {vias} via stacks, "
                f"{len(layout.tracks)} track sets; "
                + (f"{empty} sites left empty" if masters else f"{technology.name} has no filler cells"))
        metrics = {"finish__fill_cells__count": len(fills), "finish__decaps__count": decaps,
                   "finish__rails__count": rails, "finish__straps__count": straps, "finish__pg_vias__count": vias,
                   "finish__cell_density__ratio": round(float(np.mean(taken)), 6)}
        return metrics if empty is None else {**metrics, "finish__empty_sites__count": empty}

"""The `resize` flow stage: drivers sized to their routed loads (estimated with the global router),
cells re-legalised; writes the placed design every later stage reads."""

from __future__ import annotations

import json

import numpy as np

from tapeout.flow.stage import Artifact, StageContext
from tapeout.pnr.physical_stage import PhysicalStage
from tapeout.pnr.place.stage import FLOORPLAN_JSON, PLACEMENT_NPZ
from tapeout.synth.stage import MEMORIES, NETLIST_JSON

REPAIR_ROUNDS = 8  # estimate loads with a global route, upsize, re-legalise; until nothing changes
REPAIR_MARGIN = 0.65  # a driver may take this share of its max_capacitance (the rest covers estimate error)
ESTIMATE_WIRE_FF_PER_UM = 0.09  # wire capacitance of a routed um, between met2/met3 and met5 (fF/um)

RESIZED_JSON = Artifact("resize", "{top}.json", "yosys-json", "the netlist with resized drivers")
RESIZED_V = Artifact("resize", "{top}.v", "verilog", "the same as structural Verilog")
RESIZED_MEMORIES = Artifact("resize", "memories.json", "json", "SRAM macros of the netlist (as synthesised)")
RESIZED_FLOORPLAN = Artifact("resize", "floorplan.json", "json", "the floorplan (as placed)")
RESIZED_PLACEMENT = Artifact("resize", "placement.npz", "npz", "cell positions after re-legalisation (um)")
RESIZED_DEF = Artifact("resize", "{top}.def", "def", "the placed design with resized drivers (DEF 5.8)")
RESIZED_LIST = Artifact("resize", "resized.json", "json", "each resized instance: its new cell")

PLACED_DESIGN = (RESIZED_JSON, RESIZED_MEMORIES, RESIZED_FLOORPLAN, RESIZED_PLACEMENT)
"""The files `tapeout.pnr.place.placed_design.load_placed` reads: what routing and signoff start from."""


class ResizeStage(PhysicalStage):
    name = "resize"
    title = "driver sizing"
    summary = ("sizes drivers to their routed loads (OpenROAD repair_design style): global-route estimate, "
               "upsize, re-legalise, until nothing changes")
    reads = ("design.top", "place.max_fanout_cost", "route", "technology.library", "technology.pdk_root")
    inputs = (NETLIST_JSON, MEMORIES, FLOORPLAN_JSON, PLACEMENT_NPZ)
    outputs = (*PLACED_DESIGN, RESIZED_V, RESIZED_DEF, RESIZED_LIST)
    key_metrics = ("resize__resized__count", "resize__hpwl__um")

    def run(self, ctx: StageContext) -> dict:
        from tapeout.errors import StageError
        from tapeout.netlist import write_verilog
        from tapeout.netlist.from_synth import load_synthesized
        from tapeout.pnr.floorplan.floorplan import floorplan_from_json
        from tapeout.pnr.floorplan.from_netlist import Footprints, legal_pin_positions, placement_problem
        from tapeout.pnr.formats.def_writer import write_def
        from tapeout.pnr.formats.to_layout import placed_layout
        from tapeout.pnr.place.cost import hpwl
        from tapeout.pnr.place.legality import check_legality
        from tapeout.pnr.place.legalize import legalize
        from tapeout.pnr.place.placed_design import load_placement, save_placement
        from tapeout.pnr.resize.sizing import net_loads_pf, upsize_drivers, write_resized_json
        from tapeout.pnr.route.negotiated import global_route
        from tapeout.pnr.route.setup import PIN_LAYER, routing_problem
        from tapeout.tech.technology import technology_of

        config, top = ctx.config, ctx.top
        technology = technology_of(config)
        netlist = load_synthesized(ctx.input_dirs["synth"], top, technology.library())
        plan = floorplan_from_json(json.loads(ctx.path(FLOORPLAN_JSON).read_text()))
        problem = placement_problem(netlist, Footprints.of(netlist, technology), plan, config.place.max_fanout_cost)
        x, y = load_placement(ctx.path(PLACEMENT_NPZ))
        library, resized = technology.library(), {}
        for round_ in range(1, REPAIR_ROUNDS + 1):
            ctx.progress(round_ / (REPAIR_ROUNDS + 1), f"sizing drivers to routed loads, round {round_}")
            pin_x, pin_y = legal_pin_positions(problem, x, y)
            estimate = global_route(routing_problem(netlist, plan, pin_x, pin_y, config.route.gcell_rows,
                                                    layers=technology.metal_stack)[0],
                                    max_iterations=config.route.max_iterations, pin_layer=PIN_LAYER)
            # each pin also reaches its gcell's route through local wiring, about a quarter gcell long
            stubs = np.diff(netlist.net_ptr) * config.route.gcell_rows * plan.row_height / 4
            loads = net_loads_pf(netlist, estimate.net_wirelength_um + stubs, ESTIMATE_WIRE_FF_PER_UM / 1000.0)
            changed = upsize_drivers(netlist, library, loads, REPAIR_MARGIN,
                                     allowed=lambda cell: not technology.is_dont_use(cell))
            ctx.log(f"repair round {round_}: {len(changed)} drivers upsized for routed loads")
            if not changed:
                break
            resized.update(changed)
            problem = placement_problem(netlist, Footprints.of(netlist, technology), plan,
                                        config.place.max_fanout_cost)
            x, y = legalize(problem, x, y)
        final_hpwl = hpwl(problem, x, y)
        if resized:
            ctx.log(f"resized {len(resized)} drivers; HPWL after re-legalising {final_hpwl:,.1f} um")
        violations = check_legality(problem, x, y)
        for v in violations[:20]:
            ctx.log(f"  illegal: {v}")
        if violations:
            raise StageError(f"placement is not legal after resizing: {len(violations)} violations, "
                             f"first: {violations[0]}")
        ctx.path(RESIZED_LIST).write_text(json.dumps(resized, indent=0, sort_keys=True) + "\n")
        write_resized_json(ctx.path(NETLIST_JSON), netlist, ctx.path(RESIZED_JSON))
        ctx.path(RESIZED_MEMORIES).write_bytes(ctx.path(MEMORIES).read_bytes())
        ctx.path(RESIZED_FLOORPLAN).write_bytes(ctx.path(FLOORPLAN_JSON).read_bytes())
        write_verilog(netlist, ctx.path(RESIZED_V))
        save_placement(ctx.path(RESIZED_PLACEMENT), x, y)
        n = netlist.num_cells
        write_def(placed_layout(netlist, plan, x[:n], y[:n], technology.site.name), ctx.path(RESIZED_DEF))
        return {"resize__resized__count": len(resized), "resize__hpwl__um": round(final_hpwl, 1),
                "resize__overlaps__count": 0}

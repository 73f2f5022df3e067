"""The `place` flow stage: floorplan, simulated-annealing placement, legalisation, clock tree, DEF, picture."""

from __future__ import annotations

import json
import shutil

import numpy as np

from tapeout.flow.stage import Stage, StageContext


REPAIR_ROUNDS = 8  # estimate loads with a global route, upsize, re-legalise; until nothing changes
REPAIR_MARGIN = 0.65  # a driver may take this share of its max_capacitance (the rest covers estimate error)
ESTIMATE_WIRE_FF_PER_UM = 0.09  # wire capacitance of a routed um, between met2/met3 and met5 (fF/um)


class PlaceStage(Stage):
    name = "place"
    title = "place"
    needs = ("synth",)
    reads = ("design.top", "technology", "floorplan", "place", "route")
    outputs = ("{top}.def", "{top}.v", "{top}.json", "memories.json", "floorplan.json", "placement.npz",
               "placement.png", "placement.svg", "cts.json", "resized.json")
    code = ("pnr", "netlist", "tech")
    key_metrics = ("place__hpwl__um", "place__utilization__ratio", "cts__skew__ns")

    def run(self, ctx: StageContext) -> dict:
        from tapeout.errors import StageError
        from tapeout.netlist.from_synth import load_synthesized
        from tapeout.pnr.cts.clock_tree import synthesize_clock_tree
        from tapeout.pnr.formats.def_writer import write_def
        from tapeout.pnr.floorplan.floorplan import floorplan_to_json
        from tapeout.pnr.floorplan.from_netlist import Footprints, clock_pins, make_floorplan, placement_problem
        from tapeout.pnr.place.legality import check_legality
        from tapeout.pnr.place.picture import draw_placement
        from tapeout.pnr.place.placer import place
        from tapeout.pnr.formats.to_layout import placed_layout
        from tapeout.netlist import write_verilog
        from tapeout.pnr.floorplan.from_netlist import pin_positions
        from tapeout.pnr.place.legalize import legalize
        from tapeout.pnr.resize.sizing import net_loads_pf, upsize_drivers, write_resized_json
        from tapeout.pnr.place.cost import hpwl
        from tapeout.pnr.route.negotiated import global_route
        from tapeout.pnr.route.setup import PIN_LAYER, routing_problem
        from tapeout.tech.library import default_library

        config, top, out = ctx.config, ctx.config.design.top, ctx.out_dir
        ctx.progress(None, "loading the netlist")
        netlist = load_synthesized(ctx.input_dirs["synth"], top)
        footprints = Footprints.of(netlist)
        plan = make_floorplan(netlist, footprints, config)
        (out / "floorplan.json").write_text(json.dumps(floorplan_to_json(plan), indent=1) + "\n")
        ctx.log(f"floorplan: die {plan.die[2]:.1f} x {plan.die[3]:.1f} um, core {plan.rows} rows x {plan.sites} "
                f"sites, {len(plan.macros)} macros, {len(plan.pins)} pins, utilisation {plan.utilization:.3f}")
        problem = placement_problem(netlist, footprints, plan, config.place.max_fanout_cost)
        ctx.log(f"placing {int(problem.movable.sum())} movable cells, {problem.n_nets} nets "
                f"({int(problem.net_ignored.sum())} left out of the cost), seed {config.place.seed}")
        result = place(problem, seed=config.place.seed, effort=config.place.effort, method=config.place.method,
                       progress=lambda f, m: ctx.progress(0.9 * f, m))
        for step, length in result.hpwl_by_step.items():
            ctx.log(f"  HPWL {step}: {length:,.1f} um")

        library = default_library()
        x, y, resized = result.x, result.y, {}
        for round_ in range(1, REPAIR_ROUNDS + 1):
            ctx.progress(0.85 + 0.02 * round_, f"sizing drivers to routed loads, round {round_}")
            pin_x, pin_y = pin_positions(problem, x, y)
            estimate = global_route(routing_problem(netlist, plan, pin_x, pin_y, config.route.gcell_rows)[0],
                                    max_iterations=config.route.max_iterations, pin_layer=PIN_LAYER)
            # each pin also reaches its gcell's route through local wiring, about a quarter gcell long
            stubs = np.diff(netlist.net_ptr) * config.route.gcell_rows * plan.row_height / 4
            loads = net_loads_pf(netlist, estimate.net_wirelength_um + stubs, ESTIMATE_WIRE_FF_PER_UM / 1000.0)
            changed = upsize_drivers(netlist, library, loads, REPAIR_MARGIN)
            ctx.log(f"repair round {round_}: {len(changed)} drivers upsized for routed loads")
            if not changed:
                break
            resized.update(changed)
            footprints = Footprints.of(netlist)
            problem = placement_problem(netlist, footprints, plan, config.place.max_fanout_cost)
            x, y = legalize(problem, x, y)
        if resized:
            ctx.log(f"resized {len(resized)} drivers; HPWL after re-legalising {hpwl(problem, x, y):,.1f} um")
        (out / "resized.json").write_text(json.dumps(resized, indent=0, sort_keys=True) + "\n")
        write_resized_json(ctx.input("synth", f"{top}.json"), netlist, out / f"{top}.json")
        shutil.copy(ctx.input("synth", "memories.json"), out / "memories.json")
        write_verilog(netlist, out / f"{top}.v")
        violations = check_legality(problem, x, y)
        for v in violations[:20]:
            ctx.log(f"  illegal: {v}")
        if violations:
            raise StageError(f"placement is not legal: {len(violations)} violations, first: {violations[0]}")

        ctx.progress(0.92, "clock tree")
        pin_x, pin_y = pin_positions(problem, x, y)
        sinks = clock_pins(netlist)
        tree = synthesize_clock_tree(netlist, sinks, pin_x, pin_y, library)
        cts = {"sinks": len(sinks), "buffer_cell": "CLKBUF_4"}
        if tree is not None:
            cts.update(skew_ns=float(tree.skew_ns), latency_ns=float(tree.latency_ns),
                       buffers=int(tree.buffer_count), wirelength_um=float(tree.wirelength_um),
                       sink_latency_ns={netlist.cell_names[netlist.pin_cell[p]]: float(t)
                                        for p, t in zip(sinks, tree.sink_latency_ns)})
            ctx.log(f"clock tree: {len(sinks)} sinks, {tree.buffer_count} buffers, latency {tree.latency_ns:.3f} ns, "
                    f"skew {tree.skew_ns:.3f} ns")
        (out / "cts.json").write_text(json.dumps(cts, indent=1, sort_keys=True) + "\n")
        arrays = {"x": x, "y": y}
        if tree is not None:
            arrays.update(cts_x=tree.node_x_um, cts_y=tree.node_y_um, cts_parent=tree.parent,
                          cts_sinks=np.asarray(sinks))
        np.savez(out / "placement.npz", **arrays)

        ctx.progress(0.95, "DEF and picture")
        n = netlist.num_cells
        write_def(placed_layout(netlist, plan, x[:n], y[:n]), out / f"{top}.def")
        final_hpwl = hpwl(problem, x, y)
        draw_placement([out / "placement.png", out / "placement.svg"], plan, netlist, x, y,
                       problem.width, problem.height, tree,
                       title=f"{config.name}: {n:,} cells, HPWL {final_hpwl / 1000:,.1f} mm, "
                             f"utilisation {plan.utilization:.2f}")
        metrics = result.metrics()
        metrics["place__hpwl__um"] = round(final_hpwl, 1)
        metrics["place__resized__count"] = len(resized)
        metrics.update({
            "place__overlaps__count": sum(v.kind == "overlap" for v in violations),
            "place__utilization__ratio": round(plan.utilization, 4),
            "place__core_area__um2": round(plan.core_area_um2, 1),
            "place__die_area__um2": round((plan.die[2] - plan.die[0]) * (plan.die[3] - plan.die[1]), 1),
            "place__cells__count": n,
            "place__seed__count": config.place.seed,
        })
        if tree is not None:
            metrics.update({"cts__skew__ns": round(tree.skew_ns, 5), "cts__latency__ns": round(tree.latency_ns, 5),
                            "cts__buffers__count": int(tree.buffer_count),
                            "cts__wirelength__um": round(tree.wirelength_um, 1)})
        return metrics

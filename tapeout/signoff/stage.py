"""The `signoff` flow stage: static timing, DRC, connectivity (LVS-style) and power of the routed tile."""

from __future__ import annotations

import json
import pickle

from tapeout.flow.stage import Stage, StageContext


def generated_constraints(netlist, clock_net: str | None, period_ns: float, io_fraction: float):
    """A clock on the port driving the clock net, I/O delays of `io_fraction` of the period."""
    from tapeout.signoff.constraints import Clock, Constraints, IoDelay, ObjectRef

    c = Constraints()
    if clock_net is None:
        return c
    port_of_net = {netlist.net_names[netlist.pin_net[p]]: netlist.pin_names[p]
                   for p in range(netlist.first_port_pin, netlist.num_pins)}
    clock_port = port_of_net.get(clock_net)
    c.clocks.append(Clock("clk", period_ns, clock_port))
    inputs = [n for k, n in enumerate(netlist.port_names) if netlist.port_dir[k] == 0 and n != clock_port]
    outputs = [n for k, n in enumerate(netlist.port_names) if netlist.port_dir[k] == 1]
    delay = round(io_fraction * period_ns, 6)
    if inputs:
        c.input_delays.append(IoDelay(ObjectRef("port", tuple(inputs)), "clk", delay))
    if outputs:
        c.output_delays.append(IoDelay(ObjectRef("port", tuple(outputs)), "clk", delay))
    return c


class SignoffStage(Stage):
    name = "signoff"
    title = "signoff"
    needs = ("place", "route")
    reads = ("design.top", "design.clock_period_ns", "signoff")
    outputs = ("timing.rpt", "slack_histogram.png", "{top}.sdc", "{top}.spef", "drc.rpt", "lvs.rpt",
               "power.rpt", "layout_drc.png", "signoff.json")
    code = ("signoff", "pnr", "netlist", "tech")
    key_metrics = ("timing__setup_ws__ns", "timing__fmax__mhz", "drc__violations__count", "power__total__mw")
    option_keys = ("allow_violations",)

    def input_files(self, config):
        s = config.signoff
        return tuple(config.path.parent / f for f in (s.sdc, s.vcd) if f)

    def run(self, ctx: StageContext) -> dict:

        from tapeout.errors import StageError
        from tapeout.pnr.floorplan.from_netlist import clock_pins
        from tapeout.pnr.place.legality import check_legality
        from tapeout.pnr.place.placed_design import load_placed
        from tapeout.pnr.place.picture import draw_placement
        from tapeout.signoff.constraints import read_sdc, write_sdc
        from tapeout.signoff.drc import check_drc, write_drc_report
        from tapeout.signoff.graph import TimingGraph
        from tapeout.signoff.lvs import compare_connectivity
        from tapeout.signoff.parasitics import parasitics_from_routes
        from tapeout.signoff.power import compute_power, net_activity
        from tapeout.signoff.report import plot_slack_histogram, write_timing_report
        from tapeout.signoff.spef import write_spef
        from tapeout.signoff.sta import run_sta
        from tapeout.signoff.vcd import read_vcd
        from tapeout.tech.layers import routing_layer
        from tapeout.tech.process import VDD_V

        config, top, out, s = ctx.config, ctx.config.design.top, ctx.out_dir, ctx.config.signoff
        period = config.design.clock_period_ns
        ctx.progress(None, "loading the routed design")
        placed = load_placed(ctx.input_dirs["place"], top)
        netlist = placed.netlist
        pin_x, pin_y = placed.pin_xy
        with (ctx.input_dirs["route"] / "route.pkl").open("rb") as fh:
            route = pickle.load(fh)["result"]
        graph = TimingGraph.from_netlist(netlist)
        ctx.progress(None, "extracting parasitics")
        layers = [routing_layer(layer.name) for layer in route.grid.layers]
        parasitics = parasitics_from_routes(route, graph, layers, pin_x, pin_y, routing_layer("met2"))
        write_spef(graph, parasitics, out / f"{top}.spef", design=top)

        sinks = clock_pins(netlist)
        clock_nets = sorted({netlist.net_names[n] for n in netlist.pin_net[sinks]})
        if s.sdc:
            constraints = read_sdc(config.path.parent / s.sdc)
        else:
            constraints = generated_constraints(netlist, clock_nets[0] if clock_nets else None, period,
                                                s.io_delay_fraction)
        write_sdc(constraints, out / f"{top}.sdc")
        cts = json.loads((ctx.input_dirs["place"] / "cts.json").read_text())
        ctx.progress(None, "static timing")
        timing = run_sta(graph, constraints, parasitics, clock_latency_ns=cts.get("sink_latency_ns"), n_paths=10)
        header = [f"design {top}; constraints {top}.sdc; parasitics {top}.spef; netlist ../place/{top}.v; "
                  "library tap130.lib; clock latency from the place stage's clock tree"]
        write_timing_report(timing, out / "timing.rpt")
        (out / "timing.rpt").write_text("# " + header[0] + "\n" + (out / "timing.rpt").read_text())
        plot_slack_histogram(timing, out / "slack_histogram.png")
        ctx.log(f"timing: WNS {timing.wns_ns:.3f} ns, TNS {timing.tns_ns:.3f} ns, hold WS {timing.hold_ws_ns:.3f} ns, "
                f"Fmax {timing.fmax_mhz:.1f} MHz")

        ctx.progress(None, "DRC and connectivity")
        legality = check_legality(placed.problem, placed.x, placed.y)
        drc = check_drc(graph, pin_x, pin_y, s.max_fanout, timing.pin_slew_ns, timing.pin_load_pf, route)
        drc = [v for v in drc if not (v.kind == "max_fanout" and v.name in clock_nets)]  # the clock tree drives these
        physical = [f"placement {v}" for v in legality] + [str(v) for v in drc if v.kind == "routing_overflow"]
        electrical = [v for v in drc if v.kind != "routing_overflow"]
        lines = physical + [str(v) for v in electrical]
        write_drc_report(drc, out / "drc.rpt")
        if legality:
            with (out / "drc.rpt").open("a") as fh:
                fh.write("\n".join(f"placement {v}" for v in legality) + "\n")
        mismatches = compare_connectivity(ctx.input_dirs["place"] / f"{top}.def", graph)
        (out / "lvs.rpt").write_text(
            f"connectivity of ../place/{top}.def against ../place/{top}.json: {len(mismatches)} mismatches\n"
            + "".join(f"{m}\n" for m in mismatches))
        markers = [(v.x, v.y, v.kind) for v in legality] + [(v.x_um, v.y_um, v.kind) for v in drc]
        draw_placement([out / "layout_drc.png"], placed.plan, netlist, placed.x, placed.y, placed.problem.width,
                       placed.problem.height, markers=markers,
                       title=f"{config.name}: {len(physical)} DRC and {len(electrical)} electrical violations marked")

        ctx.progress(None, "power")
        toggles, cycles = None, None
        if s.vcd:
            toggles = read_vcd(config.path.parent / s.vcd)
            cycles = toggles.end_time * toggles.timescale_ns / period
        activity = net_activity(graph, toggles, cycles, default=s.activity, clock_nets=clock_nets)
        power = compute_power(graph, activity, 1e3 / period, VDD_V, parasitics.net_wire_cap_pf(), timing.pin_slew_ns)
        blocks = "".join(f"  {b:<30} {mw:10.4f} mW\n" for b, mw in sorted(power.blocks.items()))
        (out / "power.rpt").write_text(
            f"power at {1e3 / period:g} MHz, {VDD_V} V, activity "
            f"{'from ' + s.vcd if s.vcd else f'{s.activity} toggles/cycle (data), 2 (clock)'}\n"
            f"  switching {power.switching_mw:.4f} mW\n  internal  {power.internal_mw:.4f} mW\n"
            f"  leakage   {power.leakage_mw:.6f} mW\n  total     {power.total_mw:.4f} mW\nby block:\n{blocks}")

        summary = {"timing": timing.metrics(), "drc": lines[:200], "lvs": [str(m) for m in mismatches[:200]],
                   "power": power.metrics()}
        (out / "signoff.json").write_text(json.dumps(summary, indent=1) + "\n")
        kinds = ("max_transition", "max_capacitance", "max_fanout")
        metrics = {**timing.metrics(), **power.metrics(), "drc__violations__count": len(physical),
                   **{f"drc__{k}__count": sum(v.kind == k for v in electrical) for k in kinds},
                   "lvs__mismatches__count": len(mismatches)}
        problems = []
        if timing.wns_ns < 0:
            problems.append(f"setup WNS {timing.wns_ns:.3f} ns ({timing.setup_violations} endpoints)")
        if timing.hold_ws_ns < 0:
            problems.append(f"hold WS {timing.hold_ws_ns:.3f} ns ({timing.hold_violations} endpoints)")
        if physical:
            problems.append(f"{len(physical)} DRC violations (first: {physical[0].strip()})")
        if electrical:
            message = (f"{len(electrical)} electrical rule violations (max transition/capacitance/fanout; "
                       f"first: {' '.join(str(electrical[0]).split())})")
            if s.fail_on_electrical:
                problems.append(message)
            else:
                ctx.log("WARNING " + message)
        if mismatches:
            problems.append(f"{len(mismatches)} connectivity mismatches (first: {mismatches[0]})")
        for p in problems:
            ctx.log("VIOLATION " + p)
        if problems and not ctx.options.get("allow_violations"):
            raise StageError("signoff violations: " + "; ".join(problems)
                             + f"; reports in {ctx.failed_dir}/ (rerun with --allow-violations to accept)")
        return metrics

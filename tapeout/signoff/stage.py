"""The `signoff` flow stage: static timing, DRC, connectivity (LVS-style) and power of the routed tile."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from tapeout.flow.schema import Bool, Float, Int, Text, setting
from tapeout.flow.stage import Artifact, Gate, Option, Picture, StageContext
from tapeout.pnr.cts.stage import CTS_DEF, CTS_PLACED_DESIGN, CTS_V
from tapeout.pnr.physical_stage import PhysicalStage
from tapeout.pnr.route.detailed.stage import ROUTES_JSON, detailed_routing
from tapeout.pnr.route.stage import ROUTE_NPZ


@dataclass(frozen=True)
class SignoffSection:
    """[signoff]: timing constraints, parasitics, switching activity and DRC limits."""

    sdc: str = setting(Text("a path to an SDC file"), "", doc="own constraints, relative to the TOML file; "
                       "default: generated from the clock period")
    spef: str = setting(Text("a path to a SPEF file"), "", doc="own parasitics (IEEE 1481) of the netlist as the "
                        "cts stage writes it; default: extracted from the global route")
    io_delay_fraction: float = setting(Float(0.0, 0.9), 0.2, doc="input/output delay as a share of the period")
    activity: float = setting(Float(0.0, 2.0), 0.1, doc="default toggles per cycle of data nets")
    vcd: str = setting(Text("a path to a VCD file"), "", doc="switching activity from simulation")
    max_fanout: int = setting(Int(1, 100000), 64, doc="largest number of sinks per data net")
    fail_on_electrical: bool = setting(Bool(), False, doc="fail on max transition/capacitance/fanout "
                                       "violations (else they are reported as warnings, as OpenLane's "
                                       "QUIT_ON_SLEW_VIOLATIONS = false)")

    def check(self, design_path) -> list[str]:
        folder = design_path.parent
        return [f"{key} file {value!r} not found (paths are relative to {folder}/)"
                for key, value in (("sdc", self.sdc), ("spef", self.spef), ("vcd", self.vcd))
                if value and not (folder / value).is_file()]


TIMING_RPT = Artifact("signoff", "timing.rpt", "text", "worst setup and hold paths (report_checks style)")
SLACK_PNG = Artifact("signoff", "slack_histogram.png", "png", "setup slack histogram")
SDC = Artifact("signoff", "{top}.sdc", "sdc", "the constraints timed (propagated clocks)")
SPEF = Artifact("signoff", "{top}.spef", "spef", "wire parasitics of every routed net, clock tree included (IEEE 1481)")
FINAL_V = Artifact("signoff", "{top}.v", "verilog", "the final netlist, clock buffers included")
FINAL_DEF = Artifact("signoff", "{top}.def", "def", "the final placement, clock buffers included (DEF 5.8)")
MACROS_LIB = Artifact("signoff", "macros.lib", "liberty", "Liberty of the SRAM macros the design uses")
MACROS_LEF = Artifact("signoff", "macros.lef", "lef", "LEF of the SRAM macros the design uses")
OPENSTA_TCL = Artifact("signoff", "opensta.tcl", "tcl", "OpenSTA script: the same timing from these files alone")
DRC_RPT = Artifact("signoff", "drc.rpt", "text", "placement legality, routing overflow and electrical rules")
LVS_RPT = Artifact("signoff", "lvs.rpt", "text", "DEF connectivity against the netlist")
POWER_RPT = Artifact("signoff", "power.rpt", "text", "switching, internal and leakage power, by block")
LAYOUT_DRC_PNG = Artifact("signoff", "layout_drc.png", "png", "violations marked on the layout")
SIGNOFF_JSON = Artifact("signoff", "signoff.json", "json", "timing and power metrics, first violations")


def generated_constraints(netlist, clock_net: str | None, period_ns: float, io_fraction: float):
    """A propagated clock on the port driving the clock net, I/O delays of `io_fraction` of the period."""
    from tapeout.signoff.constraints import Clock, Constraints, IoDelay, ObjectRef

    c = Constraints()
    if clock_net is None:
        return c
    port_of_net = {netlist.net_names[netlist.pin_net[p]]: netlist.pin_names[p]
                   for p in range(netlist.first_port_pin, netlist.num_pins)}
    clock_port = port_of_net.get(clock_net)
    c.clocks.append(Clock("clk", period_ns, clock_port))
    c.propagated.add("clk")
    inputs = [n for k, n in enumerate(netlist.port_names) if netlist.port_dir[k] == 0 and n != clock_port]
    outputs = [n for k, n in enumerate(netlist.port_names) if netlist.port_dir[k] == 1]
    delay = round(io_fraction * period_ns, 6)
    if inputs:
        c.input_delays.append(IoDelay(ObjectRef("port", tuple(inputs)), "clk", delay))
    if outputs:
        c.output_delays.append(IoDelay(ObjectRef("port", tuple(outputs)), "clk", delay))
    return c


def clock_root_net(netlist) -> str | None:
    """The net a clock tree starts from: up from the clock pins through buffers (any cell whose output
    is its one input) to a port or another driver (None without clock pins)."""
    from tapeout.pnr.floorplan.from_netlist import clock_pins

    sinks = clock_pins(netlist)
    if not len(sinks):
        return None
    drivers = netlist.net_driver()
    net = int(netlist.pin_net[sinks[0]])
    for _ in range(netlist.num_cells + 1):
        d = drivers[net]
        if d < 0 or netlist.pin_cell[d] < 0:
            break
        cell = netlist.pin_cell[d]
        lib = netlist.lib_cells[netlist.cell_type[cell]]
        inputs = [p for p in netlist.cell_pins(cell) if netlist.pin_dir[p] == 0]
        if lib is None or not lib.is_buffer or len(inputs) != 1:
            break
        net = int(netlist.pin_net[inputs[0]])
    return netlist.net_names[net]


class SignoffStage(PhysicalStage):
    name = "signoff"
    title = "signoff"
    summary = ("static timing (effective-capacitance delays on the routed RC trees, extracted from the detailed "
               "routes' wires and vias when the design is detail-routed; clock propagated through the clock tree), "
               "DRC, LVS-style connectivity, power; every view OpenSTA and KLayout need")
    sections = {"signoff": SignoffSection}
    reads = ("design.top", "design.clock_period_ns", "technology.library", "technology.pdk_root", "droute.enabled")
    inputs = (*CTS_PLACED_DESIGN, CTS_V, CTS_DEF, ROUTE_NPZ, ROUTES_JSON)
    outputs = (TIMING_RPT, SLACK_PNG, SDC, SPEF, FINAL_V, FINAL_DEF, MACROS_LIB, MACROS_LEF,
               OPENSTA_TCL, DRC_RPT, LVS_RPT, POWER_RPT, LAYOUT_DRC_PNG, SIGNOFF_JSON)
    options = (Option("--allow-violations", "signoff passes despite timing/DRC/LVS violations"),)
    gates = (Gate("timing__setup_ws__ns", lambda v: v is not None and v >= 0, "setup met"),
             Gate("timing__hold_ws__ns", lambda v: v is not None and v >= 0, "hold met"),
             Gate("drc__violations__count", lambda v: v == 0, "no DRC violation"),
             Gate("lvs__mismatches__count", lambda v: v == 0, "layout matches netlist"))
    pictures = (Picture(SLACK_PNG, "setup slack histogram"), Picture(LAYOUT_DRC_PNG, "violations on the layout"))
    key_metrics = ("timing__setup_ws__ns", "timing__hold_ws__ns", "timing__fmax__mhz", "drc__violations__count",
                   "power__total__mw")

    def input_artifacts(self, config):
        """The detailed routes only when the design is detail-routed (`[droute] enabled`): then the
        parasitics are extracted from them."""
        return self.inputs if detailed_routing(config) else self.inputs[:-1]

    def input_files(self, config):
        s = config.signoff
        return (*(config.path.parent / f for f in (s.sdc, s.spef, s.vcd) if f), *super().input_files(config))

    def output_artifacts(self, config):
        """The outputs plus a copy of each Liberty (one per corner) and LEF file of the technology."""
        from tapeout.signoff.views import library_view_names
        from tapeout.tech.technology import technology_of

        kinds = {".lib": "liberty", ".lef": "lef", ".tlef": "lef"}
        views = [Artifact("signoff", name, kinds.get(Path(name).suffix, "text"), "cell library view (copy)")
                 for name in library_view_names(technology_of(config))]
        return (*self.outputs, *views)

    def run(self, ctx: StageContext) -> dict:

        from tapeout.errors import StageError
        from tapeout.netlist.from_synth import load_synthesized
        from tapeout.netlist.names import net_written_names
        from tapeout.pnr.place.legality import check_legality
        from tapeout.pnr.place.picture import draw_placement
        from tapeout.pnr.place.placed_design import load_placed
        from tapeout.pnr.route.route_file import load_route
        from tapeout.signoff.constraints import read_sdc, write_sdc
        from tapeout.signoff.corners import time_corners
        from tapeout.signoff.drc import check_drc, write_drc_report
        from tapeout.signoff.graph import TimingGraph
        from tapeout.signoff.lvs import compare_connectivity
        from tapeout.signoff.parasitics import parasitics_from_routes
        from tapeout.signoff.power import compute_power, net_activity
        from tapeout.signoff.report import format_timing_report, plot_slack_histogram
        from tapeout.signoff.spef import write_spef
        from tapeout.signoff.spef_reader import read_spef
        from tapeout.signoff.sta import trace_clocks
        from tapeout.signoff.vcd import read_vcd
        from tapeout.signoff.views import opensta_script, write_library_views
        from tapeout.tech.technology import technology_of

        config, top, out, s = ctx.config, ctx.config.design.top, ctx.out_dir, ctx.config.signoff
        period = config.design.clock_period_ns
        ctx.progress(None, "loading the routed design")
        technology = technology_of(config)
        vdd = technology.vdd_v
        placed = load_placed(ctx.input_dirs["cts"], top, technology)
        netlist = placed.netlist
        pin_x, pin_y = placed.pin_xy
        route = load_route(ctx.path(ROUTE_NPZ))
        graph = TimingGraph.from_netlist(netlist)
        names = net_written_names(netlist)
        estimate = None
        if s.spef:
            ctx.progress(None, f"reading {s.spef}")
            parasitics = read_spef(config.path.parent / s.spef, graph, names)
            (out / f"{top}.spef").write_bytes((config.path.parent / s.spef).read_bytes())
        else:
            ctx.progress(None, "extracting parasitics")
            stack = {layer.name: layer for layer in technology.metal_stack}
            layers = [stack[layer.name] for layer in route.grid.layers]
            parasitics = parasitics_from_routes(route, graph, layers, pin_x, pin_y, stack["met2"])
            if detailed_routing(config):
                estimate, parasitics = parasitics, self._extracted(ctx, placed, graph, names, technology, parasitics)
            write_spef(graph, parasitics, out / f"{top}.spef", design=top, net_names=names)
        (out / f"{top}.v").write_bytes(ctx.path(CTS_V).read_bytes())
        (out / f"{top}.def").write_bytes(ctx.path(CTS_DEF).read_bytes())
        views = write_library_views(out, netlist, technology)

        if s.sdc:
            constraints = read_sdc(config.path.parent / s.sdc)
        else:
            constraints = generated_constraints(netlist, clock_root_net(netlist), period, s.io_delay_fraction)
        write_sdc(constraints, out / f"{top}.sdc")
        ctx.progress(None, "static timing")

        def graph_at(corner):
            ctx.progress(None, f"static timing at corner {corner}")
            return TimingGraph.from_netlist(load_synthesized(ctx.input_dirs["cts"], top, technology.library(corner)))

        corners = time_corners(technology, graph, graph_at, constraints, parasitics)
        extraction = {}
        if estimate is not None:
            ctx.progress(None, "static timing on the global-route estimate, for comparison")
            before = time_corners(technology, graph, graph_at, constraints, estimate).setup_report.wns_ns
            after = corners.setup_report.wns_ns
            extraction = {"extract__estimate_setup_ws__ns": round(before, 6),
                          "extract__setup_ws_shift__ns": round(after - before, 6),
                          "extract__wire_cap__pf": round(float(parasitics.net_wire_cap_pf().sum()), 6),
                          "extract__estimate_wire_cap__pf": round(float(estimate.net_wire_cap_pf().sum()), 6),
                          "extract__wire_res__kohm": round(float(parasitics.net_wire_res_kohm().sum()), 6),
                          "extract__estimate_wire_res__kohm": round(float(estimate.net_wire_res_kohm().sum()), 6)}
        timing, setup, hold = corners.typical_report, corners.setup_report, corners.hold_report
        clocks = (", ".join(f"{c.name} {'propagated' if c.name in constraints.propagated else 'ideal'}"
                            for c in constraints.clocks) or "none")
        with (out / "timing.rpt").open("w") as fh:
            if extraction:
                fh.write(f"# parasitics extracted from the detailed routes: setup WNS {after:.4f} ns (corner "
                         f"{corners.setup_corner}), {before:.4f} ns on the global-route estimate (shift "
                         f"{after - before:+.4f} ns); wire C {extraction['extract__wire_cap__pf']:.4f} pF "
                         f"(estimate {extraction['extract__estimate_wire_cap__pf']:.4f}), wire R "
                         f"{extraction['extract__wire_res__kohm']:.3f} kohm "
                         f"(estimate {extraction['extract__estimate_wire_res__kohm']:.3f})\n")
            for corner, report in corners.reports.items():
                fh.write(f"# design {top}; corner {corner}; constraints {top}.sdc; parasitics {top}.spef; "
                         f"netlist {top}.v; libraries {', '.join(views.liberty[corner])}; clocks {clocks}\n")
                fh.write(format_timing_report(report) + "\n")
        (out / "opensta.tcl").write_text(opensta_script(top, views.liberty, corners))
        plot_slack_histogram(setup, out / "slack_histogram.png")
        ctx.log(corners.summary())
        ctx.log(f"timing: setup WNS {setup.wns_ns:.3f} ns (corner {corners.setup_corner}), TNS {setup.tns_ns:.3f} ns, "
                f"hold WS {hold.hold_ws_ns:.3f} ns (corner {corners.hold_corner}), Fmax {timing.fmax_mhz:.1f} MHz "
                f"(corner {corners.typical}); clock latency {timing.clock_latency_ns:.3f} ns, "
                f"skew {timing.clock_skew_ns:.3f} ns")

        ctx.progress(None, "DRC and connectivity")
        network, _ = trace_clocks(graph, constraints)
        clock_nets = sorted({graph.net_names[n] for n in graph.pin_net[network] if n >= 0})
        legality = check_legality(placed.problem, placed.x, placed.y)
        drc = check_drc(graph, pin_x, pin_y, s.max_fanout, setup.pin_slew_ns, setup.pin_load_pf, route)
        physical = [f"placement {v}" for v in legality] + [str(v) for v in drc if v.kind == "routing_overflow"]
        electrical = [v for v in drc if v.kind != "routing_overflow"]
        lines = physical + [str(v) for v in electrical]
        write_drc_report(drc, out / "drc.rpt")
        if legality:
            with (out / "drc.rpt").open("a") as fh:
                fh.write("\n".join(f"placement {v}" for v in legality) + "\n")
        physical_only = {technology.tap_cell, *technology.fillers, *technology.decaps} - {None}
        mismatches = compare_connectivity(ctx.path(CTS_DEF), graph, [n.plain for n in names], physical_only)
        (out / "lvs.rpt").write_text(
            f"connectivity of ../cts/{top}.def against ../cts/{top}.json: {len(mismatches)} mismatches\n"
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
        power = compute_power(graph, activity, 1e3 / period, vdd, parasitics.net_wire_cap_pf(), timing.pin_slew_ns)
        blocks = "".join(f"  {b:<30} {mw:10.4f} mW\n" for b, mw in sorted(power.blocks.items()))
        (out / "power.rpt").write_text(
            f"power at {1e3 / period:g} MHz, {vdd} V (corner {corners.typical}), activity "
            f"{'from ' + s.vcd if s.vcd else f'{s.activity} toggles/cycle (data), 2 (clock)'}\n"
            f"  switching {power.switching_mw:.4f} mW\n  internal  {power.internal_mw:.4f} mW\n"
            f"  leakage   {power.leakage_mw:.6f} mW\n  total     {power.total_mw:.4f} mW\nby block:\n{blocks}")

        clock = {"timing__clock_latency__ns": round(timing.clock_latency_ns, 6),
                 "timing__clock_skew__ns": round(timing.clock_skew_ns, 6)}
        summary = {"timing": {**corners.metrics(), **clock}, "drc": lines[:200],
                   "lvs": [str(m) for m in mismatches[:200]], "power": power.metrics()}
        (out / "signoff.json").write_text(json.dumps(summary, indent=1) + "\n")
        kinds = ("max_transition", "max_capacitance", "max_fanout")
        metrics = {**corners.metrics(), **clock, **power.metrics(), "drc__violations__count": len(physical),
                   **{f"drc__{k}__count": sum(v.kind == k for v in electrical) for k in kinds},
                   "lvs__mismatches__count": len(mismatches), **extraction}
        problems = []
        if setup.wns_ns < 0:
            problems.append(f"setup WNS {setup.wns_ns:.3f} ns ({setup.setup_violations} endpoints)")
        if hold.hold_ws_ns < 0:
            problems.append(f"hold WS {hold.hold_ws_ns:.3f} ns ({hold.hold_violations} endpoints)")
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

    @staticmethod
    def _extracted(ctx, placed, graph, names, technology, estimate):
        """Parasitics from the detailed routes, the estimate for nets they do not hold."""
        from tapeout.errors import StageError
        from tapeout.netlist.names import def_escape, written
        from tapeout.pnr.route.detailed.routes_file import load_routes
        from tapeout.signoff.extraction import ExtractionError, routed_parasitics
        from tapeout.signoff.routed_pins import placed_pin_shapes

        ctx.progress(None, "extracting parasitics from the detailed routes")
        routes = load_routes(ctx.path(ROUTES_JSON))
        shapes = placed_pin_shapes(placed, technology, ctx.input_dirs["cts"])
        try:
            return routed_parasitics(graph, routes, [written(n, def_escape) for n in names], shapes, technology,
                                     estimate)
        except ExtractionError as exc:
            raise StageError(f"{ctx.path(ROUTES_JSON)}: {exc}") from None

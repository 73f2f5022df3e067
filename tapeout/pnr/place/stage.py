"""The `place` flow stage: floorplan, global placement (electrostatic, or annealing for small
designs), legalisation, detailed placement, legality check, DEF and pictures."""

from __future__ import annotations

import json
from dataclasses import dataclass

from tapeout.flow.schema import Bool, Choice, Float, Int, TextList, setting
from tapeout.flow.stage import Artifact, Gate, Picture, StageContext
from tapeout.pnr.physical_stage import PhysicalStage
from tapeout.synth.stage import MEMORIES, NETLIST_JSON

SIDES = ("left", "bottom", "right", "top")


@dataclass(frozen=True)
class SideList(TextList):
    def describe(self):
        return "a list of sides from 'left', 'bottom', 'right', 'top'"

    def check(self, value):
        sides = super().check(value)
        if any(s not in SIDES for s in sides) or len(set(sides)) != len(sides):
            self.fail(value)
        return sides


@dataclass(frozen=True)
class AutoOrFraction(Float):
    def describe(self):
        return f"'auto' or {super().describe()}"

    def check(self, value):
        return value if value == "auto" else super().check(value)


@dataclass(frozen=True)
class FloorplanSection:
    """[floorplan]: core margins, macro halos and which die sides carry the I/O pins."""

    core_margin_um: float = setting(Float(0.0, 1000.0, "um"), 10.0, doc="die edge to core")
    macro_halo_um: float = setting(Float(0.0, 100.0, "um"), 10.0, doc="keep-out around SRAM macros")
    input_sides: tuple[str, ...] = setting(SideList(), ("right",), doc="sides for input pins")
    output_sides: tuple[str, ...] = setting(SideList(), ("right",), doc="sides for output pins")

    def check(self, design_path) -> list[str]:
        if self.input_sides != self.output_sides and set(self.input_sides) & set(self.output_sides):
            return ["input_sides and output_sides must be the same list or share no side"]
        return []


@dataclass(frozen=True)
class PlaceSection:
    """[place]: the placer."""

    seed: int = setting(Int(0, 2**31 - 1), 1, doc="same seed, same placement")
    effort: float = setting(Float(0.0, 100.0, lo_open=True), 1.0, doc="scales moves per temperature (annealing)")
    method: str = setting(Choice(("auto", "anneal", "analytic", "eplace")), "auto",
                          doc="eplace: electrostatic global placement; anneal: annealing from random; analytic: a "
                              "quadratic start then low-temperature annealing; auto: anneal below 100 movable cells, "
                              "else eplace")
    target_density: object = setting(AutoOrFraction(0.0, 1.0, lo_open=True), "auto",
                                     doc="eplace: cell area a bin may hold over its free area; auto: the "
                                         "utilisation plus 0.3 (at most 1)")
    routability: bool = setting(Bool(), True, doc="eplace: route the placement; while that overflows, inflate "
                                                  "the cells of congested gcells and place again")
    routability_margin: float = setting(Float(0.1, 1.0), 0.9,
                                        doc="eplace: share of each layer's usable tracks the routing estimate "
                                            "may fill before the cells of a gcell are inflated; lower spreads "
                                            "wire-dense logic for the detailed router")
    max_fanout_cost: int = setting(Int(2, 100000), 64, doc="nets with more pins are left out of the cost")
    timing_driven: bool = setting(Bool(), True, doc="eplace: time the placement at six overflows (the flow's "
                                                    "timer, ideal clocks) and weight the nets of the worst 10 % "
                                                    "slacks up to 1.9x (RePlAce / OpenROAD gpl)")


FLOORPLAN_JSON = Artifact("place", "floorplan.json", "json", "die, core, rows, SRAM macros and I/O pins (um)")
PLACEMENT_NPZ = Artifact("place", "placement.npz", "npz", "cell positions x, y (um), format 'placement' v1")
PLACED_DEF = Artifact("place", "{top}.def", "def", "the placed design (DEF 5.8)")
PLACEMENT_PNG = Artifact("place", "placement.png", "png", "placement picture")
PLACEMENT_SVG = Artifact("place", "placement.svg", "svg", "the same, zoomable")
DENSITY_PNG = Artifact("place", "density.png", "png", "bin density after global placement and the routing "
                                                      "estimate's congestion")


def placement_timer(config, netlist, problem):
    """The `PlacementTimer` of a design: its SDC ([signoff] sdc) or the generated constraints."""
    from tapeout.pnr.floorplan.from_netlist import pin_positions
    from tapeout.pnr.place.timing_weights import PlacementTimer
    from tapeout.signoff.constraints import read_sdc
    from tapeout.signoff.graph import TimingGraph
    from tapeout.signoff.stage import clock_root_net, generated_constraints

    s = config.signoff
    if s.sdc:
        constraints = read_sdc(config.path.parent / s.sdc)
    else:
        constraints = generated_constraints(netlist, clock_root_net(netlist), config.design.clock_period_ns,
                                            s.io_delay_fraction)
    return PlacementTimer(TimingGraph.from_netlist(netlist), constraints,
                          lambda x, y: pin_positions(problem, x, y))


class PlaceStage(PhysicalStage):
    name = "place"
    title = "place"
    summary = ("floorplan (core from area, utilisation, aspect; macros at the left edge facing the core; pins "
               "on the configured sides; well taps fixed in every row, staggered, where the library needs them), "
               "electrostatic global placement (ePlace: FFT density, Nesterov), timing-driven net weights from "
               "the flow's timer, routability rounds from a global-routing estimate, or annealing for small "
               "designs; Abacus "
               "legalisation, detailed placement")
    sections = {"floorplan": FloorplanSection, "place": PlaceSection}
    reads = ("design.top", "design.clock_period_ns", "signoff.sdc", "signoff.io_delay_fraction", "technology")
    inputs = (NETLIST_JSON, MEMORIES)
    outputs = (FLOORPLAN_JSON, PLACEMENT_NPZ, PLACED_DEF, PLACEMENT_PNG, PLACEMENT_SVG, DENSITY_PNG)
    gates = (Gate("place__overlaps__count", lambda v: v == 0, "no overlapping cells"),)
    pictures = (Picture(PLACEMENT_PNG, "placement and SRAM macros"),
                Picture(DENSITY_PNG, "bin density and congestion estimate"))
    key_metrics = ("place__hpwl__um", "place__utilization__ratio", "place__max_bin_density__ratio",
                   "place__tap_cells__count")

    def input_files(self, config):
        """The technology's files and the design's own SDC (timing-driven placement reads it)."""
        sdc = config.signoff.sdc
        return (*((config.path.parent / sdc,) if sdc and config.place.timing_driven else ()),
                *super().input_files(config))

    def run(self, ctx: StageContext) -> dict:
        from tapeout.errors import StageError
        from tapeout.netlist.from_synth import load_synthesized
        from tapeout.pnr.floorplan.floorplan import floorplan_to_json
        from tapeout.pnr.floorplan.from_netlist import Footprints, make_floorplan, placement_problem
        from tapeout.pnr.formats.def_writer import write_def
        from tapeout.pnr.formats.to_layout import placed_layout
        from tapeout.pnr.place.cost import hpwl
        from tapeout.pnr.place.density_picture import draw_density
        from tapeout.pnr.place.legality import check_legality
        from tapeout.pnr.place.picture import draw_placement
        from tapeout.pnr.place.placed_design import save_placement
        from tapeout.pnr.place.placer import place, resolved_method
        from tapeout.pnr.place.route_estimate import route_estimate
        from tapeout.tech.technology import technology_of

        config, top = ctx.config, ctx.top
        ctx.progress(None, "loading the netlist")
        technology = technology_of(config)
        netlist = load_synthesized(ctx.input_dirs["synth"], top, technology.library())
        footprints = Footprints.of(netlist, technology)
        plan = make_floorplan(netlist, footprints, config)
        ctx.path(FLOORPLAN_JSON).write_text(json.dumps(floorplan_to_json(plan), indent=1) + "\n")
        ctx.log(f"floorplan: die {plan.die[2]:.1f} x {plan.die[3]:.1f} um, core {plan.rows} rows x {plan.sites} "
                f"sites, {len(plan.macros)} macros, {len(plan.pins)} pins, utilisation {plan.utilization:.3f}")
        tap_metrics = self.check_taps(plan, technology, ctx)
        problem = placement_problem(netlist, footprints, plan, config.place.max_fanout_cost)
        ctx.log(f"placing {int(problem.movable.sum())} movable cells, {problem.n_nets} nets "
                f"({int(problem.net_ignored.sum())} left out of the cost), seed {config.place.seed}")
        density = config.place.target_density
        timed = config.place.timing_driven and resolved_method(problem, config.place.method) == "eplace"
        timer = placement_timer(config, netlist, problem) if timed else None  # reads the SDC only then
        result = place(problem, seed=config.place.seed, effort=config.place.effort, method=config.place.method,
                       target_density=None if density == "auto" else density, routability=config.place.routability,
                       routing_layers=technology.metal_stack, routability_margin=config.place.routability_margin,
                       progress=lambda f, m: ctx.progress(0.95 * f, m), timer=timer)
        ctx.log(f"method {result.method}")
        if result.timing_wns_ns:
            ctx.log(f"  timing-driven: worst setup slack (estimated wires, ideal clocks) at each reweighting "
                    f"{', '.join(f'{w:+.3f}' for w in result.timing_wns_ns)} ns ({result.timing_s:.1f} s of timing)")
        if result.method == "eplace":
            ctx.log(f"  target density {result.target_density:.3f}; global placement "
                    f"{' + '.join(str(i) for i in result.global_iterations)} Nesterov iterations (one round per "
                    f"routing estimate that overflowed), overflow {result.overflow:.3f}; {result.inflated_cells} "
                    f"cells inflated for routability")
        ctx.log(f"  max bin density after global placement {result.max_bin_density:.3f}")
        for step, length in result.hpwl_by_step.items():
            ctx.log(f"  HPWL {step}: {length:,.1f} um")
        mean, worst = result.displacement_rows
        ctx.log(f"  legalisation displacement: mean {mean:.2f} rows, max {worst:.2f} rows")
        x, y = result.x, result.y
        violations = check_legality(problem, x, y)
        for v in violations[:20]:
            ctx.log(f"  illegal: {v}")
        if violations:
            raise StageError(f"placement is not legal: {len(violations)} violations, first: {violations[0]}")
        save_placement(ctx.path(PLACEMENT_NPZ), x, y)

        ctx.progress(0.96, "DEF and picture")
        n = netlist.num_cells
        write_def(placed_layout(netlist, plan, x[:n], y[:n], technology.site.name), ctx.path(PLACED_DEF))
        final_hpwl = hpwl(problem, x, y)
        draw_placement([ctx.path(PLACEMENT_PNG), ctx.path(PLACEMENT_SVG)], plan, netlist, x, y,
                       problem.width, problem.height,
                       title=f"{config.name}: {n:,} cells, HPWL {final_hpwl / 1000:,.1f} mm, "
                             f"utilisation {plan.utilization:.2f}")
        congestion = result.congestion
        if congestion is None:
            congestion = route_estimate(problem, x, y, layers=technology.metal_stack,
                                        capacity_margin=config.place.routability_margin)
        ctx.log(f"  routing estimate ({congestion.overflow} tracks over capacity): gcell usage / capacity max "
                f"{congestion.max_ratio:.2f}, {100 * congestion.overflow_share:.1f} % of gcells over 1")
        draw_density([ctx.path(DENSITY_PNG)], problem, (result.global_x, result.global_y), (x, y), congestion,
                     result.target_density, title=f"{config.name}: {result.method} placement")
        metrics = result.metrics()
        metrics.update({
            "place__congestion_max__ratio": round(congestion.max_ratio, 4),
            "place__congestion_overflow__ratio": round(congestion.overflow_share, 4),
            "place__route_estimate_overflow__count": congestion.overflow,
            "place__hpwl__um": round(final_hpwl, 1),
            "place__overlaps__count": 0,
            "place__utilization__ratio": round(plan.utilization, 4),
            "place__core_area__um2": round(plan.core_area_um2, 1),
            "place__die_area__um2": round((plan.die[2] - plan.die[0]) * (plan.die[3] - plan.die[1]), 1),
            "place__cells__count": n,
            "place__seed__count": config.place.seed,
            **tap_metrics,
        })
        return metrics

    @staticmethod
    def check_taps(plan, technology, ctx: StageContext) -> dict:
        """Log the well taps and check their reach; their metrics."""
        from tapeout.errors import StageError
        from tapeout.pnr.floorplan.from_netlist import free_row_segments
        from tapeout.pnr.floorplan.taps import farthest_from_tap

        if technology.tap_cell is None:
            ctx.log(f"well taps: none ({technology.name} has no tap cell: its cells tie their own wells)")
            return {"place__tap_cells__count": 0}
        farthest = farthest_from_tap(free_row_segments(plan), plan.taps, plan.tap_width)
        ctx.log(f"well taps: {len(plan.taps)} x {plan.tap_master}, fixed before placement, staggered; every point "
                f"of every row within {farthest:.2f} um of a tap (required: {technology.tap_pitch_um:g} um)")
        if farthest > technology.tap_pitch_um + 1e-6:
            raise StageError(f"well taps: a point of a row is {farthest:.2f} um from the nearest tap, over the "
                             f"{technology.tap_pitch_um:g} um the technology requires")
        return {"place__tap_cells__count": len(plan.taps), "place__tap_max_distance__um": round(farthest, 3)}
